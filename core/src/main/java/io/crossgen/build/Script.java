package io.crossgen.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

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
        StringBuilder text = new StringBuilder();
        for (String file : files) {
            try (InputStream in = Script.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("the script " + file + " is missing from crossgen-core's jar");
                }
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.strip().startsWith("#")) {
                        text.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the script " + file + " from crossgen-core's jar", e);
            }
        }
        return text.toString();
    }
}
