package io.crossgen.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run started with {@link PipelineRunner#start}: await its report, or cancel it from any thread.
 *
 * <p>Cancelling interrupts the running step (its command is cancelled), skips the later steps, and still runs
 * every deferred cleanup; the report then says {@link RunReport.Outcome#CANCELLED}. Cleanups are not cancelled:
 * each ends by itself or at its time limit.
 *
 * <p>A shutdown hook (Ctrl-C, SIGTERM) must cancel <em>and wait</em>: the JVM halts when its hooks return, and
 * the cleanups run on the run's threads. Bound the wait, and never make the hook wait for a thread that calls
 * {@code System.exit} (that call blocks while hooks run).
 *
 * <pre>{@code
 * RunHandle handle = runner.start(pipeline);
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> {
 *     handle.cancel();
 *     try {
 *         handle.await(Duration.ofMinutes(2));           // the cleanups' budget
 *     } catch (InterruptedException e) {
 *         Thread.currentThread().interrupt();
 *     }
 * }));
 * RunReport report = handle.await(Duration.ofHours(3)).orElseThrow();
 * }</pre>
 */
public final class RunHandle {
    private static final Logger LOG = LoggerFactory.getLogger(RunHandle.class);

    private final Execution execution;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile RunReport report;
    private volatile Throwable crash;

    private RunHandle(Execution execution) {
        this.execution = execution;
    }

    static RunHandle start(Execution execution, String pipeline) {
        RunHandle handle = new RunHandle(execution);
        Thread t = new Thread(handle::runToEnd, "crossgen-run-" + pipeline);
        t.setDaemon(false);
        t.start();
        return handle;
    }

    private void runToEnd() {
        try {
            report = execution.run();
        } catch (Throwable t) {
            LOG.error("run {} ended abnormally", execution.runId(), t);
            crash = t;
        } finally {
            finished.countDown();
        }
    }

    /** The id of the run, as its report will carry it. */
    public String runId() {
        return execution.runId();
    }

    /** Asks the run to stop; returns at once. Safe to call at any time, more than once. */
    public void cancel() {
        execution.cancel();
    }

    /**
     * The deferred cleanups that have not ended yet, in the order they will run, the running one first and
     * marked {@code (running)}; e.g. for a front end that says what it still cleans up after a second Ctrl-C.
     * While steps still run, the cleanups deferred so far.
     */
    public List<String> pendingCleanups() {
        return execution.pendingCleanups();
    }

    /** Whether the run has ended, cleanups included. */
    public boolean isDone() {
        return finished.getCount() == 0;
    }

    /**
     * Waits at most {@code timeout} for the run to end.
     *
     * @return the report, or empty when the run still goes on
     * @throws PipelineException when the run ended abnormally (a bug: the cause says what)
     * @throws InterruptedException when interrupted while waiting (the run goes on; cancel it if needed)
     */
    public Optional<RunReport> await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (!finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        if (crash != null) {
            throw new PipelineException("run " + runId() + " ended abnormally: " + crash, crash);
        }
        return Optional.of(report);
    }

    /** The report when the run has ended; empty before. */
    public Optional<RunReport> report() {
        return Optional.ofNullable(report);
    }

    @Override
    public String toString() {
        return "RunHandle[" + runId() + (isDone() ? ", done]" : ", running]");
    }
}
