package io.crossgen.build;

import io.crossgen.build.BuildMatrix.Constraint;
import io.crossgen.build.BuildMatrix.PoolBuilder;
import io.crossgen.transport.Host;
import io.crossgen.transport.Transports;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * Routes a matrix's builds to builders of its pool: one {@link Slot} per builder identity, and for each build the
 * builders it may run on, best first (its own architecture, then emulation), or a {@link BuildException} saying
 * why no builder can take it.
 */
final class MatrixRouting {

    /** One builder's place: its host, identity and free build slots. */
    record Slot(PoolBuilder builder, String identity, Semaphore permits) {
    }

    /** A build with the builders it may run on, best first, and whether each would emulate. */
    record Entry(CrossBuild build, Constraint constraint, List<Slot> candidates, List<Boolean> emulated) {

        /** The build as it runs on its {@code candidate}-th builder (with emulation when that builder emulates). */
        CrossBuild routed(int candidate) {
            Host host = candidates.get(candidate).builder().host();
            CrossBuild routed = host.equals(build.builderNode()) ? build : build.withBuilderNode(host);
            return emulated.get(candidate) ? routed.withEmulation(Emulation.qemuUser()) : routed;
        }
    }

    private final List<PoolBuilder> pool;
    private final int perBuilder;
    private final Transports transports;
    private final Map<String, Slot> byIdentity = new LinkedHashMap<>();

    private MatrixRouting(List<PoolBuilder> pool, int perBuilder, Transports transports) {
        this.pool = pool;
        this.perBuilder = perBuilder;
        this.transports = transports;
    }

    /**
     * Every build with its candidates, in the order given ({@code constraints} pairs with {@code builds}).
     *
     * @throws IllegalArgumentException when a pool builder is listed twice (by identity)
     * @throws BuildException when a build has no candidate builder
     */
    static List<Entry> route(List<CrossBuild> builds, List<Constraint> constraints, List<PoolBuilder> pool,
            int perBuilder, Transports transports) {
        MatrixRouting routing = new MatrixRouting(pool, perBuilder, transports);
        for (PoolBuilder b : pool) {
            String id = transports.identity(b.host());
            Slot other = routing.byIdentity.get(id);
            if (other != null) {
                throw new IllegalArgumentException("builders " + other.builder().host() + " and " + b.host()
                        + " are the same host (" + id + "); list it once in the pool");
            }
            routing.byIdentity.put(id, new Slot(b, id, new Semaphore(b.maxBuilds().orElse(perBuilder), true)));
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < builds.size(); i++) {
            entries.add(routing.entry(builds.get(i), constraints.get(i)));
        }
        return entries;
    }

    private Entry entry(CrossBuild build, Constraint c) {
        if (c.builder().isPresent()) {
            Host named = c.builder().get();
            String id = transports.identity(named);
            Slot slot = byIdentity.get(id);
            if (slot == null) {
                if (c.arch().isPresent()) {
                    throw new BuildException("builder " + named.label() + " of " + build.target()
                            + " is not in the pool (pool: " + describe(pool) + ")");
                }
                slot = new Slot(new PoolBuilder(named, "unknown", Optional.empty(), OptionalInt.of(perBuilder),
                        false), id, new Semaphore(perBuilder, true));
                byIdentity.put(id, slot);
                return new Entry(build, c, List.of(slot), List.of(false));
            }
            if (c.arch().isEmpty()) {
                return new Entry(build, c, List.of(slot), List.of(false));
            }
            Optional<Boolean> emulated = slot.builder().builds(c.arch().get(), c.release());
            if (emulated.isEmpty()) {
                throw new BuildException("builder " + named.label() + " of " + build.target() + " does not build "
                        + c.describe() + " (" + slot.builder().arch() + ": " + slot.builder().describe() + ")");
            }
            return new Entry(build, c, List.of(slot), List.of(emulated.get()));
        }
        List<Slot> candidates = new ArrayList<>();
        List<Boolean> emulated = new ArrayList<>();
        for (boolean emulating : List.of(false, true)) {
            for (Slot s : byIdentity.values()) {
                if (s.builder().builds(c.arch().orElseThrow(), c.release()).equals(Optional.of(emulating))) {
                    candidates.add(s);
                    emulated.add(emulating);
                }
            }
        }
        if (candidates.isEmpty()) {
            throw new BuildException("no builder of " + c.describe() + " in the pool for " + build.target()
                    + " (pool: " + describe(pool) + ")");
        }
        return new Entry(build, c, candidates, emulated);
    }

    private static String describe(List<PoolBuilder> pool) {
        if (pool.isEmpty()) {
            return "empty";
        }
        Map<String, List<String>> byArch = new LinkedHashMap<>();
        pool.forEach(b -> byArch.computeIfAbsent(b.arch(), k -> new ArrayList<>()).add(b.describe()));
        return byArch.entrySet().stream().map(e -> e.getKey() + ": " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }
}
