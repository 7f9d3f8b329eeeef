package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Who holds a lock or lease entry, and when it is stale: controller and genimage both gone. */
class RunOwnerTest {
    private static final String HOST = RunOwner.thisHost();
    private static final ProcessHandle ME = ProcessHandle.current();
    private static final String MY_START = ME.info().startInstant().orElseThrow().toString();

    /** A real process of this host that has ended: its pid and start time. */
    private static String[] deadProcess() throws Exception {
        Process p = new ProcessBuilder("true").start();
        String start = p.toHandle().info().startInstant().map(Instant::toString).orElse("");
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return new String[] {Long.toString(p.pid()), start};
    }

    private static Reply held(String owner) {
        return Reply.of(3, "held\n" + owner + "\n", "");
    }

    private static RunReport build(ScriptedTransport h) {
        SeedRunTest.addRules(h);
        return SeedRunTest.seed(h).run(Listeners.none());
    }

    @Test
    void aLockWhoseControllerAndGenimageAreGoneIsStaleAndTheRefusalSaysResumeOrUnlock() throws Exception {
        String[] dead = deadProcess();
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", CommandMatcher.line("crossgen-lock")).reply(held("run=old\ncontroller-host=" + HOST
                + "\ncontroller-pid=" + dead[0] + "\ncontroller-start=" + dead[1] + "\nimage=mycomputeimage"
                + "\ntime=2026-01-01T00:00:00Z\ngenimage-pid=77\ngenimage-start=123\nbuilder=node01"));
        h.on("node01", CommandMatcher.line("crossgen-alive 77 123$")).reply(0, "77 gone\n");

        RunReport report = build(h);

        assertEquals("step 'lock-image' failed: the image folder " + Seed.OWN_DIR + " is locked by crossgen run old"
                + " of image mycomputeimage since 2026-01-01T00:00:00Z (controller pid " + dead[0] + " on host " + HOST
                + ": gone; genimage pid 77 on node01: gone); nothing of that run runs any more: finish it with"
                + " `crossgen resume old`, or remove what it left with `crossgen unlock mycomputeimage`",
                report.failure().orElseThrow().message());
    }

    @Test
    void aLockWhoseGenimageStillRunsIsNotStaleThoughItsControllerIsGone() throws Exception {
        String[] dead = deadProcess();
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", CommandMatcher.line("crossgen-lock")).reply(held("run=old\ncontroller-host=" + HOST
                + "\ncontroller-pid=" + dead[0] + "\ncontroller-start=" + dead[1] + "\nimage=mycomputeimage"
                + "\ngenimage-pid=77\ngenimage-start=123\nbuilder=node01"));
        h.on("node01", CommandMatcher.line("crossgen-alive 77 123$")).reply(0, "77 running\n");

        RunReport report = build(h);

        assertEquals("step 'lock-image' failed: the image folder " + Seed.OWN_DIR + " is locked by crossgen run old"
                + " of image mycomputeimage (controller pid " + dead[0] + " on host " + HOST + ": gone; genimage pid"
                + " 77 on node01: running); wait for it to end; see `crossgen status --mn scripted://xcatmn"
                + " --builder scripted://node01`", report.failure().orElseThrow().message());
    }

    @Test
    void aControllerOnAnotherHostIsUnknownSoItsLockIsNeverStale() {
        RunOwner o = new RunOwner("old", "elsewhere.example", OptionalLong.of(1), "", OptionalLong.empty(), "", "",
                "img", "");
        RunOwner.Status s = o.status(RunOwner.Liveness.GONE);
        assertEquals(RunOwner.Liveness.UNKNOWN, s.controller());
        assertFalse(s.stale());
        assertEquals("controller pid 1 on host elsewhere.example: unknown (not this host); genimage: not started",
                s.describe());
    }

    @Test
    void aReusedPidIsNotTakenForTheRecordedController() {
        RunOwner o = new RunOwner("old", HOST, OptionalLong.of(ME.pid()), "2001-01-01T00:00:00Z",
                OptionalLong.empty(), "", "", "img", "");
        assertEquals(RunOwner.Liveness.GONE, o.controller());
        RunOwner same = new RunOwner("old", HOST, OptionalLong.of(ME.pid()), MY_START, OptionalLong.empty(), "", "",
                "img", "");
        assertEquals(RunOwner.Liveness.ALIVE, same.controller());
    }

    @Test
    void aResumedRunTakesOverItsOwnLockOnceItsEarlierControllerIsGone() throws Exception {
        String[] dead = deadProcess();
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", CommandMatcher.line("(?s)crossgen-lock .* ''$")).reply(held("run=r1\ncontroller-host=" + HOST
                + "\ncontroller-pid=" + dead[0] + "\ncontroller-start=" + dead[1] + "\nimage=mycomputeimage"));
        h.on("xcatmn", CommandMatcher.line("(?s)crossgen-lock .* r1$")).reply(0, "taken-over\n");

        RunReport report = build(h);

        assertTrue(report.succeeded(), report::summary);
        assertEquals(List.of("took over the lock of run r1 (its earlier controller process is gone)"),
                report.step("lock-image").orElseThrow().notes());
    }

    @Test
    void aReleaseReclaimsStaleLeaseEntriesAndKeepsLiveOnes() throws Exception {
        String[] dead = deadProcess();
        ScriptedTransport h = new ScriptedTransport();
        h.on("node01", CommandMatcher.line("crossgen-lease-list")).reply(0, "entry=gone1\nrun=gone1\ncontroller-host="
                + HOST + "\ncontroller-pid=" + dead[0] + "\ncontroller-start=" + dead[1] + "\ngenimage=gone\nend\n"
                + "entry=busy\nrun=busy\ncontroller-host=" + HOST + "\ncontroller-pid=" + dead[0]
                + "\ncontroller-start=" + dead[1] + "\ngenimage-pid=9\ngenimage=running\nend\n"
                + "entry=live\nrun=live\ncontroller-host=" + HOST + "\ncontroller-pid=" + ME.pid()
                + "\ncontroller-start=" + MY_START + "\ngenimage=none\nend\n");
        h.on("node01", CommandMatcher.line("crossgen-mount-release")).reply(0, "registered=yes\nreclaimed=gone1\n"
                + "others=2\nmarker=yes\ntop=/install xcatmn:/install nfs rw\nfound=same\naction=in-use\n");

        RunReport report = build(h);

        assertTrue(report.succeeded(), report::summary);
        Command release = h.commands("node01").stream().filter(c -> c.argv().contains("crossgen-mount-release"))
                .findFirst().orElseThrow();
        List<String> argv = release.argv();
        assertEquals(List.of("gone1"), argv.subList(argv.indexOf("crossgen-mount-release") + 7, argv.size()));
        assertTrue(report.step("generate").isPresent());
    }

    @Test
    void theLivenessScriptTellsARunningProcessFromAReusedPid() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // this JVM's start time in clock ticks, as the script reads it
        String start = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
        long pid = ProcessHandle.current().pid();
        assertEquals(pid + " running\n", sh(DetachedRun.alive(pid, start)));
        assertEquals(pid + " gone\n", sh(DetachedRun.alive(pid, "1")));
    }

    private static String sh(Command c) throws Exception {
        Process p = new ProcessBuilder(c.argv()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return out;
    }
}
