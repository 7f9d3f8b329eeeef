package io.crossgen.transport;

import io.crossgen.command.Command;
import java.time.Duration;
import java.util.Objects;

/**
 * A finished command: what ran where, how it ended, how long it took, and what it printed (bounded).
 *
 * <p>A plain value: tests construct one directly.
 *
 * @param host where it ran
 * @param command what ran
 * @param exit how it ended
 * @param duration from start to end
 * @param stdout what it printed on stdout, bounded
 * @param stderr what it printed on stderr, bounded
 */
public record ExecResult(Host host, Command command, Exit exit, Duration duration, Output stdout, Output stderr) {

    public ExecResult {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(exit, "exit");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /** Whether the command exited with status 0. */
    public boolean isSuccess() {
        return exit.isSuccess();
    }

    /**
     * Returns this result when the command succeeded.
     *
     * @throws ExecException carrying this result otherwise
     */
    public ExecResult requireSuccess() {
        if (!isSuccess()) {
            throw new ExecException(this);
        }
        return this;
    }
}
