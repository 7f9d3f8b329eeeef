package io.crossgen.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import io.crossgen.transport.StdStream;
import io.crossgen.transport.TransportProvider;
import io.crossgen.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steps that need nothing from each other run at once, over real {@code sh} processes, and keep every guarantee. */
class ConcurrentStepsTest {
    private static final Role BUILDER = Role.of("builder");
    /** How long a real command waits for the other step's file before giving up: far more than it needs. */
    private static final String WAIT = "i=0; until [ -e \"$1\" ]; do i=$((i+1)); [ $i -gt 400 ] && exit 9;"
            + " sleep 0.05; done";

    @TempDir
    Path dir;

    private PipelineRunner runner(PipelineListener listener) {
        return PipelineRunner.builder()
                .transports(Transports.of(new ShTransport()))
                .host(BUILDER, "sh://localhost")
                .stepTimeout(Duration.ofSeconds(60))
                .listener(listener)
                .build();
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    /** A step that creates {@code mine}, then waits (a real sh) until {@code other} exists, then creates done. */
    private Step meets(String name, String mine, String other, String done) {
        return Step.of(name, c -> c.check(BUILDER, Command.of("sh", "-c", "touch \"$2\"; " + WAIT + "; touch \"$3\"",
                "sh", file(other), file(mine), file(done)))).needing();
    }

    @Test
    void stepsThatNeedNothingFromEachOtherRunAtOnceAndTheReportListsThemInPipelineOrder() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        PipelineListener listener = new PipelineListener() {
            @Override
            public void stepStarted(String step) {
                events.add("start " + step);
            }

            @Override
            public void stepFinished(String step, StepStatus status, Duration d, Optional<Throwable> failure) {
                events.add(status + " " + step);
                if (step.equals("b")) {
                    dir.resolve("b-ended").toFile().mkdir();
                }
            }
        };
        // b ends as soon as a has started; a waits for b's end (told to the listener): b ends first
        Step a = meets("a", "a-started", "b-ended", "a-ended");
        Step b = meets("b", "b-started", "a-started", "b-done");
        Step after = Step.of("after", c -> c.check(BUILDER, Command.of("test", "-e", file("a-ended"))))
                .needing("a", "b");

        RunReport report = runner(listener).run(Pipeline.builder("p").step(a).step(b).step(after).build());

        assertEquals(RunReport.Outcome.SUCCEEDED, report.outcome(), report.toString());
        assertEquals(List.of("a", "b", "after"), report.steps().stream().map(RunReport.StepReport::name).toList());
        assertEquals(List.of("DONE b", "DONE a", "start after", "DONE after"), events.subList(2, 6));
        assertEquals(List.of("start a", "start b"), events.subList(0, 2).stream().sorted().toList());
    }

    @Test
    void aFailureCancelsTheStepRunningBesideItSkipsWhatHasNotStartedAndCleanupsRunLastDeferredFirst()
            throws Exception {
        Path log = dir.resolve("cleanups");
        Step slow = Step.of("slow", c -> {
            c.defer("note slow", k -> k.check(BUILDER, Command.of("sh", "-c", "echo slow >> \"$1\"", "sh",
                    log.toString())));
            c.check(BUILDER, Command.of("sh", "-c", "touch \"$1\"; exec sleep 600", "sh", file("slow-started")));
        }).needing();
        Step failing = Step.of("failing", c -> {
            c.check(BUILDER, Command.of("sh", "-c", WAIT, "sh", file("slow-started")));
            c.defer("note failing", k -> k.check(BUILDER, Command.of("sh", "-c", "echo failing >> \"$1\"", "sh",
                    log.toString())));
            c.check(BUILDER, Command.of("sh", "-c", "echo broken >&2; exit 3"));
        }).needing();
        Step later = Step.of("later", c -> c.check(BUILDER, Command.of("true"))).needing("slow", "failing");

        RunReport report = runner(Listeners.none()).run(Pipeline.builder("p").step(slow).step(failing).step(later)
                .build());

        assertEquals(RunReport.Outcome.FAILED, report.outcome());
        assertEquals("failing", report.failure().orElseThrow().step());
        assertEquals(List.of("broken"), report.failure().orElseThrow().stderrTail());
        assertEquals(StepStatus.CANCELLED, report.step("slow").orElseThrow().status());
        assertEquals(StepStatus.FAILED, report.step("failing").orElseThrow().status());
        assertEquals(StepStatus.SKIPPED, report.step("later").orElseThrow().status());
        assertEquals(List.of("not run: an earlier step failed"), report.step("later").orElseThrow().notes());
        assertEquals(List.of("failing", "slow"), Files.readAllLines(log));
        assertEquals(List.of("note failing", "note slow"),
                report.cleanups().stream().map(RunReport.CleanupReport::description).toList());
    }

