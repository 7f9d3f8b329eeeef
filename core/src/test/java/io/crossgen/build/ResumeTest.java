package io.crossgen.build;

import static io.crossgen.build.Recorded.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.StepStatus;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.RecordedCommand;
import io.crossgen.testing.ScriptedTransport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A seed build that failed in generate, resumed. */
class ResumeTest {
    @Test
    void resumeAfterAFailedGenerateTakesTheLockAgainAndRedoesWhatItProtects() {
        ScriptedTransport h = new ScriptedTransport();
        // run 1 mounts and its cleanup unmounts (the seed's answers); run 2 the same again
        h.on("node01", CommandMatcher.line("crossgen-follow")).reply(0, "crossgen-follow rc=1 alive=no end=34 size=34\n"
                + "Can't locate xCAT/Utils.pm in @INC\n").once();
        SeedRunTest.addRules(h);
        CrossBuild build = SeedRunTest.seed(h);
        RunReport first = build.run(Listeners.none());
        assertEquals("generate", first.failure().orElseThrow().step(), first::summary);
        int before = h.commands().size();

        assertEquals("lock-image", build.resumePoint(first));
        RunReport second = build.resume(first, Listeners.none());

        assertTrue(second.succeeded(), second::summary);
        for (String done : List.of("run-id", "copy-definition")) {
            RunReport.StepReport s = second.step(done).orElseThrow();
            assertEquals(StepStatus.SKIPPED, s.status(), done);
            assertEquals(List.of("done in run " + first.runId()), s.notes(), done);
        }
        for (String again : List.of("lock-image", "dry-run-genimage", "preflight", "copy-netboot",
                "copy-external-files", "mount-install", "generate", "packimage")) {
            assertEquals(StepStatus.DONE, second.step(again).orElseThrow().status(), again);
        }
        List<RecordedCommand> run2 = h.commands().subList(before, h.commands().size());
        List<Command> mn2 = run2.stream().filter(r -> r.host().hostname().equals("xcatmn")).map(RecordedCommand::command)
                .toList();
        List<Command> builder2 = run2.stream().filter(r -> r.host().hostname().equals("node01"))
                .map(RecordedCommand::command).toList();
        assertTrue(mn2.stream().noneMatch(c -> c.program().equals("lsdef") || c.program().equals("mkdef")
                || c.argv().contains("crossgen-mkdef")), mn2::toString);
        Recorded.assertRanInOrder(h,
                on("node01", SeedRunTest.RELEASE),                            // run 1's cleanups
                on("xcatmn", CommandMatcher.line("crossgen-unlock")),
                on("xcatmn", CommandMatcher.line("crossgen-lock /install/.crossgen-locks/[0-9a-f]+ 'run=r1")),
                on("xcatmn", CommandMatcher.argv("genimage", "--dryrun", Seed.TARGET)),  // redone under the lock
                on("node01", CommandMatcher.line("crossgen-preflight")),
                on("node01", CommandMatcher.line("crossgen-relay")),
                on("node01", CommandMatcher.line("crossgen-mount-acquire /run/crossgen/install r1 /install")),
                on("node01", CommandMatcher.line("crossgen-start /var/tmp/crossgen/r1 /opt/xcat/share/xcat/netboot/rh"
                        + " ./genimage -a x86_64 .* mycomputeimage$")),
                on("xcatmn", CommandMatcher.argv("packimage", Seed.TARGET)),
                on("node01", CommandMatcher.line("crossgen-mount-release /run/crossgen/install r1 /install")),
                on("xcatmn", CommandMatcher.line("crossgen-unlock")));
        assertEquals(2, h.commands("node01").stream().filter(SeedRunTest.ACQUIRE::matches).count());
        assertEquals(2, h.commands("node01").stream().filter(SeedRunTest.RELEASE::matches).count());
    }

    @Test
    void resumingARunThatDidNotFailIsRefused() {
        ScriptedTransport h = SeedRunTest.hosts();
        CrossBuild build = SeedRunTest.seed(h);
        RunReport done = build.run(Listeners.none());

        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> build.resume(done, Listeners.none()));
        assertEquals("run " + done.runId() + " did not fail; nothing to resume", e.getMessage());
    }
}
