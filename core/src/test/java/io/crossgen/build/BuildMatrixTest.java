package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.pipeline.Pipeline;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.Step;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Transports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Several seed-like builds over a pool of scripted builders. */
class BuildMatrixTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    static final String PPC_SOURCE = "rhels7.9-ppc64le-netboot-compute";
    static final CommandMatcher PREFLIGHT = CommandMatcher.line("crossgen-preflight");
    static final CommandMatcher RELEASE = SeedRunTest.RELEASE;

    /** Scripted xCAT hosts: one MN, builders added by arch, builds added by target name. */
    static final class Hosts {
        final ScriptedTransport h = new ScriptedTransport();
        private final List<Runnable> late = new ArrayList<>();

        Hosts() {
            h.on("xcatmn", "lsdef", "-t", "osimage", "-z", Seed.SOURCE).reply(0, Seed.stanza());
            h.on("xcatmn", "lsdef", "-t", "osimage", "-z", PPC_SOURCE).reply(0, ppc(Seed.stanza()));
            h.on("xcatmn", CommandMatcher.line("mkdef -z")).reply(0,
                    "1 object definitions have been created or modified.\n");
            h.on("xcatmn", CommandMatcher.line("crossgen-manifest")).reply(0,
                    "E\t/opt/xcat/share/xcat/netboot\td\t4096\t1.0\t755\t\n"
                    + "E\t/opt/xcat/lib/perl\td\t4096\t1.0\t755\t\n");
        }

        /** A builder: facts of its arch, /install mounted and unmounted by each run, genimage started. */
        Hosts builder(String name, String arch) {
            String facts = arch.equals("x86_64") ? SeedRunTest.FACTS
                    : SeedRunTest.FACTS.replace("arch=x86_64", "arch=" + arch).replace("os.version_id=6.3",
                            "os.version_id=7.9");
            h.on(name, PREFLIGHT).reply(0, facts);
            h.on(name, SeedRunTest.SMOKE).reply(0, "machine=" + arch + "\n");
            h.on(name, SeedRunTest.ACQUIRE).reply(0, SeedRunTest.MOUNTED);
            h.on(name, RELEASE).reply(0, SeedRunTest.UNMOUNTED);
            h.on(name, CommandMatcher.line("crossgen-start")).reply(0, "pid=4242\n");
            late.add(() -> h.on(name, CommandMatcher.line("crossgen-follow")).reply(Reply.of(0,
                    "crossgen-follow rc=0 alive=no end=58 size=58\nEnter the dracut mode.\nthe initial ramdisk is ok\n",
                    "").withDelay(Duration.ofMillis(30))));
            return this;
        }

        /** A build of {@code target} from the x86_64 seed, or from the ppc64le source, with checks waived. */
        CrossBuild build(String target, boolean ppc, String... waived) {
            String dir = "/install/netboot/" + (ppc ? "rhels7.9/ppc64le/" : "rhels6.3/x86_64/") + target;
            String dryRun = Seed.dryRun().replace("mycomputeimage", target);
            h.on("xcatmn", "lsdef", "-t", "osimage", "-z", (ppc ? PPC_SOURCE : Seed.SOURCE) + "," + target)
                    .reply(SeedRunTest.onlySource(ppc ? ppc(Seed.stanza()) : Seed.stanza(), target));
            h.on("xcatmn", "genimage", "--dryrun", target).reply(0, ppc ? ppc(dryRun) : dryRun);
            h.on("xcatmn", "genimage", "--dryrun", ppc ? PPC_SOURCE : Seed.SOURCE).reply(0, ppc
                    ? ppc(Seed.sourceDryRun()).replace(ppc(Seed.SOURCE), PPC_SOURCE) : Seed.sourceDryRun());
            h.on("xcatmn", CommandMatcher.line("crossgen-probe-read " + target + "-[0-9a-f]{8} /install/"
                    + "\\.crossgen-probe-" + target + "-[0-9a-f]{8}$")).reply(0, SeedRunTest.SEEN);
            h.on("xcatmn", "packimage", target).reply(0, "Packing contents of " + dir + "/rootimg\n"
                    + "archive method:cpio\ncompress method:pigz\n");
            CrossBuild b = CrossBuild.from(ppc ? PPC_SOURCE : Seed.SOURCE).as(target)
                    .managementNode("scripted://xcatmn")
                    .builderReachesManagementNodeAs("xcatmn")
                    .builderNode("scripted://placeholder")
                    .transports(Transports.of(h))
                    .step(Preflight.defaults().withWaived(waived))
                    .build();
            return b.withPipeline(p -> p.before(CopyDefinition.NAME,
                    Step.of("run-id", c -> c.put(BuildKeys.RUN_ID, target))));
        }

        /** Makes genimage of {@code target} behave so (before the default answers). */
        Hosts follow(String target, Reply reply) {
            h.on(CommandMatcher.line("crossgen-follow /var/tmp/crossgen/" + target + " ")).reply(reply);
            return this;
        }

        ScriptedTransport done() {
            late.forEach(Runnable::run);
            late.clear();
            return h;
        }

        static String ppc(String text) {
            return text.replace("x86_64", "ppc64le").replace("rhels6.3", "rhels7.9").replace("rhels6.", "rhels7.");
        }
    }

    /** A matrix run on a thread of its own, to be interrupted. */
    static final class Caller {
        private final AtomicReference<List<BuildMatrix.Result>> results = new AtomicReference<>();
        private final AtomicBoolean flagAfter = new AtomicBoolean();
        private final Thread thread;

        private Caller(BuildMatrix matrix) {
            thread = new Thread(() -> {
                results.set(matrix.run());
                flagAfter.set(Thread.currentThread().isInterrupted());
            }, "matrix-caller");
        }

        static Caller start(BuildMatrix matrix) {
            Caller c = new Caller(matrix);
            c.thread.start();
            return c;
        }

        /** Interrupts the run, waits for it to end and checks it set the interrupt flag again; its results. */
        List<BuildMatrix.Result> interruptAndAwait() throws InterruptedException {
            thread.interrupt();
            thread.join(LONG.toMillis());
            assertFalse(thread.isAlive(), "the matrix did not end after the interrupt");
            assertTrue(flagAfter.get(), "the interrupt flag must be set again");
            return results.get();
        }
    }

    /** Every build of the matrix succeeded (the failing report's summary as the message). */
    static void assertAllSucceeded(List<BuildMatrix.Result> results) {
        for (BuildMatrix.Result r : results) {
            assertTrue(r.report().succeeded(), r.report()::summary);
        }
    }

    /** Asserts that on {@code host} every build's preflight comes after the previous build's release of /install. */
    static void assertOneBuildAtATime(ScriptedTransport h, String host) {
        boolean busy = false;
        int builds = 0;
        for (Command c : h.commands(host)) {
            if (PREFLIGHT.matches(c)) {
                if (busy) {
                    throw new AssertionError("two builds at once on " + host + ":\n" + Recorded.listing(
                            h.recorded(host)));
                }
                busy = true;
                builds++;
            } else if (RELEASE.matches(c)) {
                busy = false;
            }
        }
        assertFalse(busy, host + " was left mounted");
    }

    static Set<String> startedOn(ScriptedTransport h, String host) {
        return h.commands(host).stream().filter(c -> c.argv().contains("crossgen-start"))
                .map(c -> c.argv().get(c.argv().size() - 1)).collect(Collectors.toSet());
    }

    @Test
    void threeBuildsOnTwoBuildersOneFailingTheOthersSucceedOneBuildPerBuilderAtATime() {
        Hosts hosts = new Hosts().builder("node01", "x86_64").builder("node02", "x86_64")
                .follow("img2", Reply.of(0, "crossgen-follow rc=1 alive=no end=35 size=35\n"
                        + "Can't locate xCAT/Utils.pm in @INC\n", ""));
        BuildMatrix matrix = BuildMatrix.builder()
                .pool("scripted://node01", "x86_64").pool("scripted://node02", "x86_64")
                .add(hosts.build("img1", false), "x86_64")
                .add(hosts.build("img2", false), "x86_64")
                .add(hosts.build("img3", false), "x86_64")
                .build();
        ScriptedTransport h = hosts.done();

        List<BuildMatrix.Result> results = matrix.run();

        assertEquals(List.of("img1", "img2", "img3"), results.stream().map(r -> r.build().target()).toList());
        assertTrue(results.get(0).report().succeeded(), results.get(0).report()::summary);
        assertEquals("generate", results.get(1).report().failure().orElseThrow().step(),
                results.get(1).report()::summary);
        assertTrue(results.get(2).report().succeeded(), results.get(2).report()::summary);
        assertOneBuildAtATime(h, "node01");
        assertOneBuildAtATime(h, "node02");
        for (BuildMatrix.Result r : results) {
            String builder = r.build().builderNode().hostname();
            assertTrue(startedOn(h, builder).contains(r.build().target()), r.build() + " did not run on " + builder);
        }
        assertEquals(3, startedOn(h, "node01").size() + startedOn(h, "node02").size());
    }

    @Test
    void buildsGoToBuildersOfTheirArchitecture() {
        Hosts hosts = new Hosts().builder("node01", "x86_64").builder("p9node", "ppc64le");
        BuildMatrix matrix = BuildMatrix.builder()
                .pool("scripted://node01", "x86_64").pool("scripted://p9node", "ppc64el")
                .add(hosts.build("img1", false), "x86_64")
                .add(hosts.build("ppc1", true), "ppc64le")
                .add(hosts.build("img2", false), "x86_64")
                .add(hosts.build("ppc2", true), "ppc64el")
                .build();
        ScriptedTransport h = hosts.done();

        List<BuildMatrix.Result> results = matrix.run();

        assertAllSucceeded(results);
        assertEquals(Set.of("img1", "img2"), startedOn(h, "node01"));
        assertEquals(Set.of("ppc1", "ppc2"), startedOn(h, "p9node"));
        assertEquals(List.of("node01", "p9node", "node01", "p9node"),
                results.stream().map(r -> r.build().builderNode().hostname()).toList());
        h.assertNotRan("p9node", CommandMatcher.line("crossgen-start .* -a x86_64 "));
        h.assertNotRan("node01", CommandMatcher.line("crossgen-start .* -a ppc64le "));
        assertOneBuildAtATime(h, "node01");
        assertOneBuildAtATime(h, "p9node");
    }

    @Test
    void twoBuildsOnOneBuilderAtOnceEachTakeAndGiveBackTheirOwnUseOfInstall() {
        Hosts hosts = new Hosts().builder("node01", "x86_64");
        BuildMatrix matrix = BuildMatrix.builder()
                .add(afterMountOf(hosts.build("img1", false).withBuilderNode(ScriptedTransport.host("node01")), "img2",
                        hosts.h))
                .add(afterMountOf(hosts.build("img2", false).withBuilderNode(ScriptedTransport.host("node01")), "img1",
                        hosts.h))
                .perBuilder(2)
                .build();
        ScriptedTransport h = hosts.done();

        List<BuildMatrix.Result> results = matrix.run();

        assertAllSucceeded(results);
        assertEquals(Set.of("img1", "img2"), startedOn(h, "node01"));
        for (String id : List.of("img1", "img2")) {
            CommandMatcher acquire = CommandMatcher.line("crossgen-mount-acquire /run/crossgen/install " + id + " ");
            CommandMatcher release = CommandMatcher.line("crossgen-mount-release /run/crossgen/install " + id + " ");
            assertEquals(1, h.commands("node01").stream().filter(acquire::matches).count(), id);
            assertEquals(1, h.commands("node01").stream().filter(release::matches).count(), id);
            h.assertRanInOrder("node01", acquire, CommandMatcher.line("crossgen-follow /var/tmp/crossgen/" + id + " "),
                    release);
        }
        // both held /install at once: each took its use before either gave its own back
        List<Command> leases = h.commands("node01").stream().filter(c -> SeedRunTest.ACQUIRE.matches(c)
                || RELEASE.matches(c)).toList();
        assertEquals(List.of(true, true, false, false), leases.stream().map(SeedRunTest.ACQUIRE::matches).toList());
        h.assertNotRan("node01", CommandMatcher.program("umount"));
    }

    /** {@code build}, whose genimage starts only once the build {@code other} has taken its use of /install. */
    static CrossBuild afterMountOf(CrossBuild build, String other, ScriptedTransport h) {
        return afterCommand(build, h, CommandMatcher.line("crossgen-mount-acquire /run/crossgen/install " + other + " "),
                other + " never mounted /install");
    }

    /** {@code build}, whose genimage starts only once a command matching {@code seen} has run. */
    private static CrossBuild afterCommand(CrossBuild build, ScriptedTransport h, CommandMatcher seen, String never) {
        Step await = Step.of("await-" + build.target(), c -> {
            long deadline = System.nanoTime() + LONG.toNanos();
            while (h.commands().stream().noneMatch(r -> seen.matches(r.command()))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(never);
                }
                Thread.sleep(10);
            }
        });
        return build.withPipeline(p -> p.before(Generate.NAME, await));
    }

    @Test
    void aBuildWithNoBuilderOfItsArchitectureIsRefusedBeforeAnythingRuns() {
        Hosts hosts = new Hosts().builder("node01", "x86_64");
        BuildMatrix.Builder matrix = BuildMatrix.builder()
                .pool("scripted://node01", "x86_64")
                .add(hosts.build("img1", false), "x86_64")
                .add(hosts.build("ppc1", true), "ppc64le");
        ScriptedTransport h = hosts.done();

        BuildException e = assertThrows(BuildException.class, matrix::build);

        assertEquals("no builder of architecture ppc64le in the pool for ppc1 (pool: x86_64: node01)", e.getMessage());
        assertEquals(List.of(), h.commands());
    }

    @Test
    void failFastCancelsTheRunningBuildAndNeverStartsThePendingOne() {
        Hosts hosts = new Hosts().builder("node01", "x86_64").builder("node02", "x86_64")
                .follow("img1", Reply.hang())
                .follow("img2", Reply.of(0, "crossgen-follow rc=1 alive=no end=35 size=35\n"
                        + "Can't locate xCAT/Utils.pm in @INC\n", ""));
        BuildMatrix matrix = BuildMatrix.builder()
                .pool("scripted://node01", "x86_64").pool("scripted://node02", "x86_64")
                .add(hosts.build("img1", false), "x86_64")
                .add(afterGenimageOf(hosts.build("img2", false), "img1", hosts.h), "x86_64")
                .add(hosts.build("img3", false), "x86_64")
                .maxParallel(2)
                .failFast(true)
                .build();
        ScriptedTransport h = hosts.done();

        List<BuildMatrix.Result> results = matrix.run();

        assertEquals(RunReport.Outcome.CANCELLED, results.get(0).report().outcome(), results.get(0).report()::summary);
        assertEquals("generate", results.get(0).report().failure().orElseThrow().step());
        assertEquals(RunReport.Outcome.FAILED, results.get(1).report().outcome(), results.get(1).report()::summary);
        RunReport pending = results.get(2).report();
        assertEquals(RunReport.Outcome.CANCELLED, pending.outcome(), pending::summary);
        assertTrue(pending.steps().stream().allMatch(s -> s.notes().equals(List.of("not run: the run was cancelled"))),
                pending::summary);
        h.assertNotRan("xcatmn", "lsdef", "-t", "osimage", "-z", Seed.SOURCE + ",img3");
        assertOneBuildAtATime(h, "node01");
        assertOneBuildAtATime(h, "node02");
    }

    /** {@code build}, whose genimage starts only once genimage of {@code other} is being followed. */
    static CrossBuild afterGenimageOf(CrossBuild build, String other, ScriptedTransport h) {
        return afterCommand(build, h, CommandMatcher.line("crossgen-follow /var/tmp/crossgen/" + other + " "),
                other + " never reached genimage");
    }

    @Test
    void interruptingTheMatrixCancelsEveryBuildAndKeepsTheFlag() throws Exception {
        Hosts hosts = new Hosts().builder("node01", "x86_64").builder("node02", "x86_64")
                .follow("img1", Reply.hang()).follow("img2", Reply.hang()).follow("img3", Reply.hang());
        BuildMatrix matrix = BuildMatrix.builder()
                .pool("scripted://node01", "x86_64").pool("scripted://node02", "x86_64")
                .add(hosts.build("img1", false), "x86_64")
                .add(hosts.build("img2", false), "x86_64")
                .add(hosts.build("img3", false), "x86_64")
                .build();
        ScriptedTransport h = hosts.done();
        Caller caller = Caller.start(matrix);
        GenerateFaultsTest.awaitCommand(h, "node01", CommandMatcher.line("crossgen-follow"));
        GenerateFaultsTest.awaitCommand(h, "node02", CommandMatcher.line("crossgen-follow"));

        List<BuildMatrix.Result> results = caller.interruptAndAwait();
        assertEquals(3, results.size());
        int started = 0;
        for (BuildMatrix.Result r : results) {
            assertEquals(RunReport.Outcome.CANCELLED, r.report().outcome(), r.report()::summary);
            if (startedOn(h, "node01").contains(r.build().target())
                    || startedOn(h, "node02").contains(r.build().target())) {
                started++;
                assertEquals("generate", r.report().failure().orElseThrow().step());
            }
        }
        assertEquals(2, started, "two builds ran, one waited for a builder");
        assertOneBuildAtATime(h, "node01");
        assertOneBuildAtATime(h, "node02");
        assertEquals(2, h.commands().stream().filter(c -> c.command().argv().contains("crossgen-stop")).count());
    }
}
