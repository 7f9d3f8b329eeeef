package io.crossgen.build;

import io.crossgen.build.BuildMatrix.Result;
import io.crossgen.build.MatrixRouting.Entry;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.PipelineRunner;
import io.crossgen.pipeline.RunHandle;
import io.crossgen.pipeline.RunReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One run of a {@link BuildMatrix}: at most {@code maxParallel} builds at once, each waiting for a free slot on
 * one of its candidate builders; fail-fast and interrupts cancel the running builds and report the others
 * cancelled before they start. The builds share one connection per host ({@link SharedConnections}), closed
 * when the last build has ended.
 */
final class MatrixRun {
    private final List<Entry> entries;
    private final int maxParallel;
    private final boolean failFast;
    private final Function<CrossBuild, PipelineListener> listenerOf;
    /** Notified whenever a builder's slot is given back, so waiting builds look again at once. */
    private final Object freed;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<RunHandle> handles = Collections.synchronizedList(new ArrayList<>());
    /** One connection per host for all the builds (see {@link SharedConnections}). */
    private final SharedConnections connections = new SharedConnections();

    MatrixRun(List<Entry> entries, int maxParallel, boolean failFast,
            Function<CrossBuild, PipelineListener> listenerOf, Object freed) {
        this.entries = entries;
        this.maxParallel = maxParallel;
        this.failFast = failFast;
        this.listenerOf = listenerOf;
        this.freed = freed;
    }

    /** See {@link BuildMatrix#run()}. */
    List<Result> run() {
        try (connections) {
            return runAll();
        }
    }

    private List<Result> runAll() {
        ExecutorService workers = Executors.newFixedThreadPool(maxParallel, r -> {
            Thread t = new Thread(r, "crossgen-matrix");
            t.setDaemon(true);
            return t;
        });
        List<Future<Result>> futures = new ArrayList<>();
        for (Entry e : entries) {
            futures.add(workers.submit(() -> runOne(e)));
        }
        workers.shutdown();
        boolean interrupted = false;
        Throwable crash = null;
        List<Result> results = new ArrayList<>();
        for (Future<Result> f : futures) {
            while (true) {
                try {
                    results.add(f.get());
                    break;
                } catch (InterruptedException ie) {
                    interrupted = true;
                    stopAll();
                } catch (ExecutionException ee) {
                    if (crash == null) {
                        crash = ee.getCause();
                        stopAll();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (crash != null) {
            throw new BuildException("a build of the matrix could not be run: " + crash, crash);
        }
        return results;
    }

    private void stopAll() {
        stop.set(true);
        synchronized (handles) {
            handles.forEach(RunHandle::cancel);
        }
    }

    private Result runOne(Entry e) throws InterruptedException {
        int chosen = -1;
        while (chosen < 0) {
            if (stop.get()) {
                return cancelledBeforeStart(e.routed(0), e.emulated().get(0));
            }
            for (int i = 0; i < e.candidates().size() && chosen < 0; i++) {
                if (e.candidates().get(i).permits().tryAcquire()) {
                    chosen = i;
                }
            }
            if (chosen < 0) {
                // Woken by any builder's release; the bound covers a release between the pass above and here.
                synchronized (freed) {
                    freed.wait(200);
                }
            }
        }
        try {
            CrossBuild build = e.routed(chosen);
            boolean emulated = e.emulated().get(chosen);
            if (stop.get()) {
                return cancelledBeforeStart(build, emulated);
            }
            PipelineRunner runner = build.runner(listenerOf.apply(build));
            RunHandle handle = runner.toBuilder().transports(connections.wrap(runner.transports())).build()
                    .start(build.pipeline());
            handles.add(handle);
            if (stop.get()) {
                handle.cancel();
            }
            RunReport report = await(handle);
            // Fail fast from here, at once: the caller collects results in the order of the builds, and would
            // only notice this failure after every earlier build had ended.
            if (failFast && report.outcome() == RunReport.Outcome.FAILED && !stop.get()) {
                stopAll();
            }
            return new Result(build, report, emulated);
        } finally {
            e.candidates().get(chosen).permits().release();
            synchronized (freed) {
                freed.notifyAll();
            }
        }
    }

    /**
     * The report of a build that is not to start: the runner's own account of a run cancelled before its first
     * step (every step SKIPPED, {@code not run: the run was cancelled}), got by running it on a thread whose
     * interrupt flag is set, which the runner documents to cancel the run before anything runs.
     */
    private Result cancelledBeforeStart(CrossBuild build, boolean emulated) {
        boolean wasInterrupted = Thread.interrupted();
        Thread.currentThread().interrupt();
        RunReport report;
        try {
            report = build.run(listenerOf.apply(build));
        } finally {
            Thread.interrupted();
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new Result(build, report, emulated);
    }

    /** Waits for a run to end, cleanups included, whatever interrupts arrive meanwhile. */
    private static RunReport await(RunHandle handle) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    Optional<RunReport> r = handle.await(Duration.ofSeconds(1));
                    if (r.isPresent()) {
                        return r.get();
                    }
                } catch (InterruptedException ie) {
                    interrupted = true;
                    handle.cancel();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
