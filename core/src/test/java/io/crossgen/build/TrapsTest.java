package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each known trap of the manual procedure, handled. */
class TrapsTest {

    private static RunReport run(ScriptedTransport h) {
        return SeedRunTest.seed(h).run(Listeners.none());
    }

    @Test
    void lockRefusesASecondBuildOfTheSameRootimgdir() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", CommandMatcher.line("crossgen-lock")).reply(Reply.of(3, "held\nrun=other\nhost=mn2\n"
                + "image=mycomputeimage\nrootimgdir=" + Seed.OWN_DIR + "\ntime=2026-01-01T00:00:00Z\n", ""));
        addSeedRules(h);
        RunReport report = run(h);
        assertFalse(report.succeeded());
        assertEquals("lock-image", report.failure().orElseThrow().step());
        assertEquals("step 'lock-image' failed: the image folder " + Seed.OWN_DIR + " is locked by crossgen run other"
                + " of image mycomputeimage since 2026-01-01T00:00:00Z (controller on host mn2: unknown (no pid"
                + " recorded); genimage: not started); it may still run; see `crossgen status --mn scripted://xcatmn"
                + " --builder scripted://node01`", report.failure().orElseThrow().message());
        h.assertNotRan("node01", SeedRunTest.ACQUIRE);
        h.assertNotRan("xcatmn", CommandMatcher.line("crossgen-unlock"));
    }

    @Test
    void aFailedPackimageRanInTheStageAndLeavesTheBootFilesUntouched() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", CommandMatcher.program("packimage")).reply(Reply.of(1, "",
                "Error: [xcatmn]: Command pigz does not exist, please make sure it is installed.\n"));
        addSeedRules(h);
        RunReport report = run(h);
        assertEquals("packimage", report.failure().orElseThrow().step());
        String stage = FailureAtEveryStepTest.STAGE;
        h.assertRanInOrder("xcatmn", CommandMatcher.line("crossgen-stage"),
                CommandMatcher.argv("chdef", "-t", "osimage", "-o", "mycomputeimage", "rootimgdir=" + stage),
                CommandMatcher.program("packimage"),
                CommandMatcher.argv("chdef", "-t", "osimage", "-o", "mycomputeimage", "rootimgdir=" + Seed.OWN_DIR),
                CommandMatcher.line("crossgen-unstage"));
        h.assertNotRan("xcatmn", CommandMatcher.line("crossgen-promote"));
        assertEquals(1, h.recorded("xcatmn").stream().filter(c -> c.command().argv().get(0).equals("chdef")
                && c.command().argv().get(5).equals("rootimgdir=" + Seed.OWN_DIR)).count(),
                "pointed back once, not again by the cleanup");
        // genimage on the builder wrote to the stage, not to the folder nodes boot from.
        assertTrue(h.recorded("node01").stream().anyMatch(c -> String.join(" ", c.command().argv())
                .contains("--rootimgdir " + stage + " mycomputeimage")), "genimage was not pointed at the stage");
    }

    @Test
    void anExistingMountOfTheMnIsReusedAndNotUnmounted() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("node01", SeedRunTest.ACQUIRE).reply(0, "top=/install xcatmn:/install nfs4 rw,relatime\nfound=same\n"
                + "marker=no\naction=reused\nprobe=written\n");
        h.on("node01", SeedRunTest.RELEASE).reply(0, "registered=yes\nothers=0\nmarker=no\n"
                + "top=/install xcatmn:/install nfs4 rw,relatime\nfound=same\naction=not-ours\n");
        h.on("node01", CommandMatcher.line("crossgen-preflight")).reply(0, SeedRunTest.FACTS.replace(
                "install.mount=/ /dev/sda2 ext4 rw,relatime", "install.mount=/install xcatmn:/install nfs4 rw"));
        addSeedRules(h);
        List<String> heard = new CopyOnWriteArrayList<>();
        RunReport report = SeedRunTest.seed(h).run(SeedRunTest.notesInto(heard));
        assertTrue(report.succeeded(), report::summary);
        assertEquals(List.of("mount-install: /install is already xcatmn:/install (nfs4): reused, and left mounted",
                "mount-install: /install on the builder is xcatmn:/install, not crossgen's mount: left alone"),
                heard.stream().filter(n -> n.startsWith("mount-install: ")).toList());
        Recorded.assertRanInOrder(h, Recorded.on("node01", SeedRunTest.ACQUIRE), Recorded.on("xcatmn",
                SeedRunTest.PROBE_READ), Recorded.on("node01", SeedRunTest.RELEASE));
        h.assertNotRan("node01", CommandMatcher.program("mount"));
        h.assertNotRan("node01", CommandMatcher.argv("umount", "/install"));
    }

    @Test
    void leftoverMountsUnderTheRootimgAreUnmountedBeforeInstall() {
        ScriptedTransport h = new ScriptedTransport();
        String stage = FailureAtEveryStepTest.STAGE;
        h.on("node01", CommandMatcher.argv("findmnt", "-rn", "-o", "TARGET")).reply(0, "/\n/install\n"
                + stage + "/rootimg/proc\n" + stage + "/rootimg/dev\n" + stage + "/rootimg/dev/pts\n");
        h.on("node01", CommandMatcher.line("crossgen-follow")).reply(0,
                "crossgen-follow rc=1 alive=no end=6 size=6\nfail!\n");
        addSeedRules(h);
        RunReport report = run(h);
        assertEquals("generate", report.failure().orElseThrow().step());
        h.assertRanInOrder("node01", CommandMatcher.argv("umount", stage + "/rootimg/dev/pts",
                stage + "/rootimg/proc", stage + "/rootimg/dev"), SeedRunTest.RELEASE);
    }

    @Test
    void strayOnesAndTempfileAreDroppedFromTheBuilderCommand() {
        assertEquals(List.of("./genimage", "-o", "x", "--ignorekernelchk", "--noupdate", "img"),
                Generate.builderArgv(List.of("./genimage", "-o", "x", "--ignorekernelchk", "1",
                        "--noupdate", "1", "--tempfile", "/tmp/xcat_genimage.3050", "img")));
    }

    /** The rules of {@link SeedRunTest#hosts()}, added after the test's own. */
    static void addSeedRules(ScriptedTransport h) {
        SeedRunTest.addRules(h);
    }
}
