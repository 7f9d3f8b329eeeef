package io.crossgen.build;

import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.RunHandle;
import io.crossgen.pipeline.RunReport;
import io.crossgen.transport.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Several {@link CrossBuild}s over several builders at once, bounded per builder and overall; one report each.
 *
 * <p>A build either names its builder, or is given an architecture and gets a builder of it from the pool
 * ({@link Builder#pool}), whichever has a free slot first; a build of an architecture the pool has no builder
 * of is refused by {@link Builder#build()}, before anything runs. One failure does not stop the others unless
 * {@link Builder#failFast}; then, as soon as a build fails, the running builds are cancelled (their cleanups
 * run) and the ones not yet started are reported cancelled without running a command. Interrupting the thread
 * in {@link #run()} cancels every build, waits for their cleanups, returns the reports and sets the interrupt
 * flag again.
 *
 * <p>Pitfall: a build holds one of the {@code maxParallel} threads while it waits for a slot on its builder, so
 * with fewer threads than builders a free builder may wait behind a busy one.
 *
 * <pre>{@code
 * BuildMatrix matrix = BuildMatrix.builder()
 *         .pool("ssh://root@p9node01", "ppc64le").pool("ssh://root@p9node02", "ppc64le")
 *         .add(CrossBuild.from("rhels8.8.0-ppc64le-netboot-compute").as("img1").builder("ssh://placeholder"), "ppc64le")
 *         .maxParallel(4).perBuilder(1)
 *         .build();
 * List<BuildMatrix.Result> results = matrix.run();
 * }</pre>
 */
public final class BuildMatrix {
    private final List<Entry> entries;
    private final Map<String, List<Host>> pool;
    private final int maxParallel;
    private final int perBuilder;
    private final boolean failFast;
    private final PipelineListener listener;

    private BuildMatrix(Builder b) {
        this.entries = List.copyOf(b.entries);
        Map<String, List<Host>> p = new LinkedHashMap<>();
        b.pool.forEach((arch, hosts) -> p.put(arch, List.copyOf(hosts)));
        this.pool = p;
        this.maxParallel = b.maxParallel;
        this.perBuilder = b.perBuilder;
        this.failFast = b.failFast;
        this.listener = b.listener;
    }

    /** An empty matrix builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** One build's outcome: the build as it ran (with its builder) and its report. */
    public record Result(CrossBuild build, RunReport report) {
        public Result {
            Objects.requireNonNull(build, "build");
            Objects.requireNonNull(report, "report");
        }
    }

    private record Entry(CrossBuild build, Optional<String> arch) {
    }

    /**
     * Runs every build and returns their results in the order they were added, once every build has ended
     * (cleanups included).
     *
     * @throws BuildException when a build could not be run at all (a bug; the cause says what), after the
     *     other builds were cancelled and have ended
     */
    public List<Result> run() {
        ExecutorService workers = Executors.newFixedThreadPool(maxParallel, r -> {
            Thread t = new Thread(r, "crossgen-matrix");
            t.setDaemon(true);
            return t;
        });
        Map<Host, Semaphore> slots = new LinkedHashMap<>();
        for (Entry e : entries) {
            candidates(e).forEach(h -> slots.computeIfAbsent(h, k -> new Semaphore(perBuilder, true)));
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<RunHandle> handles = Collections.synchronizedList(new ArrayList<>());
        List<Future<Result>> futures = new ArrayList<>();
        for (Entry e : entries) {
            futures.add(workers.submit(() -> runOne(e, slots, stop, handles)));
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
                    stopAll(stop, handles);
                } catch (ExecutionException ee) {
                    if (crash == null) {
                        crash = ee.getCause();
                        stopAll(stop, handles);
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

    private static void stopAll(AtomicBoolean stop, List<RunHandle> handles) {
        stop.set(true);
        synchronized (handles) {
            handles.forEach(RunHandle::cancel);
        }
    }

    private List<Host> candidates(Entry e) {
        return candidates(e, pool);
    }

    /** The builders an entry may run on. @throws BuildException when the pool has none of its architecture */
    private static List<Host> candidates(Entry e, Map<String, List<Host>> pool) {
        if (e.arch().isEmpty()) {
            return List.of(e.build().builder());
        }
        List<Host> hosts = pool.get(e.arch().get());
        if (hosts == null || hosts.isEmpty()) {
            throw new BuildException("no builder of architecture " + e.arch().get() + " in the pool for "
                    + e.build().target() + " (pool: " + (pool.isEmpty() ? "empty" : pool.entrySet().stream()
                    .map(p -> p.getKey() + ": " + p.getValue().stream().map(Host::label)
                            .collect(Collectors.joining(", ")))
                    .collect(Collectors.joining("; "))) + ")");
        }
        return hosts;
    }

    private Result runOne(Entry e, Map<Host, Semaphore> slots, AtomicBoolean stop, List<RunHandle> handles)
            throws InterruptedException {
        Host chosen = null;
        while (chosen == null) {
            if (stop.get()) {
                return cancelledBeforeStart(e.build());
            }
            for (Host h : candidates(e)) {
                if (slots.get(h).tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    chosen = h;
                    break;
                }
            }
        }
        try {
            CrossBuild build = e.arch().isPresent() ? e.build().withBuilder(chosen) : e.build();
            if (stop.get()) {
                return cancelledBeforeStart(build);
            }
            RunHandle handle = build.start(listener);
            handles.add(handle);
            if (stop.get()) {
                handle.cancel();
            }
            RunReport report = await(handle);
            // Fail fast from here, at once: the caller collects results in the order of the builds, and would
            // only notice this failure after every earlier build had ended.
            if (failFast && report.outcome() == RunReport.Outcome.FAILED && !stop.get()) {
                stopAll(stop, handles);
            }
            return new Result(build, report);
        } finally {
            slots.get(chosen).release();
        }
    }

    /**
     * The report of a build that is not to start: the runner's own account of a run cancelled before its first
     * step (every step SKIPPED, {@code not run: the run was cancelled}), got by running it on a thread whose
     * interrupt flag is set, which the runner documents to cancel the run before anything runs.
     */
    private Result cancelledBeforeStart(CrossBuild build) {
        boolean wasInterrupted = Thread.interrupted();
        Thread.currentThread().interrupt();
        RunReport report;
        try {
            report = build.run(listener);
        } finally {
            Thread.interrupted();
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new Result(build, report);
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

    /** Builds a {@link BuildMatrix}. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private final Map<String, List<Host>> pool = new LinkedHashMap<>();
        private int maxParallel = 4;
        private int perBuilder = 1;
        private boolean failFast;
        private PipelineListener listener = Listeners.none();

        private Builder() {
        }

        /** A build on the builder it names. */
        public Builder add(CrossBuild build) {
            entries.add(new Entry(Objects.requireNonNull(build, "build"), Optional.empty()));
            return this;
        }

        /** A build on any pool builder of {@code arch} (its own builder is replaced). */
        public Builder add(CrossBuild build, String arch) {
            entries.add(new Entry(Objects.requireNonNull(build, "build"),
                    Optional.of(TargetOs.canonicalArch(Objects.requireNonNull(arch, "arch")))));
            return this;
        }

        /** A builder of the pool, for builds added with an architecture ({@code ppc64el} counts as {@code ppc64le}). */
        public Builder pool(String uri, String arch) {
            pool.computeIfAbsent(TargetOs.canonicalArch(arch.toLowerCase(Locale.ROOT)), k -> new ArrayList<>())
                    .add(Host.parse(uri));
            return this;
        }

        /** At most this many builds at once (4 by default). */
        public Builder maxParallel(int builds) {
            if (builds < 1) {
                throw new IllegalArgumentException("maxParallel must be at least 1, not " + builds);
            }
            this.maxParallel = builds;
            return this;
        }

        /** At most this many builds on one builder at once (1 by default). */
        public Builder perBuilder(int builds) {
            if (builds < 1) {
                throw new IllegalArgumentException("perBuilder must be at least 1, not " + builds);
            }
            this.perBuilder = builds;
            return this;
        }

        /** Cancels the others at the first failure. */
        public Builder failFast(boolean on) {
            this.failFast = on;
            return this;
        }

        /** Hears every build (from several threads at once). */
        public Builder listener(PipelineListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * The matrix.
         *
         * @throws IllegalArgumentException when no build was added
         * @throws BuildException when a build names an architecture the pool has no builder of
         */
        public BuildMatrix build() {
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("add at least one build");
            }
            for (Entry e : entries) {
                candidates(e, pool);
            }
            return new BuildMatrix(this);
        }
    }
}
