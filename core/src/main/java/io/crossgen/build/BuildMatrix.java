package io.crossgen.build;

import io.crossgen.build.MatrixRouting.Entry;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.RunReport;
import io.crossgen.transport.Host;
import io.crossgen.transport.Transports;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Several {@link CrossBuild}s over several builders at once, bounded per builder and overall; one report each.
 *
 * <p>A build either names its builder, or is given an architecture (and optionally an OS release) and gets a
 * builder of it from the pool ({@link Builder#pool}), whichever has a free slot first: builders of its own
 * architecture first, then builders of another architecture that allow emulation
 * ({@link PoolBuilder#emulation()}), never one that does not. A build no builder of the pool can take is
 * refused by {@link Builder#build()}, before anything runs. Builders are told apart by their resolved identity
 * ({@link Transports#identity}): {@code ssh://n1} and {@code ssh://root@n1:22} are one builder with one limit.
 * One failure does not stop the others unless
 * {@link Builder#failFast}; then, as soon as a build fails, the running builds are cancelled (their cleanups
 * run) and the ones not yet started are reported cancelled without running a command. Interrupting the thread
 * in {@link #run()} cancels every build, waits for their cleanups, returns the reports and sets the interrupt
 * flag again.
 *
 * <p>The builds of one {@link #run()} share one connection per host (one SSH handshake per host, not two per
 * build), closed when the run ends; a build that ends or is cancelled ends only its own commands on it. A
 * session that dies under them is reconnected before the next command, so it fails the commands running on it
 * then, in every build that shares it (genimage's follow retries; other steps fail as over a connection of
 * their own).
 *
 * <p>A build waiting for a builder takes the first of its candidates that has a free slot, as soon as any has.
 * Pitfall: a build holds one of the {@code maxParallel} threads while it waits for a slot on its builder, so
 * with fewer threads than builders a free builder may wait behind a busy one.
 *
 * <pre>{@code
 * BuildMatrix matrix = BuildMatrix.builder()
 *         .pool("ssh://root@p9node01", "ppc64le").pool("ssh://root@p9node02", "ppc64le")
 *         .add(CrossBuild.from("rhels8.8.0-ppc64le-netboot-compute").as("img1")
 *                 .builderNode("ssh://placeholder"), "ppc64le")
 *         .maxParallel(4).perBuilder(1)
 *         .build();
 * List<BuildMatrix.Result> results = matrix.run();
 * }</pre>
 */
public final class BuildMatrix {
    private final List<Entry> entries;
    private final int maxParallel;
    private final boolean failFast;
    private final PipelineListener listener;
    private final Function<CrossBuild, PipelineListener> perBuild;
    /** Notified whenever a builder's slot is given back, so waiting builds look again at once. */
    private final Object freed = new Object();

    private BuildMatrix(Builder b, List<Entry> entries) {
        this.entries = List.copyOf(entries);
        this.maxParallel = b.maxParallel;
        this.failFast = b.failFast;
        this.listener = b.listener;
        this.perBuild = b.perBuild;
    }

    /** An empty matrix builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One build's outcome: the build as it ran (with its builder), its report, and whether its builder is of
     * another architecture than the build's (it builds under emulation).
     */
    public record Result(CrossBuild build, RunReport report, boolean emulated) {
        public Result {
            Objects.requireNonNull(build, "build");
            Objects.requireNonNull(report, "report");
        }
    }

    /**
     * A builder of the pool.
     *
     * @param host the builder
     * @param arch its architecture ({@code uname -m}; {@code ppc64el} counts as {@code ppc64le})
     * @param release the OS release it runs, in xCAT's osvers form ({@code rhels8.8.0}), when known; builds that
     *     name a release go only to builders of the same distribution group and major release
     * @param maxBuilds at most this many builds on it at once; empty: {@link Builder#perBuilder}
     * @param emulation whether it may build images of other architectures (under qemu-user emulation)
     */
    public record PoolBuilder(Host host, String arch, Optional<String> release, OptionalInt maxBuilds,
            boolean emulation) {
        public PoolBuilder {
            Objects.requireNonNull(host, "host");
            arch = TargetOs.canonicalArch(Objects.requireNonNull(arch, "arch"));
            Objects.requireNonNull(release, "release");
            release.ifPresent(r -> TargetOs.of(r, ""));
            Objects.requireNonNull(maxBuilds, "maxBuilds");
            if (maxBuilds.isPresent() && maxBuilds.getAsInt() < 1) {
                throw new IllegalArgumentException("maxBuilds of " + host.label() + " must be at least 1, not "
                        + maxBuilds.getAsInt());
            }
        }

        /** A builder of {@code arch}, release unknown, the matrix's per-builder limit, no emulation. */
        public static PoolBuilder of(String uri, String arch) {
            return new PoolBuilder(Host.parse(uri), arch, Optional.empty(), OptionalInt.empty(), false);
        }

        /** Whether it builds for {@code arch} natively ({@code false}), by emulation ({@code true}), or not at all. */
        Optional<Boolean> builds(String buildArch, Optional<String> buildRelease) {
            if (buildRelease.isPresent() && release.isPresent() && !sameRelease(buildRelease.get(), release.get())) {
                return Optional.empty();
            }
            if (arch.equals(buildArch)) {
                return Optional.of(false);
            }
            return emulation ? Optional.of(true) : Optional.empty();
        }

        private static boolean sameRelease(String a, String b) {
            TargetOs x = TargetOs.of(a, "");
            TargetOs y = TargetOs.of(b, "");
            return x.group().equals(y.group()) && x.major().equals(y.major());
        }

        String describe() {
            return host.label() + release.map(r -> " " + r).orElse("") + (emulation ? " (emulation allowed)" : "");
        }
    }

    /**
     * Where a build may run: on a builder of an architecture (and OS release), on one named builder, or both
     * (the named builder must then be a pool builder that builds that architecture).
     */
    public record Constraint(Optional<String> arch, Optional<String> release, Optional<Host> builder) {
        public Constraint {
            arch = Objects.requireNonNull(arch, "arch").map(TargetOs::canonicalArch);
            Objects.requireNonNull(release, "release");
            release.ifPresent(r -> TargetOs.of(r, ""));
            Objects.requireNonNull(builder, "builder");
            if (arch.isEmpty() && builder.isEmpty()) {
                throw new IllegalArgumentException("a constraint names an arch, a builder, or both");
            }
        }

        /** Any pool builder of {@code arch}. */
        public static Constraint arch(String arch) {
            return new Constraint(Optional.of(arch), Optional.empty(), Optional.empty());
        }

        /** A copy that wants builders of this OS release (osvers form, {@code rhels8.8.0}). */
        public Constraint withRelease(String osvers) {
            return new Constraint(arch, Optional.of(osvers), builder);
        }

        /** A copy that wants this one builder. */
        public Constraint withBuilder(Host host) {
            return new Constraint(arch, release, Optional.of(host));
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            arch.ifPresent(a -> parts.add("architecture " + a));
            release.ifPresent(r -> parts.add("release " + r));
            return String.join(" and ", parts);
        }
    }

    /**
     * A build routed to a builder, as a plan shows it.
     *
     * @param build the build on its first candidate builder
     * @param emulated whether that builder is of another architecture than the build's
     * @param candidates every builder it may run on, best first (a run takes the first that is free)
     */
    public record Routed(CrossBuild build, boolean emulated, List<Host> candidates) {
        public Routed {
            Objects.requireNonNull(build, "build");
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * Every build as it would run on its first candidate builder, in the order they were added: what a plan of
     * the matrix shows (a run takes whichever candidate is free first).
     */
    public List<Routed> firstChoices() {
        return entries.stream().map(e -> new Routed(e.routed(0), e.emulated().get(0),
                e.candidates().stream().map(c -> c.builder().host()).toList())).toList();
    }

    /**
     * Runs every build and returns their results in the order they were added, once every build has ended
     * (cleanups included).
     *
     * @throws BuildException when a build could not be run at all (a bug; the cause says what), after the
     *     other builds were cancelled and have ended
     */
    public List<Result> run() {
        return new MatrixRun(entries, maxParallel, failFast, this::listenerOf, freed).run();
    }

    private PipelineListener listenerOf(CrossBuild build) {
        return Listeners.all(listener, perBuild.apply(build));
    }

    /** Builds a {@link BuildMatrix}. */
    public static final class Builder {
        private final List<CrossBuild> builds = new ArrayList<>();
        private final List<Constraint> constraints = new ArrayList<>();
        private final List<PoolBuilder> pool = new ArrayList<>();
        private int maxParallel = 4;
        private int perBuilder = 1;
        private boolean failFast;
        private PipelineListener listener = Listeners.none();
        private Function<CrossBuild, PipelineListener> perBuild = b -> Listeners.none();
        private Transports transports;

        private Builder() {
        }

        /** A build on the builder it names (sharing that builder's limit when it is in the pool). */
        public Builder add(CrossBuild build) {
            return add(build, new Constraint(Optional.empty(), Optional.empty(),
                    Optional.of(Objects.requireNonNull(build, "build").builderNode())));
        }

        /** A build on any pool builder of {@code arch} (its own builder is replaced). */
        public Builder add(CrossBuild build, String arch) {
            return add(build, Constraint.arch(Objects.requireNonNull(arch, "arch")));
        }

        /** A build on a pool builder that meets the constraint (its own builder is replaced). */
        public Builder add(CrossBuild build, Constraint where) {
            builds.add(Objects.requireNonNull(build, "build"));
            constraints.add(Objects.requireNonNull(where, "constraint"));
            return this;
        }

        /** A builder of the pool, for builds added with an architecture ({@code ppc64el} counts as {@code ppc64le}). */
        public Builder pool(String uri, String arch) {
            return pool(PoolBuilder.of(uri, arch.toLowerCase(Locale.ROOT)));
        }

        /** A builder of the pool. */
        public Builder pool(PoolBuilder builder) {
            pool.add(Objects.requireNonNull(builder, "builder"));
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

        /**
         * At most this many builds on one builder at once (1 by default), unless its {@link PoolBuilder#maxBuilds}
         * says.
         */
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
         * A listener of its own for each build, made when the build starts (or is reported cancelled before it
         * started) from the build as routed, so it knows the builder; heard besides {@link #listener}.
         */
        public Builder listenerPerBuild(Function<CrossBuild, PipelineListener> value) {
            this.perBuild = Objects.requireNonNull(value, "listenerPerBuild");
            return this;
        }

        /** Resolves builders' identities ({@link Transports#identity}); {@link Transports#discover()} by default. */
        public Builder transports(Transports value) {
            this.transports = Objects.requireNonNull(value, "transports");
            return this;
        }

        /**
         * The matrix.
         *
         * @throws IllegalArgumentException when no build was added, a pool builder is listed twice (by identity),
         *     or a host's identity cannot be resolved
         * @throws BuildException when a build has no candidate builder: an architecture (or release) no pool
         *     builder builds, or a named builder that is not in the pool or does not build its architecture
         */
        public BuildMatrix build() {
            if (builds.isEmpty()) {
                throw new IllegalArgumentException("add at least one build");
            }
            Transports t = transports != null ? transports : Transports.discover();
            return new BuildMatrix(this, MatrixRouting.route(builds, constraints, pool, perBuilder, t));
        }
    }
}
