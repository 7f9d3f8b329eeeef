package io.crossgen.build;

import static io.crossgen.build.BuildMatrixTest.assertAllSucceeded;
import static io.crossgen.build.BuildMatrixTest.assertOneBuildAtATime;
import static io.crossgen.build.BuildMatrixTest.startedOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.RunReport;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import io.crossgen.transport.TransportProvider;
import io.crossgen.transport.Transports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Routing builds to a pool of builders: architecture, release, emulation, limits, identity, no candidate. */
class BuildMatrixPoolTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final String FAILED_GENIMAGE = "crossgen-follow rc=1 alive=no end=35 size=35\n"
            + "Can't locate xCAT/Utils.pm in @INC\n";

    private static BuildMatrix.PoolBuilder builder(String name, String arch, String release, int max,
            boolean emulation) {
        return new BuildMatrix.PoolBuilder(ScriptedTransport.host(name), arch, Optional.ofNullable(release),
                OptionalInt.of(max), emulation);
    }

    private static List<String> hostnames(BuildMatrix.Routed r) {
        return r.candidates().stream().map(Host::hostname).toList();
    }

    @Test
    void aBuildOfAReleaseGoesOnlyToBuildersOfThatDistributionAndMajorRelease() {
        BuildMatrixTest.Hosts hosts = new BuildMatrixTest.Hosts().builder("p9el8", "ppc64le")
                .builder("p9el7", "ppc64le");
        BuildMatrix matrix = BuildMatrix.builder()
                .pool(builder("p9el8", "ppc64le", "rhels8.8.0", 1, false))
                .pool(builder("p9el7", "ppc64le", "rhels7.9", 1, false))
                .add(hosts.build("ppc1", true), BuildMatrix.Constraint.arch("ppc64le").withRelease("rhels7.9"))
                .add(hosts.build("ppc2", true), BuildMatrix.Constraint.arch("ppc64le").withRelease("centos7.4"))
                .add(hosts.build("ppc3", true), BuildMatrix.Constraint.arch("ppc64le"))
                .build();
        ScriptedTransport h = hosts.done();

        List<BuildMatrix.Routed> routes = matrix.firstChoices();
        List<BuildMatrix.Result> results = matrix.run();

        assertEquals(List.of("p9el7"), hostnames(routes.get(0)));
        assertEquals(List.of("p9el7"), hostnames(routes.get(1)), "centos 7 is of the rh group, major 7");
        assertEquals(List.of("p9el8", "p9el7"), hostnames(routes.get(2)), "no release: any builder of the arch");
        assertAllSucceeded(results);
        assertTrue(startedOn(h, "p9el7").containsAll(Set.of("ppc1", "ppc2")), () -> startedOn(h, "p9el7").toString());
        assertFalse(startedOn(h, "p9el8").contains("ppc1"));
        assertFalse(startedOn(h, "p9el8").contains("ppc2"));
    }

    @Test
    void aBuilderOfAnotherArchitectureIsACandidateOnlyWhereEmulationIsAllowedAndOnlyAfterNativeOnes() {
        BuildMatrixTest.Hosts hosts = new BuildMatrixTest.Hosts();
        BuildMatrix matrix = BuildMatrix.builder()
                .pool(builder("x86emu", "x86_64", null, 1, true))
                .pool(builder("x86plain", "x86_64", null, 1, false))
                .pool(builder("p9", "ppc64le", null, 1, false))
                .add(hosts.build("ppc1", true), "ppc64le")
                .add(hosts.build("img1", false), "x86_64")
                .build();

        List<BuildMatrix.Routed> routes = matrix.firstChoices();

        assertEquals(List.of("p9", "x86emu"), hostnames(routes.get(0)));
        assertEquals("p9", routes.get(0).build().builderNode().hostname());
        assertFalse(routes.get(0).emulated());
        assertEquals(List.of("x86emu", "x86plain"), hostnames(routes.get(1)));
        assertFalse(routes.get(1).emulated(), "x86emu builds x86_64 natively");

        BuildException e = assertThrows(BuildException.class, () -> BuildMatrix.builder()
                .pool(builder("x86plain", "x86_64", null, 1, false))
                .add(hosts.build("ppc2", true), "ppc64le").build());
        assertEquals("no builder of architecture ppc64le in the pool for ppc2 (pool: x86_64: x86plain)",
                e.getMessage());
        assertEquals(List.of(), hosts.done().commands());
    }

    @Test
    void whileTheNativeBuilderIsBusyTheNextBuildRunsOnTheEmulatingBuilderAndSaysSo() {
        BuildMatrixTest.Hosts hosts = new BuildMatrixTest.Hosts().builder("p9", "ppc64le");
        // the x86_64 builder runs ppc64le binaries through qemu-user: a real Debian 12 binfmt_misc entry
        String ppc64leEntry = Seed.resource("binfmt/qemu-ppc64le.txt").lines()
                .map(line -> "binfmt qemu-ppc64le " + line + "\n").collect(Collectors.joining());
        hosts.h.on("x86emu", BuildMatrixTest.PREFLIGHT).reply(0, SeedRunTest.FACTS.replace("os.version_id=6.3",
                "os.version_id=7.9") + "binfmt.status=enabled\n" + ppc64leEntry + "binfmt qemu-ppc64le present yes\n");
        hosts.h.on("x86emu", SeedRunTest.SMOKE).reply(0, "machine=ppc64le\n");
        hosts.h.on("xcatmn", "lsxcatd", "-v").reply(0, "Version 2.18.2 (git commit 7733d16, built Fri Aug 21 2026)\n");
        hosts.builder("x86emu", "x86_64");
        // ppc1 holds its builder until ppc2 runs genimage, so ppc2 must take the other one, under emulation.
        BuildMatrix matrix = BuildMatrix.builder()
                .pool(builder("p9", "ppc64le", "rhels7.9", 1, false))
                .pool(builder("x86emu", "x86_64", "rhels7.9", 1, true))
                .add(BuildMatrixTest.afterGenimageOf(hosts.build("ppc1", true), "ppc2", hosts.h), "ppc64le")
                .add(hosts.build("ppc2", true), "ppc64le")
                .build();
        ScriptedTransport h = hosts.done();

        List<BuildMatrix.Result> results = matrix.run();

        assertAllSucceeded(results);
        assertEquals(Set.of("ppc1", "ppc2"), Set.of(startedOn(h, "p9").iterator().next(),
                startedOn(h, "x86emu").iterator().next()));
        for (BuildMatrix.Result r : results) {
            assertEquals(r.build().builderNode().hostname().equals("x86emu"), r.emulated(), r.build()::toString);
        }
        h.assertRan("xcatmn", "lsxcatd", "-v");
    }

    /** Scripted hosts whose identity is their host name alone: {@code scripted://root@n1} is {@code scripted://n1}. */
    private static Transports byHostname(ScriptedTransport h) {
        return Transports.of(new TransportProvider() {
            @Override
            public String scheme() {
                return h.scheme();
            }

            @Override
            public Connection connect(Host host) throws InterruptedException {
                return h.connect(host);
            }

            @Override
            public String identity(Host host) {
                return "scripted://" + host.hostname();
            }
        });
    }

    @Test
    void twoUrisOfOneBuilderShareItsLimitAndThePoolRefusesToListItTwice() {
        BuildMatrixTest.Hosts hosts = new BuildMatrixTest.Hosts().builder("node01", "x86_64");
        BuildMatrix matrix = BuildMatrix.builder()
                .transports(byHostname(hosts.h))
                .pool(new BuildMatrix.PoolBuilder(Host.parse("scripted://root@node01"), "x86_64", Optional.empty(),
                        OptionalInt.of(1), false))
                .add(hosts.build("img1", false), "x86_64")
                .add(hosts.build("img2", false).withBuilderNode(ScriptedTransport.host("node01")))
                .maxParallel(2)
                .build();
        ScriptedTransport h = hosts.done();

        List<BuildMatrix.Routed> routes = matrix.firstChoices();
        List<BuildMatrix.Result> results = matrix.run();

        assertEquals(List.of(Host.parse("scripted://root@node01")), routes.get(1).candidates(),
                "the named builder is the pool's");
        assertAllSucceeded(results);
        assertEquals(Set.of("img1", "img2"), startedOn(h, "node01"));
        assertOneBuildAtATime(h, "node01");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BuildMatrix.builder()
                .transports(byHostname(h))
                .pool("scripted://root@node01", "x86_64").pool("scripted://node01", "x86_64")
                .add(hosts.build("img3", false), "x86_64").build());
        assertEquals("builders scripted://root@node01 and scripted://node01 are the same host (scripted://node01);"
                + " list it once in the pool", e.getMessage());
    }

    @Test
    void aBuilderTakesAtMostItsMaxBuildsAndTheMatrixAtMostMaxParallel() throws Exception {
        BuildMatrixTest.Hosts hosts = new BuildMatrixTest.Hosts().builder("node01", "x86_64")
                .builder("node02", "x86_64");
        List<String> names = List.of("img1", "img2", "img3", "img4");
        for (String n : names) {
            hosts.follow(n, Reply.hang());
        }
        BuildMatrix.Builder b = BuildMatrix.builder()
                .pool(builder("node01", "x86_64", null, 2, false))
                .pool(builder("node02", "x86_64", null, 1, false))
                .maxParallel(3);
        names.forEach(n -> b.add(hosts.build(n, false), "x86_64"));
        BuildMatrix matrix = b.build();
        ScriptedTransport h = hosts.done();
        AtomicReference<List<BuildMatrix.Result>> results = new AtomicReference<>();
        Thread caller = new Thread(() -> results.set(matrix.run()), "matrix-caller");
        caller.start();

        CommandMatcher follow = CommandMatcher.line("crossgen-follow");
        awaitCount(h, follow, 3);
        caller.interrupt();
        caller.join(LONG.toMillis());

        assertFalse(caller.isAlive());
        assertEquals(2, startedOn(h, "node01").size(), "node01 takes two builds at once");
        assertEquals(1, startedOn(h, "node02").size());
        assertEquals(3, h.commands().stream().filter(c -> follow.matches(c.command())).count(),
                "the fourth build waits: at most 3 at once");
        assertOneBuildAtATime(h, "node02");
        long cancelled = results.get().stream().filter(r -> r.report().outcome() == RunReport.Outcome.CANCELLED)
                .count();
        assertEquals(4, cancelled);
    }

    private static void awaitCount(ScriptedTransport h, CommandMatcher m, int n) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (h.commands().stream().filter(c -> m.matches(c.command())).count() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never " + n + " of " + m.describe() + ":\n" + Recorded.listing(h.commands()));
            }
            Thread.sleep(10);
        }
    }

    @Test
    void sixBuildsOnThreeBuildersOneFailsOneIsInterruptedTheOthersSucceedEachBuilderOneAtATime() throws Exception {
        List<String> names = List.of("img1", "img2", "img3", "img4", "img5", "img6");
        BuildMatrixTest.Hosts hosts = new BuildMatrixTest.Hosts().builder("node01", "x86_64")
                .builder("node02", "x86_64").builder("node03", "x86_64")
                .follow("img2", Reply.of(0, FAILED_GENIMAGE, ""))
                .follow("img6", Reply.hang());
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch finished = new CountDownLatch(5);
        BuildMatrix.Builder b = BuildMatrix.builder()
                .pool(builder("node01", "x86_64", null, 1, false))
                .pool(builder("node02", "x86_64", null, 1, false))
                .pool(builder("node03", "x86_64", null, 1, false))
                .maxParallel(3)
                .listenerPerBuild(build -> new PipelineListener() {
                    @Override
                    public void runStarted(String pipeline, boolean planning) {
                        events.add(build.target() + " started on " + build.builderNode().hostname());
                    }

                    @Override
                    public void runFinished(RunReport report) {
                        events.add(build.target() + " " + report.outcome());
                        finished.countDown();
                    }
                });
        names.forEach(n -> b.add(hosts.build(n, false), "x86_64"));
        BuildMatrix matrix = b.build();
        ScriptedTransport h = hosts.done();
        BuildMatrixTest.Caller caller = BuildMatrixTest.Caller.start(matrix);

        assertTrue(finished.await(LONG.toSeconds(), TimeUnit.SECONDS), () -> "events: " + events);
        awaitCount(h, CommandMatcher.line("crossgen-follow /var/tmp/crossgen/img6 "), 1);
        List<BuildMatrix.Result> r = caller.interruptAndAwait();
        assertEquals(names, r.stream().map(x -> x.build().target()).toList());
        assertEquals(List.of(RunReport.Outcome.SUCCEEDED, RunReport.Outcome.FAILED, RunReport.Outcome.SUCCEEDED,
                RunReport.Outcome.SUCCEEDED, RunReport.Outcome.SUCCEEDED, RunReport.Outcome.CANCELLED),
                r.stream().map(x -> x.report().outcome()).toList(), () -> "events: " + events);
        assertEquals("generate", r.get(1).report().failure().orElseThrow().step());
        assertEquals("generate", r.get(5).report().failure().orElseThrow().step());
        int started = 0;
        for (String node : List.of("node01", "node02", "node03")) {
            assertFalse(startedOn(h, node).isEmpty(), node + " took no build");
            started += startedOn(h, node).size();
            assertOneBuildAtATime(h, node);
        }
        assertEquals(6, started, "each build ran once");
        for (BuildMatrix.Result x : r) {
            assertTrue(startedOn(h, x.build().builderNode().hostname()).contains(x.build().target()));
            assertEquals(List.of(x.build().target() + " started on " + x.build().builderNode().hostname(),
                    x.build().target() + " " + x.report().outcome()),
                    events.stream().filter(e -> e.startsWith(x.build().target() + " ")).toList());
        }
        List<Command> stops = h.commands().stream().map(c -> c.command())
                .filter(c -> c.argv().contains("crossgen-stop")).toList();
        assertEquals(1, stops.size(), "only img6's genimage was stopped");
    }
}
