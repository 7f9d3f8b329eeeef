package io.crossgen.pipeline;

import static io.crossgen.testing.CommandMatcher.argv;
import static io.crossgen.testing.CommandMatcher.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import io.crossgen.transport.StdStream;
import io.crossgen.transport.Transports;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PipelineRunnerTest {
    private static final Role MN = Role.of("mn");
    private static final Role BUILDER = Role.of("builder");

    static final Duration LONG = Duration.ofSeconds(60);
    static final Key<String> ARCH = Key.of("arch", String.class);

    private final ScriptedTransport hosts = new ScriptedTransport();
    private final PipelineRunner runner = PipelineRunner.builder()
            .transports(Transports.of(hosts))
            .host(MN, ScriptedTransport.host("mn"))
            .host(BUILDER, ScriptedTransport.host("builder"))
            .stepTimeout(LONG)
            .build();

    static final Step MOUNT = Step.of("mount-install", c -> {
        c.check(BUILDER, Command.of("mount", "mn:/install", "/install"));
        c.defer("unmount /install", k -> k.check(BUILDER, Command.of("umount", "/install")));
    });
    static final Step BIND = Step.of("bind-proc", c -> {
        c.check(BUILDER, Command.of("mount", "--bind", "/proc", "/rootimg/proc"));
        c.defer("unbind /proc", k -> k.check(BUILDER, Command.of("umount", "/rootimg/proc")));
    });
    static final Step GENERATE = Step.of("generate", c -> c.check(BUILDER, Command.of("genimage", "img")));
    static final Step PACK = Step.of("packimage", c -> c.check(MN, Command.of("packimage", "img")));

    static final Pipeline SEED = Pipeline.builder("seed").step(MOUNT).step(BIND).step(GENERATE).step(PACK).build();

    @Test
    void stepsRunInOrderAndCleanupsRunLastDeferredFirst() {
        RunReport report = runner.run(SEED);

        assertEquals(RunReport.Outcome.SUCCEEDED, report.outcome());
        assertEquals(List.of(
                Command.of("mount", "mn:/install", "/install"),
                Command.of("mount", "--bind", "/proc", "/rootimg/proc"),
                Command.of("genimage", "img"),
                Command.of("umount", "/rootimg/proc"),
                Command.of("umount", "/install")), hosts.commands("builder"));
        assertEquals(List.of(Command.of("packimage", "img")), hosts.commands("mn"));
        assertEquals(List.of("unbind /proc", "unmount /install"),
                report.cleanups().stream().map(RunReport.CleanupReport::description).toList());
        assertTrue(report.steps().stream().allMatch(s -> s.status() == StepStatus.DONE));
        assertSame(report, report.requireSuccess());
    }

    @Test
    void failedGenerateStillUnmountsInstallAndNamesStepHostCommandExitAndStderr() {
        hosts.on("builder", program("genimage")).reply(1, "", "genimage: no such profile 'compute'\n");

        RunReport report = runner.run(SEED);

        assertEquals(RunReport.Outcome.FAILED, report.outcome());
        assertEquals(StepStatus.FAILED, report.step("generate").orElseThrow().status());
        assertEquals(List.of("not run: an earlier step failed"), report.step("packimage").orElseThrow().notes());
        assertEquals(StepStatus.SKIPPED, report.step("packimage").orElseThrow().status());
        hosts.assertRanInOrder("builder", program("genimage"), argv("umount", "/rootimg/proc"),
                argv("umount", "/install"));
        hosts.assertNotRan("mn", program("packimage"));
        RunReport.Failure f = report.failure().orElseThrow();
        assertEquals("step 'generate' failed: builder: `genimage img` failed with exit 1; last stderr:\n"
                + "  genimage: no such profile 'compute'", f.message());
        assertEquals(Optional.of(ScriptedTransport.host("builder")), f.host());
        assertEquals(List.of("genimage", "img"), f.argv());
        assertEquals(Optional.of(Exit.exited(1)), f.exit());
        assertEquals(List.of("genimage: no such profile 'compute'"), f.stderrTail());
        StepFailedException e = assertThrows(StepFailedException.class, report::requireSuccess);
        assertEquals(f.message(), e.getMessage());
        assertEquals("generate", e.step());
        assertInstanceOf(ExecException.class, e.getCause());
    }

    @Test
    void aStepPastItsTimeIsInterruptedAndCleanupsStillRun() {
        hosts.on("builder", program("genimage")).reply(Reply.hang());
        Step slow = new Step() {
            public String name() {
                return "generate";
            }

            public void run(StepContext c) throws InterruptedException {
                c.check(BUILDER, Command.of("genimage", "img"));
            }

            public Optional<Duration> timeout() {
                return Optional.of(Duration.ofMillis(300));
            }
        };

        RunReport report = runner.run(SEED.toBuilder().replace("generate", slow).build());

        assertEquals(RunReport.Outcome.FAILED, report.outcome());
        assertEquals(StepStatus.CANCELLED, report.step("generate").orElseThrow().status());
        assertEquals("step 'generate' timed out after PT0.3S while running `genimage img` on builder",
                report.failure().orElseThrow().message());
        assertEquals(Optional.of(Exit.timedOut(Duration.ofMillis(300))), report.failure().orElseThrow().exit());
        assertTrue(hosts.recorded("builder").get(2).cancelled());
        hosts.assertRanInOrder("builder", program("genimage"), argv("umount", "/rootimg/proc"),
                argv("umount", "/install"));
        assertEquals(List.of(StepStatus.DONE, StepStatus.DONE),
                report.cleanups().stream().map(RunReport.CleanupReport::status).toList());
    }

    @Test
    void interruptingTheRunCancelsTheCommandRunsCleanupsAndKeepsTheFlag() throws Exception {
        hosts.on("builder", program("genimage")).reply(Reply.hang());
        AtomicReference<RunReport> report = new AtomicReference<>();
        AtomicBoolean flagAfterRun = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            report.set(runner.run(SEED));
            flagAfterRun.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        awaitCommand("genimage");

        caller.interrupt();
        caller.join(LONG.toMillis());

        assertFalse(caller.isAlive());
        assertTrue(flagAfterRun.get());
        RunReport r = report.get();
        assertEquals(RunReport.Outcome.CANCELLED, r.outcome());
        assertEquals(StepStatus.CANCELLED, r.step("generate").orElseThrow().status());
        assertEquals(StepStatus.SKIPPED, r.step("packimage").orElseThrow().status());
        assertEquals(List.of("not run: the run was cancelled"), r.step("packimage").orElseThrow().notes());
        assertEquals("step 'generate' was cancelled while running `genimage img` on builder",
                r.failure().orElseThrow().message());
        assertTrue(hosts.recorded("builder").get(2).cancelled());
        hosts.assertRanInOrder("builder", program("genimage"), argv("umount", "/rootimg/proc"),
                argv("umount", "/install"));
        assertEquals(0, hosts.openConnections());
    }

    @Test
    void cancellingAStartedRunStillRunsItsCleanups() throws Exception {
        hosts.on("builder", program("genimage")).reply(Reply.hang());

        RunHandle handle = runner.start(SEED);
        awaitCommand("genimage");
        handle.cancel();
        RunReport report = handle.await(LONG).orElseThrow();

        assertTrue(handle.isDone());
        assertEquals(handle.runId(), report.runId());
        assertEquals(RunReport.Outcome.CANCELLED, report.outcome());
        hosts.assertRanInOrder("builder", program("genimage"), argv("umount", "/rootimg/proc"),
                argv("umount", "/install"));
        hosts.assertNotRan("mn", program("packimage"));
        StepFailedException e = assertThrows(StepFailedException.class, report::requireSuccess);
        assertEquals("step 'generate' was cancelled while running `genimage img` on builder", e.getMessage());
    }

    @Test
    void aCleanupFailureIsRecordedBesideTheOriginalFailure() {
        hosts.on("builder", program("genimage")).reply(1, "", "genimage: out of space\n");
        hosts.on("builder", argv("umount", "/install")).reply(32, "", "umount: /install: target is busy\n");

        RunReport report = runner.run(SEED);

        assertEquals("step 'generate' failed: builder: `genimage img` failed with exit 1; last stderr:\n"
                + "  genimage: out of space", report.failure().orElseThrow().message());
        RunReport.CleanupReport unmount = report.cleanups().get(1);
        assertEquals(StepStatus.FAILED, unmount.status());
        assertEquals("cleanup 'unmount /install' of step 'mount-install' failed: builder: `umount /install` failed "
                + "with exit 32; last stderr:\n  umount: /install: target is busy",
                unmount.failure().orElseThrow().message());
        assertEquals(Optional.of("unmount /install"), unmount.failure().orElseThrow().cleanup());
        StepFailedException e = assertThrows(StepFailedException.class, report::requireSuccess);
        assertEquals(1, e.getSuppressed().length);
        assertEquals("builder: `umount /install` failed with exit 32; last stderr:\n"
                + "  umount: /install: target is busy", e.getSuppressed()[0].getMessage());
    }

    @Test
    void aFailingCleanupAloneFailsTheRun() {
        hosts.on("builder", argv("umount", "/install")).reply(32);

        RunReport report = runner.run(SEED);

        assertEquals(RunReport.Outcome.FAILED, report.outcome());
        assertTrue(report.steps().stream().allMatch(s -> s.status() == StepStatus.DONE));
        assertEquals("cleanup 'unmount /install' of step 'mount-install' failed: builder: `umount /install` failed "
                + "with exit 32", report.failure().orElseThrow().message());
    }

    @Test
    void onlyStepsThatDeclareThemselvesRepeatableAreRetried() {
        hosts.on("builder", "probe").reply(Reply.exit(1)).thenReply(Reply.exit(1)).thenReply(Reply.exit(0));
        hosts.on("builder", "touch", "/once").reply(1);
        Step probe = new Step() {
            public String name() {
                return "probe";
            }

            public void run(StepContext c) throws InterruptedException {
                c.check(BUILDER, Command.of("probe"));
            }

            public boolean repeatable() {
                return true;
            }
        };
        Step once = Step.of("touch", c -> c.check(BUILDER, Command.of("touch", "/once")));
        PipelineRunner retrying = runner.toBuilder().retry(RetryPolicy.of(3, Duration.ofMillis(10))).build();

        RunReport report = retrying.run(Pipeline.builder("retry").step(probe).step(once).build());

        RunReport.StepReport p = report.step("probe").orElseThrow();
        assertEquals(StepStatus.DONE, p.status());
        assertEquals(3, p.attempts());
        assertEquals(List.of("attempt 1 of 3 failed: builder: `probe` failed with exit 1; trying again in 0.0 s",
                "attempt 2 of 3 failed: builder: `probe` failed with exit 1; trying again in 0.0 s"), p.warnings());
        RunReport.StepReport t = report.step("touch").orElseThrow();
        assertEquals(StepStatus.FAILED, t.status());
        assertEquals(1, t.attempts());
        assertEquals(List.of(Command.of("probe"), Command.of("probe"), Command.of("probe"),
                Command.of("touch", "/once")), hosts.commands("builder"));
    }

    @Test
    void resumingSkipsWhatWasDoneAndRestoresItsValuesFromTheReport() {
        hosts.on("builder", "uname", "-m").reply(0, "ppc64le\n");
        hosts.on("builder", program("genimage")).reply(1).once();
        Step arch = Step.of("arch", c -> c.put(ARCH,
                c.check(BUILDER, Command.of("uname", "-m")).stdout().text().strip()));
        Step generate = Step.of("generate", c -> c.check(BUILDER, Command.of("genimage", "-a", c.require(ARCH))));
        Pipeline p = Pipeline.builder("build").step(arch).step(generate).build();
        RunReport first = runner.run(p);
        assertEquals(RunReport.Outcome.FAILED, first.outcome());
        RunReport saved = RunReport.fromJson(first.toJson());

        RunReport second = runner.toBuilder().resumeFrom(saved, "generate").build().run(p);

        assertEquals(RunReport.Outcome.SUCCEEDED, second.outcome());
        RunReport.StepReport skipped = second.step("arch").orElseThrow();
        assertEquals(StepStatus.SKIPPED, skipped.status());
        assertEquals(List.of("done in run " + first.runId()), skipped.notes());
        assertEquals(List.of(Command.of("uname", "-m"), Command.of("genimage", "-a", "ppc64le"),
                Command.of("genimage", "-a", "ppc64le")), hosts.commands("builder"));
        assertEquals(first.values(), second.values());
        assertTrue(p.doneIn(saved, "arch"));
        assertFalse(p.doneIn(saved, "generate"), "FAILED in the first run");
        assertTrue(p.doneIn(second, "arch"), "SKIPPED there, done in the first run");
        assertTrue(p.doneIn(second, "generate"));
        assertFalse(p.doneIn(second, "nope"), "not in the run");
        Pipeline skipping = p.toBuilder().skip("generate").build();
        assertTrue(skipping.doneIn(runner.run(skipping), "generate"), "SKIPPED by the pipeline");
        assertFalse(skipping.doneIn(saved, "generate"), "FAILED, whatever this pipeline skips");
    }

    record Opaque(Thread owner) {
    }

    @Test
    void requireAfterResumeSaysWhichStepStoredAValueThatCouldNotBeSaved() {
        Key<Opaque> opaque = Key.of("opaque", Opaque.class);
        hosts.on("builder", "use").reply(1).once();
        Step make = Step.of("make", c -> c.put(opaque, new Opaque(Thread.currentThread())));
        Step use = Step.of("use", c -> {
            c.require(opaque);
            c.check(BUILDER, Command.of("use"));
        });
        Pipeline p = Pipeline.builder("opaque").step(make).step(use).build();
        RunReport first = runner.run(p);
        assertEquals(Optional.empty(), first.values().get(0).json());

        RunReport second = runner.toBuilder().resumeFrom(first, "use").build().run(p);

        assertEquals("step 'use' failed: step 'use' requires value 'opaque:Opaque', which step 'make' stored in run "
                + first.runId() + ", but it could not be saved as JSON; resume from step 'make' or earlier instead",
                second.failure().orElseThrow().message());
    }

    @Test
    void requiringAValueNoStepStoredNamesKeyAndStep() {
        RunReport report = runner.run(Pipeline.builder("p").step(Step.of("use", c -> c.require(ARCH))).build());

        assertEquals("step 'use' failed: step 'use' requires value 'arch:String', which no earlier step has stored",
                report.failure().orElseThrow().message());
        assertEquals(PipelineException.class.getName(), report.failure().orElseThrow().type());
    }

    @Test
    void resumingFromAStepWhosePredecessorFailedIsRefused() {
        hosts.on("builder", program("genimage")).reply(1);
        RunReport failed = runner.run(SEED);

        PipelineException e = assertThrows(PipelineException.class,
                () -> runner.toBuilder().resumeFrom(failed, "packimage").build().run(SEED));

        assertEquals("cannot resume pipeline 'seed' from step 'packimage': step 'generate' is FAILED in run "
                + failed.runId() + ", not DONE", e.getMessage());
        PipelineException unknown = assertThrows(PipelineException.class,
                () -> runner.toBuilder().resumeFrom(failed, "nope").build().run(SEED));
        assertEquals("cannot resume pipeline 'seed' from step 'nope': there is no such step (steps: mount-install, "
                + "bind-proc, generate, packimage)", unknown.getMessage());
    }

    @Test
    void thePlanHoldsExactlyTheCommandsAScriptedRunExecutes() {
        Step probe = Step.of("probe", c -> {
            c.note("probing the builder");
            c.exec(BUILDER, Command.of("test", "-d", "/install"));
            c.exec(MN, Command.of("lsdef", "-t", "osimage", "-o", "img", "-z"));
        });
        Pipeline p = SEED.toBuilder().before("mount-install", probe).build();

        Plan plan = runner.plan(p);
        runner.run(p);

        assertEquals(hosts.commands("builder"), plan.commands(ScriptedTransport.host("builder")));
        assertEquals(hosts.commands("mn"), plan.commands(ScriptedTransport.host("mn")));
        assertEquals(8, plan.invocations().size());
        assertEquals(Optional.of("unbind /proc"), plan.sections().get(5).cleanup());
    }

    @Test
    void aReportRoundTripsThroughJson() {
        hosts.on("builder", program("genimage")).reply(1, "", "a\nb\n");
        hosts.on("builder", argv("umount", "/install")).reply(Reply.signal("KILL"));
        Step warn = Step.of("warn", c -> {
            c.warn("careful");
            c.note("noted");
            c.put(ARCH, "x86_64");
        });
        RunReport report = runner.run(SEED.toBuilder().before("mount-install", warn).build());

        RunReport back = RunReport.fromJson(report.toJson());

        assertEquals(report, back);
        assertEquals(report.toJson(), back.toJson());
        assertEquals(report.summary(), back.summary());
    }

    @Test
    void everyCommandStartedOnAHostIsARoundTripAndMarkedXcatCommandsAreCountedPerStepAndCleanup() {
        Step copy = Step.of("copy-definition", c -> {
            c.check(MN, Command.of("lsdef", "-t", "osimage", "-z", "a,b").asXcatCall());
            try (RemoteProcess p = c.connection(MN).start(Command.of("cat"))) {
                assertEquals(Optional.of(Exit.exited(0)), p.waitFor(LONG));
            }
            c.check(MN, Command.of("sh", "-c", "lsdef x; mkdef -z", "two").asXcatCalls(2));
            c.defer("remove it", k -> k.check(MN, Command.of("rmdef", "-t", "osimage", "-o", "b").asXcatCall()));
        });

        RunReport report = runner.run(Pipeline.builder("calls").step(copy).step(GENERATE).build());

        RunReport.StepReport first = report.steps().get(0);
        assertEquals(List.of(2, 3, 3), List.of(first.commands().size(), first.roundTrips(), first.xcatCalls()));
        RunReport.StepReport second = report.steps().get(1);
        assertEquals(List.of(1, 0), List.of(second.roundTrips(), second.xcatCalls()));
        RunReport.CleanupReport cleanup = report.cleanups().get(0);
        assertEquals(List.of(1, 1), List.of(cleanup.roundTrips(), cleanup.xcatCalls()));
        String[] lines = report.summary().split("\n");
        assertTrue(lines[0].endsWith(": SUCCEEDED in " + Durations.format(report.duration())
                + ", 5 round trips, 4 xCAT calls"), lines[0]);
        assertEquals("   #  step             status       time  cmds  trips  xcat  hosts", lines[1]);
        assertTrue(lines[2].matches("   1  copy-definition  DONE +\\S+ s     2      3     3  mn"), lines[2]);
        assertTrue(lines[3].matches("   2  generate         DONE +\\S+ s     1      1     0  builder"), lines[3]);
        RunReport back = RunReport.fromJson(report.toJson());
        assertEquals(report, back);
        assertEquals(3, back.steps().get(0).roundTrips());
    }

    @Test
    void aReportWrittenBeforeRoundTripsWereCountedReadsThemAsZero() {
        RunReport report = runner.run(Pipeline.builder("calls").step(GENERATE).build());
        String old = report.toJson().replaceAll(",\\s*\"roundTrips\" : \\d+", "")
                .replaceAll(",\\s*\"xcatCalls\" : \\d+", "");

        RunReport back = RunReport.fromJson(old);

        assertEquals(1, report.steps().get(0).roundTrips());
        assertEquals(0, back.steps().get(0).roundTrips());
        assertEquals(report.steps().get(0).commands(), back.steps().get(0).commands());
    }

    @Test
    void aBrokenListenerNeverBreaksTheRunNorSilencesTheOthers() {
        PipelineListener broken = new PipelineListener() {
            public void stepStarted(String step) {
                throw new IllegalStateException("boom");
            }

            public void commandFinished(String step, ExecResult result) {
                throw new IllegalStateException("boom");
            }
        };
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        PipelineListener recording = new PipelineListener() {
            public void stepStarted(String step) {
                heard.add(step);
            }

            public void runFinished(RunReport report) {
                heard.add(report.outcome().name());
            }
        };

        RunReport report = runner.toBuilder().listener(Listeners.all(broken, recording)).build().run(SEED);

        assertEquals(RunReport.Outcome.SUCCEEDED, report.outcome());
        assertEquals(List.of("mount-install", "bind-proc", "generate", "packimage", "SUCCEEDED"), heard);
    }

    @Test
    void oneRunIdEverywhereTheOneGivenOrANewOneAndAResumedRunKeepsTheIdOfTheRunItResumes() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Step record = Step.of("record", c -> seen.add(c.runId()));
        Pipeline p = Pipeline.builder("p").step(record).step(GENERATE).build();

        RunReport given = runner.toBuilder().runId("20261202T010537-2d6154").build().run(p);
        RunReport fresh = runner.run(p);
        hosts.on("builder", program("genimage")).reply(1, "", "no\n");
        RunReport failed = runner.run(p);
        RunReport resumed = runner.toBuilder().resumeFrom(failed, "generate").build()
                .run(Pipeline.builder("p").step(record).step(Step.of("generate", c -> { })).build());

        assertEquals("20261202T010537-2d6154", given.runId());
        assertTrue(fresh.runId().matches("\\d{8}T\\d{6}-[0-9a-f]{6}"), fresh.runId());
        assertEquals(List.of(given.runId(), fresh.runId(), failed.runId()), seen);
        assertEquals(failed.runId(), resumed.runId());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineRunner.builder().runId("a/b"));
        assertEquals("run id 'a/b' may hold only letters, digits, '.', '_' and '-' (at most 64)", e.getMessage());
    }

    @Test
    void connectionsOpenBeforeTheFirstStepOncePerHostAndCloseAfterTheCleanups() {
        RunReport report = runner.run(SEED.toBuilder().remove("packimage").build());

        assertTrue(report.succeeded());
        assertEquals(1, hosts.connectionsOpened("builder"));
        assertEquals(1, hosts.connectionsOpened("mn"), "every host is checked, even one no step uses");
        assertEquals(0, hosts.openConnections());
    }

    @Test
    void aHostThatCannotBeReachedFailsTheRunBeforeAnyStepRunsOnAnyHost() {
        hosts.refuseConnections("builder");

        RunReport report = runner.run(SEED);

        assertEquals(RunReport.Outcome.FAILED, report.outcome());
        assertEquals(List.of(), hosts.commands());
        assertTrue(report.steps().stream().allMatch(s -> s.status() == StepStatus.SKIPPED
                && s.notes().equals(List.of("not run: a host could not be reached"))), report::summary);
        RunReport.Failure f = report.failure().orElseThrow();
        assertEquals("mount-install", f.step());
        assertEquals("run " + report.runId() + " changed nothing: builder: connection refused (scripted)",
                f.message());
        assertEquals(Optional.of(ScriptedTransport.host("builder")), f.host());
        assertEquals(List.of(), report.cleanups());
        assertEquals(0, hosts.openConnections(), "the MN's connection is closed too");
    }

    @Test
    void aRoleWithoutAHostFailsTheStepNamingTheRoles() {
        RunReport report = runner.run(Pipeline.builder("p")
                .step(Step.of("store", c -> c.exec(Role.of("storage"), Command.of("df")))).build());

        assertEquals("step 'store' failed: step 'store' needs a host for role 'storage', but the runner has none "
                + "(roles: mn, builder)", report.failure().orElseThrow().message());
    }

    @Test
    void aStepSkippedInThePipelineIsReportedAndNotRun() {
        RunReport report = runner.run(SEED.toBuilder().skip("bind-proc").build());

        assertEquals(StepStatus.SKIPPED, report.step("bind-proc").orElseThrow().status());
        assertEquals(List.of("skipped in the pipeline"), report.step("bind-proc").orElseThrow().notes());
        hosts.assertNotRan("builder", "mount", "--bind", "/proc", "/rootimg/proc");
    }

    @Test
    void theConsoleListenerFlushesEachLineAsItIsWritten() {
        StringWriter sink = new StringWriter();
        // like the command line's PrintWriter: buffered, flushed on println only
        PipelineListener console = Listeners.console(new PrintWriter(new BufferedWriter(sink, 8192),
                true));

        console.outputLine("generate", ScriptedTransport.host("builder"), StdStream.STDOUT, "Installing bash");

        assertEquals("[builder] Installing bash\n", sink.toString());
    }

    @Test
    void theConsoleListenerShowsStepsCommandsAndOutputByHost() {
        hosts.on("builder", program("genimage")).reply(0, "installing bash\n", "warning: x\n");
        StringBuilder out = new StringBuilder();

        runner.toBuilder().listener(Listeners.console(out)).build()
                .run(Pipeline.builder("p").step(MOUNT).step(GENERATE).build());

        String text = out.toString().replaceAll("in \\d+\\.\\d s", "in T")
                .replaceAll("run \\d{8}T\\d{6}-[0-9a-f]{6}", "run ID");
        List<String> lines = new ArrayList<>(List.of(text.split("\n")));
        // stdout and stderr are read concurrently: their lines may come in either order.
        Collections.sort(lines.subList(7, 9));
        assertEquals(List.of(
                "running p",
                "==> mount-install",
                "[builder] $ mount mn:/install /install",
                "[builder] exit 0 in T",
                "<== mount-install DONE in T",
                "==> generate",
                "[builder] $ genimage img",
                "[builder] installing bash",
                "[builder] warning: x",
                "[builder] exit 0 in T",
                "<== generate DONE in T",
                "==> cleanup: unmount /install (mount-install)",
                "[builder] $ umount /install",
                "[builder] exit 0 in T",
                "<== cleanup: unmount /install DONE in T",
                "run ID of p SUCCEEDED in T"), lines);
    }

    @Test
    void outputLinesReachTheListenerWithTheirHostAndStream() {
        hosts.on("builder", program("genimage")).reply(0, "one\ntwo\n", "");
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        PipelineListener l = new PipelineListener() {
            public void outputLine(String step, Host host, StdStream stream, String line) {
                lines.add(step + " " + host.label() + " " + stream + " " + line);
            }
        };

        runner.toBuilder().listener(l).build().run(Pipeline.builder("p").step(GENERATE).build());

        assertEquals(List.of("generate builder STDOUT one", "generate builder STDOUT two"), lines);
    }

    private void awaitCommand(String program) throws InterruptedException {
        long end = System.nanoTime() + LONG.toNanos();
        while (hosts.commands("builder").stream().noneMatch(c -> c.program().equals(program))) {
            if (System.nanoTime() > end) {
                throw new AssertionError(program + " never started");
            }
            Thread.sleep(10);
        }
    }
}
