package io.crossgen.pipeline;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Host;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a running {@link Step} sees: the hosts by role, typed values handed between steps, deferred cleanups,
 * the listener, and the step's deadline.
 *
 * <p>Commands run through {@link #exec}, which applies the step's deadline, streams output to the listener,
 * and records each command and its exit for the report. In a dry run ({@link #planning()}) the context records
 * the command for the plan and answers with {@code Exit.exited(0)} and empty output, without touching any host.
 * Connections are opened lazily, one per host per run, and closed by the runner at the end.
 *
 * <p>Not thread-safe unless stated: a step uses its context from the thread that runs it.
 */
public interface StepContext {

    /** The name of the step (or cleanup) this context serves. */
    String step();

    /** The id of the run this step is part of (see {@link PipelineRunner#runId()}); the report shows the same. */
    String runId();

    /** The host that plays {@code role}. @throws IllegalArgumentException naming the role when none does */
    Host host(Role role);

    /**
     * The connection to the host that plays {@code role}, opened on first use. In a dry run it records instead
     * of running.
     *
     * <p>One connection per host serves the whole run, steps and cleanups alike; the runner closes it at the end
     * (a step must not). After a dropped line the same connection is asked again: transports reconnect before
     * the next command (the SSH transport re-opens a dead session; a scripted {@code dropConnection()} fails only
     * the command it answers), so a step that retries after a {@link io.crossgen.transport.TransportException}
     * simply asks for the connection again, as {@code Generate} does while following genimage.
     *
     * @throws io.crossgen.transport.TransportException when the host cannot be reached
     * @throws InterruptedException when interrupted while connecting
     */
    Connection connection(Role role) throws InterruptedException;

    /**
     * Runs a command on the host of {@code role} within the step's remaining time, and records it.
     *
     * @return the result, whatever the exit
     * @throws InterruptedException when interrupted; the command has been cancelled
     */
    ExecResult exec(Role role, Command command) throws InterruptedException;

    /** Like {@link #exec(Role, Command)} with a limit of its own (never beyond the step's deadline). */
    ExecResult exec(Role role, Command command, Duration timeout) throws InterruptedException;

    /**
     * Runs a command and requires success.
     *
     * @throws io.crossgen.transport.ExecException when it does not exit 0
     * @throws InterruptedException when interrupted; the command has been cancelled
     */
    default ExecResult check(Role role, Command command) throws InterruptedException {
        return exec(role, command).requireSuccess();
    }

    /** Stores a value for later steps (replacing an earlier value of the same key). */
    <T> void put(Key<T> key, T value);

    /** A value an earlier step stored. */
    <T> Optional<T> get(Key<T> key);

    /**
     * A value an earlier step must have stored.
     *
     * @throws PipelineException naming the key, this step and, when known, the step expected to set it
     */
    <T> T require(Key<T> key);

    /** Defers work to the end of the run; see {@link Cleanup} for the order and guarantees. */
    void defer(String description, Cleanup cleanup);

    /** Records a warning in the report and tells the listener. */
    void warn(String message);

    /** Adds a comment to the plan and the report, e.g. {@code copy 3 files outside /install}. */
    void note(String text);

    /** The run's listener, for events a step reports itself (e.g. bytes copied). Never null. */
    PipelineListener listener();

    /** Whether this is a dry run that records commands instead of running them. */
    boolean planning();

    /** When this step's time is up. */
    Instant deadline();
}
