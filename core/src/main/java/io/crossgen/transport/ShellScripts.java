package io.crossgen.transport;

import io.crossgen.command.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * crossgen's shell scripts, kept as {@code .sh} resources (checked by shellcheck, {@code sh -n} and
 * {@code dash -n}) and run as {@code sh -c TEXT NAME ARGS...} with every value a positional argument.
 */
public final class ShellScripts {
    private static final String KILL_GROUP = load(ShellScripts.class, "kill-group.sh");

    private ShellScripts() {
    }

    /**
     * The texts of resources beside {@code anchor} (or absolute resource paths, starting with {@code /}), joined in
     * order (shared functions first), without their comment lines, which stay in the files for readers and
     * shellcheck.
     */
    public static String load(Class<?> anchor, String... files) {
        StringBuilder text = new StringBuilder();
        for (String file : files) {
            try (InputStream in = anchor.getResourceAsStream(file)) {
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

    /** The function {@code kill_group PID TENTHS} (see {@code kill-group.sh}), for scripts that stop processes. */
    public static String killGroupFunction() {
        return KILL_GROUP;
    }

    /**
     * Stops the process group {@code pgid} leads on a host: TERM, then KILL to what is left after {@code grace}.
     */
    public static Command killGroup(long pgid, Duration grace) {
        long tenths = Math.max(1, Timeouts.positive("grace", grace).toMillis() / 100);
        return Command.of("sh", "-c", KILL_GROUP + "kill_group \"$1\" \"$2\" || true", "crossgen-kill",
                Long.toString(pgid), Long.toString(tenths));
    }
}
