package io.crossgen.build;

import io.crossgen.transport.ShellScripts;

/**
 * The text of crossgen's shell scripts, kept as {@code .sh} resources beside this class (checked by shellcheck
 * and {@code dash -n}), run as {@code sh -c TEXT NAME ARGS...} with every value a positional argument.
 */
final class Script {
    private Script() {
    }

    /**
     * The files' texts joined in order (shared functions first), without their comment lines (which stay in the
     * files, for readers and shellcheck); {@code @NAME@} placeholders left as they are.
     */
    static String load(String... files) {
        return ShellScripts.load(Script.class, files);
    }
}