    @Test
    void cleanupsOfStepsThatRanAtOnceRunInThePlansReverseOrderWhicheverDeferredFirst() throws Exception {
        Path log = dir.resolve("cleanups");
        // "first" defers only once "second" has: the reverse of deferring would run first's cleanup first
        Step first = Step.of("first", c -> {
            c.check(BUILDER, Command.of("sh", "-c", WAIT, "sh", file("second-deferred")));
            c.defer("undo first", k -> k.check(BUILDER, Command.of("sh", "-c", "echo first >> \"$1\"", "sh",
                    log.toString())));
        }).needing();
        Step second = Step.of("second", c -> {
            c.defer("undo second", k -> k.check(BUILDER, Command.of("sh", "-c", "echo second >> \"$1\"", "sh",
                    log.toString())));
            c.check(BUILDER, Command.of("touch", file("second-deferred")));
        }).needing();
        Step last = Step.of("last", c -> c.defer("undo last", k -> k.check(BUILDER, Command.of("sh", "-c",
                "echo last >> \"$1\"", "sh", log.toString())))).needing("first", "second");

        RunReport report = runner(Listeners.none()).run(Pipeline.builder("p").step(first).step(second).step(last)
                .build());

        assertTrue(report.succeeded(), report.toString());
        assertEquals(List.of("last", "second", "first"), Files.readAllLines(log));
        assertEquals(List.of("undo last", "undo second", "undo first"),
                report.cleanups().stream().map(RunReport.CleanupReport::description).toList());
    }

    @Test
    void aParallelismOfOneRunsStepsThatNeedNothingOneAfterAnotherInPipelineOrder() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        PipelineListener listener = new PipelineListener() {
            @Override
            public void stepStarted(String step) {
                events.add("start " + step);
            }

            @Override
            public void stepFinished(String step, StepStatus status, Duration d, Optional<Throwable> failure) {
                events.add("end " + step);
            }
        };
        ScriptedTransport hosts = new ScriptedTransport();
        PipelineRunner one = PipelineRunner.builder().transports(Transports.of(hosts))
                .host(BUILDER, ScriptedTransport.host("builder")).listener(listener).parallelism(1).build();
        Pipeline p = Pipeline.builder("p")
                .step(Step.of("a", c -> c.check(BUILDER, Command.of("a"))).needing())
                .step(Step.of("b", c -> c.check(BUILDER, Command.of("b"))).needing())
                .step(Step.of("c", c -> c.check(BUILDER, Command.of("c"))).needing())
                .build();

        RunReport report = one.run(p);

