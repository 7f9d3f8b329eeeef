package io.crossgen.pipeline;

import io.crossgen.command.Command;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Host;
import io.crossgen.transport.StdStream;
import java.time.Duration;
import java.util.Optional;

/**
 * Hears what a run does, as it happens: steps, commands, output lines, bytes copied, warnings.
 *
 * <p>Every method has a no-op default, so a listener overrides only what it needs. Called from the runner's
 * and the output readers' threads, one event at a time (the runner holds a lock around each call), so
 * implementations must be quick. Steps that run at once interleave their events: a {@code stepStarted} may
 * follow another before the first step's {@code stepFinished}; each event names its step. An exception thrown by a
 * listener is logged and never breaks the run. Combine listeners with {@link Listeners#all}; ready-made ones:
 * {@link Listeners#logging()}, {@link Listeners#console()}.
 *
 * <pre>{@code
 * PipelineListener progress = new PipelineListener() {
 *     public void stepStarted(String step) { log.info("==> {}", step); }
 * };
 * }</pre>
 */
public interface PipelineListener {

    /** The run starts; {@code planning} for a dry run. */
    default void runStarted(String pipeline, boolean planning) {
    }

    /** A step starts. */
    default void stepStarted(String step) {
    }

    /** A step ended, with its status, duration and, for a failure, the cause. */
    default void stepFinished(String step, StepStatus status, Duration duration, Optional<Throwable> failure) {
    }

    /** A command starts on a host. */
    default void commandStarted(String step, Host host, Command command) {
    }

    /** A command ended. */
    default void commandFinished(String step, ExecResult result) {
    }

    /** A line of a command's output. */
    default void outputLine(String step, Host host, StdStream stream, String line) {
    }

    /** Bytes moved between hosts so far in a copy of the step ({@code total} is cumulative). */
    default void bytesTransferred(String step, Host from, Host to, long total) {
    }

    /** A step warned. */
    default void warning(String step, String message) {
    }

    /** A step noted something for the plan and the report ({@link StepContext#note}). */
    default void note(String step, String text) {
    }

    /** A cleanup deferred by {@code step} starts. */
    default void cleanupStarted(String step, String description) {
    }

    /** A cleanup ended: DONE, FAILED, or CANCELLED when its time ran out. */
    default void cleanupFinished(String step, String description, StepStatus status, Duration duration,
                                 Optional<Throwable> failure) {
    }

    /**
     * The run as it would read if it stopped now: steps done so far DONE, the running step FAILED ("interrupted"),
     * later steps SKIPPED, with every value stored so far. Sent when a step starts and when a step stores a value,
     * so that a journal written from it lets a run killed without its cleanups be resumed
     * ({@link PipelineRunner.Builder#resumeFrom}) or cleaned up. Not sent in planning mode.
     */
    default void progress(RunReport soFar) {
    }

    /** The run ended, cleanups included and connections closed; for a dry run this is not called. */
    default void runFinished(RunReport report) {
    }
}
