package io.crossgen.pipeline;

import static io.crossgen.testing.CommandMatcher.program;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.crossgen.command.Command;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.StdStream;
import io.crossgen.transport.Transports;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** The order in which a listener hears of a run: what a console, a journal or a user's own listener relies on. */
class ListenerOrderTest {
    private static final Role MN = Role.of("mn");
    private static final Role BUILDER = Role.of("builder");

    private final ScriptedTransport hosts = new ScriptedTransport();
    private final PipelineListener listener = mock(PipelineListener.class);
    private final PipelineRunner runner = PipelineRunner.builder()
            .transports(Transports.of(hosts))
            .host(MN, ScriptedTransport.host("mn"))
            .host(BUILDER, ScriptedTransport.host("builder"))
            .stepTimeout(Duration.ofSeconds(60))
            .listener(listener)
            .build();

    @Test
    void aListenerHearsEachCommandInsideItsStepAndTheCleanupsAfterTheLastStep() {
        hosts.on("builder", program("genimage")).reply(0, "installing bash\n", "");

        runner.run(Pipeline.builder("p").step(PipelineRunnerTest.MOUNT).step(PipelineRunnerTest.GENERATE).build());

        InOrder order = inOrder(listener);
        order.verify(listener).runStarted(eq("p"), eq(false));
        order.verify(listener).stepStarted("mount-install");
        order.verify(listener).commandStarted(eq("mount-install"), eq(ScriptedTransport.host("builder")),
                eq(Command.of("mount", "mn:/install", "/install")));
        order.verify(listener).commandFinished(eq("mount-install"), any());
        order.verify(listener).stepFinished(eq("mount-install"), eq(StepStatus.DONE), any(), eq(Optional.empty()));
        order.verify(listener).stepStarted("generate");
        order.verify(listener).outputLine("generate", ScriptedTransport.host("builder"), StdStream.STDOUT,
                "installing bash");
        order.verify(listener).stepFinished(eq("generate"), eq(StepStatus.DONE), any(), eq(Optional.empty()));
        order.verify(listener).cleanupStarted("mount-install", "unmount /install");
        order.verify(listener).cleanupFinished(eq("mount-install"), eq("unmount /install"), eq(StepStatus.DONE),
                any(), any());
        order.verify(listener).runFinished(argThat(RunReport::succeeded));
        order.verifyNoMoreInteractions();
    }

    @Test
    void aFailedStepIsReportedBeforeTheCleanupsAndTheStepsAfterItAreNeverStarted() {
        hosts.on("builder", program("genimage")).reply(1, "", "no such profile\n");

        runner.run(Pipeline.builder("p").step(PipelineRunnerTest.MOUNT).step(PipelineRunnerTest.GENERATE)
                .step(PipelineRunnerTest.PACK).build());

        InOrder order = inOrder(listener);
        order.verify(listener).stepFinished(eq("generate"), eq(StepStatus.FAILED), any(),
                argThat(Optional::isPresent));
        order.verify(listener).cleanupStarted("mount-install", "unmount /install");
        order.verify(listener).runFinished(argThat(r -> r.outcome() == RunReport.Outcome.FAILED));
        verify(listener, never()).stepStarted("packimage");
        verify(listener, never()).runStarted(any(), eq(true));
        verify(listener, never()).commandStarted(eq("packimage"), any(), any());
    }
}
