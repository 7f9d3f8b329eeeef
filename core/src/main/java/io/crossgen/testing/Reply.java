package io.crossgen.testing;

import io.crossgen.transport.Exit;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link ScriptedTransport} answers to a command: an exit, output, and optionally a fault.
 *
 * <p>Immutable; the {@code with*} methods return copies. Faults a real host shows, simulated:
 * <ul>
 *   <li>{@link #withDelay} — a slow command: the exit comes after the delay, or a cancel ends it sooner
 *   (with {@code signal KILL}), so timeouts and interruption behave as with a real process;</li>
 *   <li>{@link #hang()} — a command that never ends until it is cancelled;</li>
 *   <li>{@link #signal} — killed by a signal;</li>
 *   <li>{@link #dropConnection()} — the connection drops as the command starts
 *   ({@link io.crossgen.transport.TransportException.Connect} from {@code start});</li>
 *   <li>{@link #lostStatus} — the output arrives, then the connection drops before the exit status
 *   ({@link Exit.Unknown}).</li>
 * </ul>
 *
 * <pre>{@code
 * Reply.of(0, "ppc64le\n", "");
 * Reply.exit(32).withStderr("mount.nfs: access denied by server\n");
 * Reply.exit(0).withDelay(Duration.ofSeconds(5));
 * }</pre>
 */
public final class Reply {
    private static final Reply SUCCESS = new Reply(Exit.exited(0), "", "", Duration.ZERO, Fault.NONE);

    enum Fault { NONE, HANG, DROP_CONNECTION }

    private final Exit exit;
    private final String stdout;
    private final String stderr;
    private final Duration delay;
    private final Fault fault;

    private Reply(Exit exit, String stdout, String stderr, Duration delay, Fault fault) {
        this.exit = Objects.requireNonNull(exit, "exit");
        this.stdout = Objects.requireNonNull(stdout, "stdout");
        this.stderr = Objects.requireNonNull(stderr, "stderr");
        this.delay = Objects.requireNonNull(delay, "delay");
        this.fault = fault;
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, not " + delay);
        }
    }

    /** Exit 0, no output, at once: the default reply. */
    public static Reply success() {
        return SUCCESS;
    }

    /** The given exit code, no output. */
    public static Reply exit(int code) {
        return new Reply(Exit.exited(code), "", "", Duration.ZERO, Fault.NONE);
    }

    /** The given exit code and output. */
    public static Reply of(int code, String stdout, String stderr) {
        return new Reply(Exit.exited(code), stdout, stderr, Duration.ZERO, Fault.NONE);
    }

    /** Killed by {@code signal} ({@code KILL}, {@code TERM}, ...). */
    public static Reply signal(String signal) {
        return new Reply(Exit.signalled(signal), "", "", Duration.ZERO, Fault.NONE);
    }

    /** Never ends until cancelled (by a timeout, an interrupt, or a closed connection). */
    public static Reply hang() {
        return new Reply(Exit.exited(0), "", "", Duration.ZERO, Fault.HANG);
    }

    /** The connection drops as the command starts: {@code start} throws {@code TransportException.Connect}. */
    public static Reply dropConnection() {
        return new Reply(Exit.exited(0), "", "", Duration.ZERO, Fault.DROP_CONNECTION);
    }

    /** The output arrives, then the connection drops before the exit status: {@link Exit#unknown(String)}. */
    public static Reply lostStatus(String reason) {
        return new Reply(Exit.unknown(reason), "", "", Duration.ZERO, Fault.NONE);
    }

    /** A copy that prints {@code text} on stdout. */
    public Reply withStdout(String text) {
        return new Reply(exit, text, stderr, delay, fault);
    }

    /** A copy that prints {@code text} on stderr. */
    public Reply withStderr(String text) {
        return new Reply(exit, stdout, text, delay, fault);
    }

    /** A copy whose exit comes after {@code time} (a cancel ends it sooner). */
    public Reply withDelay(Duration time) {
        return new Reply(exit, stdout, stderr, time, fault);
    }

    /** The exit the command ends with (unless cancelled or hanging). */
    public Exit exitStatus() {
        return exit;
    }

    /** What it prints on stdout. */
    public String stdout() {
        return stdout;
    }

    /** What it prints on stderr. */
    public String stderr() {
        return stderr;
    }

    /** How long it runs before it exits. */
    public Duration delay() {
        return delay;
    }

    Fault fault() {
        return fault;
    }

    @Override
    public String toString() {
        String what = switch (fault) {
            case HANG -> "hang until cancelled";
            case DROP_CONNECTION -> "drop the connection";
            case NONE -> exit.describe();
        };
        StringBuilder s = new StringBuilder(what);
        if (!stdout.isEmpty()) {
            s.append(", stdout ").append(stdout.length()).append(" chars");
        }
        if (!stderr.isEmpty()) {
            s.append(", stderr ").append(stderr.length()).append(" chars");
        }
        if (!delay.isZero()) {
            s.append(", after ").append(delay);
        }
        return s.toString();
    }
}
