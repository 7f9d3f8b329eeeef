package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Pipeline;
import io.crossgen.pipeline.PipelineRunner;
import io.crossgen.pipeline.RunHandle;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.Step;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

/**
 * What the signal handlers say and do, on a real run whose cleanup waits for the test; the exit is recorded
 * instead of made, and the hook is called as the JVM would.
 */
class CancelOnSignalTest {
    private final StringWriter err = new StringWriter();
    private final AtomicInteger exited = new AtomicInteger(-1);
    private final CountDownLatch cleanupStarted = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);

    /** A run whose only step waits to be cancelled, and whose cleanup waits for {@link #release}. */
    private RunHandle start() {
        Step hold = Step.of("hold", c -> {
            c.defer("wait for the test", k -> {
                cleanupStarted.countDown();
                if (!release.await(1, TimeUnit.MINUTES)) {
                    throw new AssertionError("never released");
                }
            });
            c.defer("a cleanup that ran before", k -> { });
            holding.countDown();
            Thread.sleep(TimeUnit.MINUTES.toMillis(1));
        });
        RunHandle handle = PipelineRunner.builder().build().start(Pipeline.builder("p").step(hold).build());
        try {
            assertTrue(holding.await(1, TimeUnit.MINUTES), "the step never deferred its cleanups");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return handle;
    }

    @Test
    void aSecondCtrlCListsTheCleanupsStillToRunAndDoesNotExitAgain() throws Exception {
        RunHandle handle = start();
        CancelOnSignal signals = new CancelOnSignal(handle, new PrintWriter(err), Duration.ofMinutes(2),
                exited::set);

        signals.onSignal(new Signal("INT"));
        assertEquals(130, exited.get());
        handle.cancel();                                   // what the hook does first, as exit starts it
        assertTrue(cleanupStarted.await(1, TimeUnit.MINUTES));
        exited.set(-1);
        signals.onSignal(new Signal("INT"));
        release.countDown();

        RunReport report = handle.await(Duration.ofMinutes(1)).orElseThrow();
        assertEquals(RunReport.Outcome.CANCELLED, report.outcome());
        assertEquals(-1, exited.get(), "the second Ctrl-C does not exit");
        assertEquals("crossgen: SIGINT: cancelling run " + handle.runId() + "; its cleanups run now (up to PT2M;"
                + " Ctrl-C again shows what is left)\n"
                + "crossgen: SIGINT: still cleaning up: wait for the test (running)\n", err.toString());
        assertEquals("SIGINT", signals.signal().orElseThrow());
    }

    @Test
    void sigtermExits143() {
        RunHandle handle = start();
        try {
            new CancelOnSignal(handle, new PrintWriter(err), Duration.ofMinutes(2), exited::set)
                    .onSignal(new Signal("TERM"));
            assertEquals(143, exited.get());
        } finally {
            handle.cancel();
            release.countDown();
        }
    }

    @Test
    void theHookCancelsTheRunAndGivesUpAfterTheBudgetNamingTheCleanupsLeft() throws Exception {
        RunHandle handle = start();
        CancelOnSignal signals = new CancelOnSignal(handle, new PrintWriter(err), Duration.ofMillis(300),
                exited::set);

        signals.onShutdown();

        assertEquals(List.of("wait for the test (running)"), handle.pendingCleanups());
        assertEquals("crossgen: the cleanup budget of PT0.3S is used up; exiting without these cleanups: wait for"
                + " the test (running)\n", err.toString());
        release.countDown();
        assertEquals(RunReport.Outcome.CANCELLED, handle.await(Duration.ofMinutes(1)).orElseThrow().outcome());
    }

    @Test
    void theHookReturnsAsSoonAsTheReportIsWritten() throws Exception {
        RunHandle handle = start();
        CancelOnSignal signals = new CancelOnSignal(handle, new PrintWriter(err), Duration.ofMinutes(2),
                exited::set);
        release.countDown();
        Thread main = new Thread(() -> {
            try {
                handle.await(Duration.ofMinutes(1)).orElseThrow();
                signals.reported();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        main.start();

        long t0 = System.nanoTime();
        signals.onShutdown();

        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "the hook waited for the budget");
        assertTrue(handle.isDone());
        assertEquals("", err.toString());
        main.join();
    }
}
