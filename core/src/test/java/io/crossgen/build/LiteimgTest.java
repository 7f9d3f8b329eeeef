package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Pipeline;
import io.crossgen.pipeline.PipelineRunner;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepStatus;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Transports;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The liteimg step against a scripted MN: xCAT's liteimg reports some errors with exit 0. */
class LiteimgTest {
    private static final String DIR = "/install/netboot/rhels8.8.0/x86_64/lite1";
    private static final OsImage IMAGE = OsImage.of("lite1", Map.of("imagetype", "linux", "osvers", "rhels8.8.0",
            "osarch", "x86_64", "profile", "compute", "provmethod", "statelite", "rootimgdir", DIR));

    @Test
    void anErrorLineWithExitZeroFailsTheStepNamingTheHostAndTheLine() {
        ScriptedTransport h = new ScriptedTransport().strict();
        h.on("xcatmn", CommandMatcher.argv("liteimg", "lite1")).reply(Reply.of(0, "going to modify " + DIR
                + "/rootimg\n", "Error: [xcatmn]: parseLiteFiles failed for listNew!\n"));
        Pipeline p = Pipeline.builder("lite").step(Step.of("image", c -> c.put(BuildKeys.IMAGE, IMAGE)))
                .step(Liteimg.defaults()).build();

        RunReport report = PipelineRunner.builder()
                .transports(Transports.of(h))
                .host(BuildRoles.MN, ScriptedTransport.host("xcatmn"))
                .host(BuildRoles.BUILDER, ScriptedTransport.host("node01"))
                .build()
                .run(p);

        RunReport.Failure failure = report.failure().orElseThrow();
        assertEquals("liteimg", failure.step());
        assertEquals(StepStatus.FAILED, report.step(Liteimg.NAME).orElseThrow().status());
        assertEquals(Optional.of(ScriptedTransport.host("xcatmn")), failure.host());
        assertEquals(List.of("liteimg", "lite1"), failure.argv());
        assertEquals(Optional.of(Exit.exited(0)), failure.exit());
        assertEquals(List.of("Error: [xcatmn]: parseLiteFiles failed for listNew!"), failure.stderrTail());
        assertEquals("step 'liteimg' failed: liteimg lite1 failed (exit 0): parseLiteFiles failed for listNew!"
                + " (on xcatmn)", failure.message());
        // Neither checked nor dropped: the kept boot files stay for the restore.
        assertEquals(List.of(List.of("liteimg", "lite1")), h.commands("xcatmn").stream().map(Command::argv).toList());
    }
}
