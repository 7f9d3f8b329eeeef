package io.crossgen.build;

import static io.crossgen.build.Recorded.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.StepStatus;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.RecordedCommand;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Host;
import io.crossgen.transport.StdStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What happens to the seed build when its genimage is interrupted, or the line to the builder drops. */
class GenerateFaultsTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    static final String FIRST = "Enter the dracut mode. Dracut version: 004-411.el6\n";
    static final String SECOND = "the initial ramdisk for stateless is generated successfully.\n";
    static final CommandMatcher FOLLOW = CommandMatcher.line("crossgen-follow");

    @Test
    void interruptDuringGenerateStopsGenimageThenCleansUpInOrderAndKeepsTheFlag() throws Exception {
        ScriptedTransport h = new ScriptedTransport();
        h.on("node01", FOLLOW).reply(Reply.hang());
        SeedRunTest.addRules(h);
        CrossBuild build = SeedRunTest.seed(h);
        AtomicReference<RunReport> report = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            report.set(build.run(new PipelineListener() { }));
            flagAfter.set(Thread.currentThread().isInterrupted());
        }, "seed-caller");
        caller.start();
        awaitCommand(h, "node01", FOLLOW);

        caller.interrupt();
        caller.join(LONG.toMillis());

        assertFalse(caller.isAlive(), "the run did not end after the interrupt");
        RunReport r = report.get();
        assertNotNull(r);
        assertTrue(flagAfter.get(), "the calling thread's interrupt flag must be set again");
        assertEquals(RunReport.Outcome.CANCELLED, r.outcome(), r::summary);
        assertEquals("generate", r.failure().orElseThrow().step());
        assertEquals("step 'generate' was cancelled", r.failure().orElseThrow().message());
        assertEquals(StepStatus.CANCELLED, r.step("generate").orElseThrow().status());
        assertEquals(StepStatus.SKIPPED, r.step("packimage").orElseThrow().status());
        assertEquals(List.of("not run: the run was cancelled"), r.step("packimage").orElseThrow().notes());
        assertTrue(h.recorded("node01").stream().filter(c -> FOLLOW.matches(c.command()))
                .allMatch(RecordedCommand::cancelled), "the hanging follow was cancelled");
        assertEquals(List.of(FailureAtEveryStepTest.STOP, FailureAtEveryStepTest.LEFTOVERS,
                FailureAtEveryStepTest.UNSTAGE, FailureAtEveryStepTest.UNMOUNT, FailureAtEveryStepTest.LOCK),
                r.cleanups().stream().map(RunReport.CleanupReport::description).toList());
        Recorded.assertRanInOrder(h,
                on("node01", FOLLOW),
                on("node01", CommandMatcher.line("crossgen-stop /var/tmp/crossgen/r1$")),
                on("node01", CommandMatcher.argv("findmnt", "-rn", "-o", "TARGET")),
                on("node01", SeedRunTest.RELEASE),
                on("xcatmn", CommandMatcher.line("crossgen-unlock")));
        h.assertNotRan("xcatmn", CommandMatcher.program("packimage"));
    }

    static Stream<Reply> drops() {
        return Stream.of(Reply.dropConnection(), Reply.lostStatus("channel closed by node01"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drops")
    void droppedLineDuringGenerateIsResumedFromTheOffsetReached(Reply fault) {
        ScriptedTransport h = new ScriptedTransport();
        int first = FIRST.length();
        int both = first + SECOND.length();
        h.on("node01", FOLLOW).reply(0, "crossgen-follow rc= alive=yes end=" + first + " size=" + first + "\n" + FIRST)
                .once();
        h.on("node01", FOLLOW).reply(fault).once();
        h.on("node01", FOLLOW).reply(0, "crossgen-follow rc=0 alive=no end=" + both + " size=" + both + "\n"
                + SECOND);
        SeedRunTest.addRules(h);
        List<String> lines = new CopyOnWriteArrayList<>();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void outputLine(String step, Host host, StdStream stream, String line) {
                if (step.equals("generate")) {
                    lines.add(line);
                }
            }
        };
        CrossBuild build = SeedRunTest.seed(Seed.build(h)
                .step(Generate.defaults().withRetries(3, Duration.ofMillis(20))).build());

        RunReport report = build.run(listener);

        assertTrue(report.succeeded(), report::summary);
        List<Long> offsets = Recorded.follows(h, "node01").stream().map(Recorded::followOffset).toList();
        assertEquals(List.of(0L, (long) first, (long) first), offsets);
        assertEquals(List.of("pid=4242", FIRST.strip(), SECOND.strip()), lines, "every line once, none lost");
        String problem = fault.toString().equals("drop the connection")
                ? "node01: connection dropped (scripted) while starting `sh`" : "no exit status (channel closed by node01)";
        assertEquals(List.of("following genimage on node01 failed (" + problem + "); retrying in 20 ms from byte "
                + first), report.step("generate").orElseThrow().warnings());
        assertEquals(1, h.connectionsOpened("node01"),
                "the run's connection to the builder serves the follow after the drop (the transport reconnects)");
        h.assertRanInOrder("node01", FOLLOW, SeedRunTest.RELEASE);
    }

    static void awaitCommand(ScriptedTransport h, String host, CommandMatcher matcher) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (h.commands(host).stream().noneMatch(matcher::matches)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(host + " never ran " + matcher.describe() + ":\n"
                        + Recorded.listing(h.commands()));
            }
            Thread.sleep(10);
        }
    }
}
