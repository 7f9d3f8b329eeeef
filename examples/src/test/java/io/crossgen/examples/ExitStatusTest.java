package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.BuildException;
import io.crossgen.build.RefusedException;
import io.crossgen.pipeline.Pipeline;
import io.crossgen.pipeline.PipelineRunner;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.Step;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Transports;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exit statuses the README documents: 0 ok, 1 failed, 2 usage, 3 refused by a check (130/143: signals). */
class ExitStatusTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int crossgen(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static RunReport runOf(Step.Body body) {
        return PipelineRunner.builder().transports(Transports.of(new ScriptedTransport())).build()
                .run(Pipeline.builder("exit").steps(List.of(Step.of("only", body))).build());
    }

    @Test
    void aSucceededRunExits0() {
        assertEquals(0, Main.Following.status(runOf(c -> { })));
    }

    @Test
    void aRunRefusedByACheckExits3() {
        assertEquals(3, Main.Following.status(runOf(c -> {
            throw new RefusedException("preflight: builder must be rh 8 on ppc64le");
        })));
    }

    @Test
    void aRunThatFailedOnTheWayExits1() {
        assertEquals(1, Main.Following.status(runOf(c -> {
            throw new BuildException("genimage failed with exit 1");
        })));
    }

    @Test
    void anUnknownOptionIsAUsageErrorExiting2() {
        assertEquals(2, crossgen("run", "--frobnicate"));
        assertTrue(err.toString().startsWith("Unknown option: '--frobnicate'"), err::toString);
    }

    @Test
    void everySubcommandsHelpShowsAnExampleAndTheTopHelpTheExitStatuses() {
        for (String sub : List.of("plan", "run", "resume", "status", "unlock", "validate", "convert")) {
            out.getBuffer().setLength(0);
            assertEquals(0, crossgen(sub, "--help"), sub);
            assertTrue(out.toString().contains("\nExample:\n  "), () -> sub + ":\n" + out);
        }
        out.getBuffer().setLength(0);
        assertEquals(0, crossgen("--help"));
        assertTrue(out.toString().endsWith("\nExit status:\n  0    ok\n  1    the build failed\n  2    bad usage or"
                + " input\n  3    refused by a check (preflight, the image's lock, an existing image)\n  130 "
                + " interrupted (Ctrl-C)\n  143  stopped by SIGTERM\n"), out::toString);
    }
}
