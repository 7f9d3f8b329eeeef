package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Key;
import io.crossgen.pipeline.Pipeline;
import io.crossgen.pipeline.PipelineRunner;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepStatus;
import io.crossgen.testing.ScriptedTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal: a run killed at any point has written a report it can be resumed from. */
class RunJournalTest {
    private static final Key<String> FOLDER = Key.of("folder", String.class);

    @Test
    void theJournalsReportDuringAStepReadsAsFailedThereAndResumesFromIt(@TempDir Path dir) {
        RunJournal journal = RunJournal.at(dir.resolve("runs"));
        AtomicReference<RunReport> seen = new AtomicReference<>();
        AtomicReference<String> resumedWith = new AtomicReference<>();
        Step second = Step.of("second", c -> {
            if (seen.get() == null) {
                seen.set(journal.report("r1").orElseThrow());
            } else {
                resumedWith.set(c.require(FOLDER));
            }
        });
        Pipeline p = Pipeline.builder("journal").step(Step.of("first", c -> c.put(FOLDER, "/var/tmp/x")))
                .step(second).step(Step.of("third", c -> { })).build();
        PipelineRunner runner = PipelineRunner.builder().transports(io.crossgen.transport.Transports.of(new ScriptedTransport()))
                .listener(journal.recorder(RunJournal.Entry.running("r1", "img", "local:", "ssh://root@b",
                        List.of("--as", "img"))))
                .build();

        RunReport done = runner.run(p);

        assertTrue(done.succeeded(), done::summary);
        RunReport midway = seen.get();
        assertEquals(RunReport.Outcome.FAILED, midway.outcome());
        assertEquals("run " + done.runId() + " was interrupted in step 'second': its process ended before the step"
                + " did", midway.failure().orElseThrow().message());
        assertEquals(List.of(StepStatus.DONE, StepStatus.FAILED, StepStatus.SKIPPED),
                midway.steps().stream().map(RunReport.StepReport::status).toList());
        RunReport resumed = runner.toBuilder().resumeFrom(midway, "second").build().run(p);
        assertTrue(resumed.succeeded(), resumed::summary);
        assertEquals("/var/tmp/x", resumedWith.get());
        assertEquals("succeeded", journal.read("r1").orElseThrow().state());
        assertEquals(List.of("r1"), journal.list().stream().map(RunJournal.Entry::runId).toList());
        assertTrue(Files.isRegularFile(dir.resolve("runs/r1/report.json")));
    }

    @Test
    void theDefaultJournalIsUnderXdgStateHome() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path expected = (xdg != null && xdg.startsWith("/") ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state")).resolve("crossgen/runs");
        assertEquals(expected, RunJournal.defaults().base());
    }
}
