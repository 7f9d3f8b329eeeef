package io.crossgen.transport;

import io.crossgen.command.Command;

/**
 * An open line to one host that starts processes there.
 *
 * <p>The SPI is deliberately this small: everything else (running with a timeout, capturing output, copying
 * files, relaying tar streams between hosts) is built once in core on top of {@link #start}, for every
 * transport. Use {@link Exec} to run a command to its end.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>{@link #start} honours {@link Command#argv()}, {@link Command#workingDirectory()} and
 *   {@link Command#environment()} exactly (no word splitting or expansion of user data; a transport that must
 *   hand a shell a line renders it with {@link io.crossgen.command.Shell#render}). It does not read
 *   {@link Command#stdin()}: the caller writes {@link RemoteProcess#stdin()} and closes it.</li>
 *   <li>It is safe to start several processes at once from several threads.</li>
 *   <li>{@link #close()} cancels processes still running and releases the connection; it is idempotent.</li>
 * </ul>
 */
public interface Connection extends AutoCloseable {

    /** The host this connection reaches. */
    Host host();

    /**
     * Starts a process.
     *
     * <p>A program that is not found is reported the way a shell reports it, as far as the transport can
     * tell: an SSH host's shell exits 127 with a message on stderr, so a transport that checks first may throw
     * instead, but callers must handle both.
     *
     * @throws TransportException when the process cannot be started (connection lost, working folder missing)
     * @throws InterruptedException when interrupted while starting
     */
    RemoteProcess start(Command command) throws InterruptedException;

    /** Cancels what still runs and releases the connection. Never throws. */
    @Override
    void close();
}
