package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetachedRunTest {
    @TempDir
    Path tmp;

    private Path script(String name, String body) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("netboot/rh"));
        Path p = Files.writeString(folder.resolve(name), "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private DetachedRun.Poll poll(String runDir, long offset, int max) throws Exception {
        RealShell.Result r = RealShell.run(DetachedRun.follow(runDir, offset, 2, max, 0));
        assertEquals(0, r.exit(), r.stderr());
        return DetachedRun.parse(r.stdout()).orElseThrow(() -> new AssertionError(r.stdout()));
    }

    @Test
    void detachedCommandRunsInItsFolderAndIsFollowedFromOffsetsToItsExitCode() throws Exception {
        script("genimage", "echo \"in $(pwd) args $*\"\necho line2\nexit 3\n");
        String runDir = tmp.resolve("run").toString();
        RealShell.Result started = RealShell.run(DetachedRun.start(runDir, tmp.resolve("netboot/rh").toString(),
                List.of("./genimage", "-a", "ppc64le", "my image")));
        assertEquals(0, started.exit(), started.stderr());
        assertTrue(started.stdout().startsWith("pid="), started.stdout());

        StringBuilder log = new StringBuilder();
        long offset = 0;
        DetachedRun.Poll p;
        int polls = 0;
        do {
            p = poll(runDir, offset, 10);
            log.append(p.chunk());
            offset = p.end();
            assertTrue(++polls < 100, "never ended");
        } while (!p.finished());
        assertEquals(OptionalInt.of(3), p.rc());
        assertEquals("in " + tmp.resolve("netboot/rh") + " args -a ppc64le my image\nline2\n", log.toString());
        assertTrue(polls > 2, "a 10-byte limit takes several polls");
    }

    @Test
    void aMissingFolderEndsWithExitOneAndSaysSo() throws Exception {
        String runDir = tmp.resolve("run").toString();
        RealShell.run(DetachedRun.start(runDir, tmp.resolve("nope").toString(), List.of("./genimage")));
        DetachedRun.Poll p;
        int polls = 0;
        do {
            p = poll(runDir, 0, 4096);
            assertTrue(++polls < 30, "never ended");
        } while (p.rc().isEmpty());
        assertEquals(OptionalInt.of(1), p.rc());
        assertEquals("crossgen: cannot enter " + tmp.resolve("nope") + "\n", p.chunk());
    }

    @Test
    void stopEndsARunningProcessGroup() throws Exception {
        script("genimage", "sleep 300 &\nwait\n");
        String runDir = tmp.resolve("run").toString();
        RealShell.run(DetachedRun.start(runDir, tmp.resolve("netboot/rh").toString(), List.of("./genimage")));
        assertTrue(poll(runDir, 0, 100).alive());
        RealShell.Result stopped = RealShell.run(DetachedRun.stop(runDir));
        assertEquals("stopped\n", stopped.stdout());
        DetachedRun.Poll after = poll(runDir, 0, 100);
        assertFalse(after.alive());
        assertEquals(OptionalInt.empty(), after.rc());
    }

    @Test
    void outputThenTheEndWithinTheSettleTimeComeInOneAnswer() throws Exception {
        script("genimage", "echo first\nsleep 0.3\necho second\nexit 4\n");
        String runDir = tmp.resolve("run").toString();
        RealShell.run(DetachedRun.start(runDir, tmp.resolve("netboot/rh").toString(), List.of("./genimage")));
        RealShell.Result r = RealShell.run(DetachedRun.follow(runDir, 0, 30, 4096, 20_000));
        DetachedRun.Poll p = DetachedRun.parse(r.stdout()).orElseThrow(() -> new AssertionError(r.stdout()));
        assertTrue(p.finished(), r.stdout());
        assertEquals(OptionalInt.of(4), p.rc());
        assertEquals("first\nsecond\n", p.chunk());
    }

    @Test
    void aSleepWithoutFractionsMakesTheWaitWholeSeconds() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("sleeps");
        Path sleep = Files.writeString(bin.resolve("sleep"), "#!/bin/sh\necho \"$1\" >> " + calls + "\n"
                + "case $1 in *.*) echo \"sleep: invalid time interval '$1'\" >&2; exit 1 ;; esac\nexec /bin/sleep \"$1\"\n");
        Files.setPosixFilePermissions(sleep, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path runDir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(runDir.resolve("log"), "old\n");
        RealShell.Result r = RealShell.run(DetachedRun.follow(runDir.toString(), 4, 2, 4096, 0)
                .withEnv("PATH", bin + ":" + System.getenv("PATH")));
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("", r.stderr());
        DetachedRun.Poll p = DetachedRun.parse(r.stdout()).orElseThrow(() -> new AssertionError(r.stdout()));
        assertEquals(OptionalInt.empty(), p.rc());
        assertEquals(4, p.end());
        // one refused fraction, then whole seconds: the 2 s asked for
        assertEquals(List.of("0.100", "1", "1"), Files.readAllLines(calls));
    }

    @Test
    void leftoverMountsUnderTheRootimgComeDeepestFirst() {
        String findmnt = String.join("\n", "/", "/install", "/install/netboot/r/x86_64/img/rootimg/proc",
                "/install/netboot/r/x86_64/img/rootimg/dev", "/install/netboot/r/x86_64/img/rootimg/dev/pts",
                "/install/netboot/r/x86_64/img/rootimg/sys", "/install/netboot/r/x86_64/img/rootimg2/proc",
                "/install/netboot/r/x86_64/img/rootimg/run\\x20x", "");
        assertEquals(List.of("/install/netboot/r/x86_64/img/rootimg/dev/pts",
                "/install/netboot/r/x86_64/img/rootimg/sys", "/install/netboot/r/x86_64/img/rootimg/run x",
                "/install/netboot/r/x86_64/img/rootimg/proc", "/install/netboot/r/x86_64/img/rootimg/dev"),
                DetachedRun.leftoverMounts(findmnt, "/install/netboot/r/x86_64/img/rootimg"));
    }
}
