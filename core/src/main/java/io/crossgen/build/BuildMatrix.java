package io.crossgen.build;

import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.RunHandle;
import io.crossgen.pipeline.RunReport;
import io.crossgen.transport.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Several {@link CrossBuild}s over several builders at once, bounded per builder and overall; one report each.
 *
 * <p>A build either names its builder, or is given an architecture and gets a builder of it from the pool
 * ({@link Builder#pool}), whichever has a free slot first. One failure does not stop the others unless
 * {@link Builder#failFast}; then the running builds are cancelled (their cleanups run) and the ones not yet
 * started are reported cancelled without running. Interrupting the thread in {@link #run()} cancels every build,
 * waits for their cleanups, returns the reports and sets the interrupt flag again.
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

    /** Runs every build and returns their results in the order they were added. */
    public List<Result> run() {
        ExecutorService pool = Executors.newFixedThreadPool(maxParallel, r -> {
            Thread t = new Thread(r, "crossgen-matrix");
            t.setDaemon(true);
            return t;
        });
        Map<Host, Semaphore> slots = new LinkedHashMap<>();
        for (Entry e : entries) {
            candidates(e).forEach(h -> slots.computeIfAbsent(h, k -> new Semaphore(perBuilder, true)));
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<RunHandle> handles = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<Result>> futures = new ArrayList<>();
        for (Entry e : entries) {
            futures.add(pool.submit(() -> runOne(e, slots, stop, handles)));
        }
        pool.shutdown();
        boolean interrupted = false;
        List<Result> results = new ArrayList<>();
        for (Future<Result> f : futures) {
            while (true) {
                try {
                    Result r = f.get();
                    results.add(r);
                    if (failFast && !r.report().succeeded() && stop.compareAndSet(false, true)) {
                        cancelAll(handles);
                    }
                    break;
                } catch (InterruptedException ie) {
                    interrupted = true;
                    stop.set(true);
                    cancelAll(handles);
                } catch (java.util.concurrent.ExecutionException ee) {
                    throw new BuildException("a build of the matrix failed to run: " + ee.getCause(), ee.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return results;
    }

    private static void cancelAll(List<RunHandle> handles) {
        synchronized (handles) {
            handles.forEach(RunHandle::cancel);
        }
    }

    private List<Host> candidates(Entry e) {
        if (e.arch().isEmpty()) {
            return List.of(e.build().builder());
        }
        List<Host> hosts = pool.get(TargetOs.canonicalArch(e.arch().get()));
        if (hosts == null || hosts.isEmpty()) {
            throw new BuildException("no builder of architecture " + e.arch().get() + " in the pool for "
                    + e.build().target() + " (pool: " + pool.keySet() + ")");
        }
        return hosts;
    }

    private Result runOne(Entry e, Map<Host, Semaphore> slots, AtomicBoolean stop, List<RunHandle> handles)
            throws InterruptedException {
        Host chosen = null;
        while (chosen == null) {
            if (stop.get()) {
                return cancelledBeforeStart(e.build(), handles);
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
                return cancelledBeforeStart(build, handles);
            }
            RunHandle handle = build.start(listener);
            handles.add(handle);
            if (stop.get()) {
                handle.cancel();
            }
            RunReport report = await(handle);
            return new Result(build, report);
        } finally {
            slots.get(chosen).release();
        }
    }

    private Result cancelledBeforeStart(CrossBuild build, List<RunHandle> handles) {
        RunHandle handle = build.start(listener);
        handle.cancel();
        return new Result(build, await(handle));
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

        /** The matrix. @throws IllegalArgumentException when no build was added */
        public BuildMatrix build() {
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("add at least one build");
            }
            return new BuildMatrix(this);
        }
    }
}
