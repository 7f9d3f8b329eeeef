package io.crossgen.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine over real {@code sh} processes: timeouts kill real commands, cleanups run real commands. */
class RealProcessRunTest {
    private static final Role MN = Role.of("mn");
    private static final Role BUILDER = Role.of("builder");

    @TempDir
    Path dir;

    private final PipelineRunner runner = PipelineRunner.builder()
            .transports(Transports.of(new ShTransport()))
            .host(BUILDER, "sh://localhost")
            .stepTimeout(Duration.ofSeconds(60))
            .build();

    @Test
    void aRealCommandPastItsStepTimeIsKilledAndTheCleanupRunsAnotherRealCommand() {
        Path marker = dir.resolve("started");
        Path cleaned = dir.resolve("cleaned");
        Step slow = new Step() {
            public String name() {
                return "sleep";
            }

            public void run(StepContext c) throws InterruptedException {
                c.defer("mark cleaned", k -> k.check(BUILDER, Command.of("touch", cleaned.toString())));
                c.exec(BUILDER, Command.of("sh", "-c", "touch \"$1\"; exec sleep 600", "sh", marker.toString()));
            }

            public Optional<Duration> timeout() {
                return Optional.of(Duration.ofSeconds(2));
            }
        };

        RunReport report = runner.run(Pipeline.builder("real").step(slow).build());

        assertTrue(Files.exists(marker));
        assertTrue(Files.exists(cleaned));
        assertEquals(StepStatus.CANCELLED, report.step("sleep").orElseThrow().status());
        assertEquals(Optional.of(Exit.timedOut(Duration.ofSeconds(2))), report.failure().orElseThrow().exit());
        assertEquals(StepStatus.DONE, report.cleanups().get(0).status());
        assertFalse(report.succeeded());
    }

    @Test
    void aRealFailureCarriesItsStderrTail() {
        Step fail = Step.of("ls", c -> c.check(BUILDER, Command.of("sh", "-c", "echo one >&2; echo two >&2; exit 3")));

        RunReport report = runner.run(Pipeline.builder("real").step(fail).build());

        RunReport.Failure f = report.failure().orElseThrow();
        assertEquals(java.util.List.of("one", "two"), f.stderrTail());
        assertEquals(Optional.of(Exit.exited(3)), f.exit());
        assertEquals("step 'ls' failed: localhost: `sh -c 'echo one >&2; echo two >&2; exit 3'` failed with exit 3; "
                + "last stderr:\n  one\n  two", f.message());
    }
}