        assertTrue(report.succeeded());
        assertEquals(List.of("start a", "end a", "start b", "end b", "start c", "end c"), events);
        assertEquals(List.of(Command.of("a"), Command.of("b"), Command.of("c")), hosts.commands("builder"));
    }

    @Test
    void whileTwoStepsRunTheProgressShowsBothInterruptedAndTheFirstInPipelineOrderIsTheFailure() {
        Key<String> seen = Key.of("seen", String.class);
        CountDownLatch both = new CountDownLatch(2);
        List<RunReport> progress = Collections.synchronizedList(new ArrayList<>());
        PipelineListener listener = new PipelineListener() {
            @Override
            public void progress(RunReport soFar) {
                progress.add(soFar);
            }
        };
        Step.Body meet = c -> {
            both.countDown();
            if (!both.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other step did not start");
            }
        };
        CountDownLatch stored = new CountDownLatch(1);
        Step a = Step.of("a", c -> {
            meet.run(c);
            if (!stored.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("b stored nothing");
            }
        }).needing();
        Step b = Step.of("b", c -> {
            meet.run(c);
            c.put(seen, "both run");
            stored.countDown();
        }).needing();
        Step c = Step.of("c", x -> { }).needing("a", "b");

        RunReport report = runner(listener).run(Pipeline.builder("p").step(a).step(b).step(c).build());

        assertTrue(report.succeeded());
        RunReport whileBoth = progress.stream().filter(r -> r.values().stream().anyMatch(v -> v.key().equals("seen")))
                .findFirst().orElseThrow();
        assertEquals(List.of(StepStatus.FAILED, StepStatus.FAILED, StepStatus.SKIPPED),
                whileBoth.steps().stream().map(RunReport.StepReport::status).toList());
        assertEquals(List.of("interrupted"), whileBoth.step("b").orElseThrow().notes());
        assertEquals("a", whileBoth.failure().orElseThrow().step());
        assertEquals("run " + report.runId() + " was interrupted in step 'a': its process ended before the step did",
                whileBoth.failure().orElseThrow().message());
        assertEquals(List.of("not run: the run was interrupted"), whileBoth.step("c").orElseThrow().notes());
    }

    @Test
    void valuesStoredByStepsRunningAtOnceAreAllKeptAndSaved() {
        List<Step> steps = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int step = s;
            steps.add(Step.of("put-" + s, c -> {
                for (int i = 0; i < 100; i++) {
                    c.put(Key.of("k" + step + "-" + i, Integer.class), i);
                    c.get(Key.of("k" + ((step + 1) % 4) + "-" + i, Integer.class));
                }
            }).needing());
        }
        AtomicInteger sum = new AtomicInteger();
        steps.add(Step.of("sum", c -> {
            for (int s = 0; s < 4; s++) {
                for (int i = 0; i < 100; i++) {
                    sum.addAndGet(c.require(Key.of("k" + s + "-" + i, Integer.class)));
                }
            }
        }).needing("put-0", "put-1", "put-2", "put-3"));

        RunReport report = runner(Listeners.none()).run(Pipeline.builder("p").steps(steps).build());

        assertTrue(report.succeeded(), report.toString());
        assertEquals(400, report.values().size());
        assertEquals(4 * 4950, sum.get());
    }

    @Test
    void eventsOfStepsRunningAtOnceReachTheListenerOneAtATime() {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger lines = new AtomicInteger();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void outputLine(String step, Host host, StdStream stream, String line) {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                lines.incrementAndGet();
                Thread.yield();
                inside.decrementAndGet();
            }
        };
        List<Step> steps = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            steps.add(Step.of("print-" + s, c -> c.check(BUILDER, Command.of("seq", "1", "2000"))).needing());
        }

        RunReport report = runner(listener).run(Pipeline.builder("p").steps(steps).build());

        assertTrue(report.succeeded());
        assertEquals(6000, lines.get());
        assertEquals(1, most.get());
    }

    @Test
    void theHostsAreConnectedToAtOnce() {
        CountDownLatch both = new CountDownLatch(2);
        TransportProvider meeting = new TransportProvider() {
            private final ShTransport sh = new ShTransport();

            @Override
            public String scheme() {
                return "sh";
            }

            @Override
            public Connection connect(Host host) throws InterruptedException {
                both.countDown();
                if (!both.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("connecting to " + host.label() + " alone");
                }
                return sh.connect(host);
            }
        };
        PipelineRunner two = PipelineRunner.builder().transports(Transports.of(meeting))
                .host(BUILDER, "sh://builder").host(Role.of("mn"), "sh://mn").build();

        RunReport report = two.run(Pipeline.builder("p").step(Step.of("a", c -> c.check(BUILDER, Command.of("true"))))
                .build());

        assertTrue(report.succeeded(), report.toString());
    }

    @Test
    void cancelStopsEveryStepRunningAtOnceAndTheirCleanupsStillRun() throws Exception {
        Path log = dir.resolve("cleanups");
        List<Step> steps = new ArrayList<>();
        for (String name : List.of("left", "right")) {
            steps.add(Step.of(name, c -> {
                c.defer("note " + name, k -> k.check(BUILDER, Command.of("sh", "-c", "echo " + name + " >> \"$1\"",
                        "sh", log.toString())));
                c.check(BUILDER, Command.of("sh", "-c", "touch \"$1\"; exec sleep 600", "sh", file(name)));
            }).needing());
        }
        RunHandle handle = runner(Listeners.none()).start(Pipeline.builder("p").steps(steps).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(Files.exists(dir.resolve("left")) && Files.exists(dir.resolve("right")))) {
            assertTrue(System.nanoTime() < deadline, "both steps started");
            Thread.sleep(20);
        }

        handle.cancel();
        RunReport report = handle.await(Duration.ofSeconds(30)).orElseThrow();

        assertEquals(RunReport.Outcome.CANCELLED, report.outcome());
        assertEquals(List.of(StepStatus.CANCELLED, StepStatus.CANCELLED),
                report.steps().stream().map(RunReport.StepReport::status).toList());
        assertEquals(List.of("left", "right"), Files.readAllLines(log).stream().sorted().toList());
        assertEquals(Files.readAllLines(log).stream().map(n -> "note " + n).toList(),
                report.cleanups().stream().map(RunReport.CleanupReport::description).toList());
    }

    @Test
    void aCancelNamesTheFirstCancelledStepInPipelineOrderWhicheverEndsFirst() throws Exception {
        CountDownLatch bothRun = new CountDownLatch(2);
        Step first = Step.of("first", c -> {
            bothRun.countDown();
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.sleep(300);   // ends after the other one
                throw e;
            }
        }).needing();
        Step second = Step.of("second", c -> {
            bothRun.countDown();
            Thread.sleep(600_000);
        }).needing();
        RunHandle handle = runner(Listeners.none()).start(Pipeline.builder("p").step(first).step(second).build());
        assertTrue(bothRun.await(20, TimeUnit.SECONDS), "both steps started");

        handle.cancel();
        RunReport report = handle.await(Duration.ofSeconds(30)).orElseThrow();

        assertEquals(RunReport.Outcome.CANCELLED, report.outcome());
        assertEquals("first", report.failure().orElseThrow().step());
        assertEquals("step 'first' was cancelled", report.failure().orElseThrow().message());
    }
}
