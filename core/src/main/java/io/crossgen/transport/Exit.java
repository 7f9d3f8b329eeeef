package io.crossgen.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * How a command ended: exactly one of {@link Exited}, {@link Signalled}, {@link TimedOut} or {@link Unknown}.
 *
 * <p>Only {@code Exited(0)} is a success. {@code Unknown} (the transport got no status back, e.g. the SSH
 * channel closed without an exit-status) is a failure, never a success.
 *
 * <pre>{@code
 * if (result.exit() instanceof Exit.Exited exited && exited.code() == 1) {
 *     ...
 * }
 * }</pre>
 */
public sealed interface Exit {

    /** The command ended with an exit code. */
    static Exit exited(int code) {
        return new Exited(code);
    }

    /** The command was killed by a signal, named without the {@code SIG} prefix ({@code KILL}, {@code TERM}). */
    static Exit signalled(String signal) {
        return new Signalled(signal);
    }

    /** The command did not end within its limit and was cancelled. */
    static Exit timedOut(Duration limit) {
        return new TimedOut(limit);
    }

    /** No status came back; the reason says why. */
    static Exit unknown(String reason) {
        return new Unknown(reason);
    }

    /** Whether this is {@code Exited(0)}. */
    default boolean isSuccess() {
        return this instanceof Exited e && e.code() == 0;
    }

    /** A short description for messages: {@code exit 1}, {@code signal KILL}, {@code timed out after PT5M}. */
    String describe();

    /** See {@link #exited(int)}. */
    record Exited(int code) implements Exit {
        @Override
        public String describe() {
            return "exit " + code;
        }
    }

    /** See {@link #signalled(String)}. */
    record Signalled(String signal) implements Exit {
        public Signalled {
            Objects.requireNonNull(signal, "signal");
            if (signal.startsWith("SIG")) {
                signal = signal.substring(3);
            }
        }

        @Override
        public String describe() {
            return "signal " + signal;
        }
    }

    /** See {@link #timedOut(Duration)}. */
    record TimedOut(Duration limit) implements Exit {
        public TimedOut {
            Objects.requireNonNull(limit, "limit");
        }

        @Override
        public String describe() {
            return "timed out after " + limit;
        }
    }

    /** See {@link #unknown(String)}. */
    record Unknown(String reason) implements Exit {
        public Unknown {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return "no exit status (" + reason + ")";
        }
    }
}
