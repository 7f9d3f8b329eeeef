package io.crossgen.transport;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;

/**
 * A process started by a {@link Connection}: its three streams, a bounded wait, and cancellation.
 *
 * <p>Pitfalls: drain {@link #stdout()} and {@link #stderr()} concurrently while waiting, or a process that
 * prints more than a pipe buffer blocks forever. Close {@link #stdin()} when you have nothing (more) to send:
 * many programs, xCAT's clients among them, wait on an open stdin. {@link Exec} does all of this.
 *
 * <p>Contract for implementations: {@link #waitFor} returns the exit only once it is known for certain (for
 * SSH: after end of both streams and channel close); {@link #cancel()} kills the whole process tree, not only
 * the direct child, and is idempotent; {@link #close()} cancels a process still running.
 */
public interface RemoteProcess extends AutoCloseable {

    /** The process's standard input. Close it to signal end of input. */
    OutputStream stdin();

    /** The process's standard output. */
    InputStream stdout();

    /** The process's standard error. */
    InputStream stderr();

    /**
     * Waits at most {@code timeout} for the process to end.
     *
     * @return the exit, or empty when the process still runs after {@code timeout}
     * @throws InterruptedException when interrupted while waiting (the process keeps running: cancel it)
     */
    Optional<Exit> waitFor(Duration timeout) throws InterruptedException;

    /** Kills the process and everything it started. Safe to call at any time, more than once. */
    void cancel();

    /** Cancels the process if it still runs and releases its resources. Never throws. */
    @Override
    void close();
}
