package io.crossgen.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Host;
import io.crossgen.transport.StdStream;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuietConsoleTest {
    private static final Host BUILDER = ScriptedTransport.host("builder");

    @Test
    void onATerminalThePackageCountersBecomeOneProgressLineRewrittenInPlace() {
        StringBuilder out = new StringBuilder();
        PipelineListener console = Listeners.quietConsole(out, Throwable::getMessage, true);

        console.stepStarted("generate");
        console.outputLine("generate", BUILDER, StdStream.STDOUT, "  Installing       : bash-5.1-1.x86_64   1/2 ");
        console.outputLine("generate", BUILDER, StdStream.STDOUT, "Enter the dracut mode.");
        console.stepFinished("generate", StepStatus.DONE, Duration.ofSeconds(75), Optional.empty());

        String shown = out.toString().replaceAll("[0-9.]+ (ms|s)\\b", "T");
        assertEquals("\r\033[K==> generate ..."
                + "\r\033[K==> generate\n==> generate ..."
                + "\r\033[K[builder] installing 1/2 packages, T | Installing       : bash-5.1-1.x86_6…"
                + "\r\033[K[builder] Enter the dracut mode.\n[builder] installing 1/2 packages, T | Installing"
                + "       : bash-5.1-1.x86_6…"
                + "\r\033[K<== generate DONE in 1 min T\n", shown);
    }

    @Test
    void plumbingCommandsAndTheirOutputAreLeftOutAndXcatCommandsShowTheirFirstLines() {
        StringBuilder out = new StringBuilder();
        PipelineListener console = Listeners.quietConsole(out, Throwable::getMessage, false);

        console.stepStarted("copy-definition");
        console.commandStarted("copy-definition", BUILDER, Command.of("sh", "-c", "echo hidden", "crossgen-x"));
        console.outputLine("copy-definition", BUILDER, StdStream.STDOUT, "hidden");
        console.commandStarted("copy-definition", BUILDER, Command.of("lsdef", "-z", "img").asProcedure());
        for (int i = 1; i <= 5; i++) {
            console.outputLine("copy-definition", BUILDER, StdStream.STDOUT, "line " + i);
        }
        console.commandFinished("copy-definition", new io.crossgen.transport.ExecResult(BUILDER,
                Command.of("lsdef"), io.crossgen.transport.Exit.exited(0), Duration.ofMillis(5),
                io.crossgen.transport.Output.empty(), io.crossgen.transport.Output.empty()));

        assertEquals("==> copy-definition\n[builder] $ lsdef -z img\n[builder] line 1\n[builder] line 2\n"
                + "[builder] ... 3 more lines (in the full log)\n", out.toString());
        assertTrue(!out.toString().contains("hidden"));
    }

    @Test
    void whileTwoStepsRunEachLineNamesItsStepAndALoneStepsLinesDoNot() {
        StringBuilder out = new StringBuilder();
        PipelineListener console = Listeners.quietConsole(out, Throwable::getMessage, false);
        Host mn = ScriptedTransport.host("mn");

        console.stepStarted("copy-netboot");
        console.stepStarted("mount-install");
        console.commandStarted("copy-netboot", mn, Command.of("tar", "-c", "netboot").asProcedure());
        console.commandStarted("mount-install", BUILDER, Command.of("mount", "/install").asProcedure());
        console.outputLine("copy-netboot", mn, StdStream.STDOUT, "sent 12 files");
        console.warning("mount-install", "/install was mounted already");
        console.stepFinished("copy-netboot", StepStatus.DONE, Duration.ofSeconds(2), Optional.empty());
        console.outputLine("mount-install", BUILDER, StdStream.STDOUT, "mounted");
        console.stepFinished("mount-install", StepStatus.DONE, Duration.ofSeconds(3), Optional.empty());

        assertEquals("==> copy-netboot\n"
                + "copy-netboot | [mn] $ tar -c netboot\n"
                + "==> mount-install\n"
                + "mount-install | [builder] $ mount /install\n"
                + "copy-netboot | [mn] sent 12 files\n"
                + "mount-install |     warning: /install was mounted already\n"
                + "<== copy-netboot DONE in 2.0 s\n"
                + "[builder] mounted\n"
                + "<== mount-install DONE in 3.0 s\n", out.toString());
    }
}
