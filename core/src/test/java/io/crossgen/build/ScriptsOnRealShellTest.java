package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.transport.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell scripts the steps send, run by a real {@code sh} on local folders. */
class ScriptsOnRealShellTest {
    @TempDir
    Path tmp;

    @Test
    void manifestListsFilesLinksAndFoldersAndSeesAChange() throws Exception {
        Path mn = Files.createDirectories(tmp.resolve("mn/netboot/rh"));
        Files.writeString(mn.resolve("genimage"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(mn.resolve("genimage"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(tmp.resolve("mn/netboot/sle"), Path.of("/opt/xcat/share/xcat/netboot/sles"));
        String root = tmp.resolve("mn/netboot").toString();

        RealShell.Result r = RealShell.run(Manifest.command(List.of(root, tmp.resolve("absent").toString()), true));
        assertEquals(0, r.exit(), r.stderr());
        Manifest m = Manifest.parse(r.stdout());
        assertEquals(List.of(root, root + "/rh", root + "/rh/genimage", root + "/sle"),
                new ArrayList<>(m.entries().keySet()));
        assertEquals('l', m.entries().get(root + "/sle").type());
        assertEquals("/opt/xcat/share/xcat/netboot/sles", m.entries().get(root + "/sle").link());
        assertEquals("755", m.entries().get(root + "/rh/genimage").mode());
        assertTrue(m.entries().get(root + "/rh/genimage").sha256().isPresent());
        assertEquals(List.of(), m.unreadable());

        Files.writeString(mn.resolve("genimage"), "#!/bin/sh\nexit 0\n");
        Manifest changed = Manifest.parse(RealShell.run(Manifest.command(List.of(root), true)).stdout());
        assertEquals(List.of(root + "/rh/genimage"), changed.diff(m, true).copy());
    }

    @Test
    void theProbeIsWrittenToEachPathAndAFailedWriteRemovesTheOnesWrittenBefore() throws Exception {
        String a = tmp.resolve(".crossgen-probe-r1-0a1b2c3d").toString();
        String b = tmp.resolve("sub/.crossgen-probe-r1-0a1b2c3d.site").toString();
        Files.createDirectories(tmp.resolve("sub"));
        MountInstall.Probe probe = new MountInstall.Probe("r1-0a1b2c3d", List.of(a, b), List.of(a, b));
        RealShell.Result r = RealShell.run(probe.write());
        assertEquals(List.of(0, "probe=written\n"), List.of(r.exit(), r.stdout()), r.stderr());
        assertEquals("r1-0a1b2c3d\n", Files.readString(Path.of(a)));
        assertEquals("r1-0a1b2c3d\n", Files.readString(Path.of(b)));

        Files.delete(Path.of(a));
        Files.delete(Path.of(b));
        String absent = tmp.resolve("absent/.crossgen-probe-r1-0a1b2c3d.site").toString();
        r = RealShell.run(new MountInstall.Probe("r1-0a1b2c3d", List.of(a, absent), List.of(a, absent)).write());
        assertEquals(List.of(1, "probe=failed\nprobe-path=" + absent + "\n"), List.of(r.exit(), r.stdout()));
        assertTrue(r.stderr().contains(absent), r.stderr());
        assertTrue(Files.notExists(Path.of(a)), "the first one, written, is removed again");
    }

    @Test
    void theMnReadsEachProbeAndRemovesOnlyThoseThatHoldItsContent() throws Exception {
        Path ours = Files.writeString(tmp.resolve(".crossgen-probe-r1-0a1b2c3d"), "r1-0a1b2c3d\n");
        Path other = Files.writeString(tmp.resolve(".crossgen-probe-r1-0a1b2c3d.site"), "someone else\n");
        Path absent = tmp.resolve("absent");
        RealShell.Result r = RealShell.run(new MountInstall.Probe("r1-0a1b2c3d", List.of("/b1", "/b2"),
                List.of(ours.toString(), other.toString())).read());
        assertEquals(List.of(1, "probe.1=seen\nprobe.2=other\n"), List.of(r.exit(), r.stdout()), r.stderr());
        assertTrue(Files.notExists(ours));
        assertTrue(Files.exists(other), "not the run's: kept");

        Files.writeString(ours, "r1-0a1b2c3d\n");
        r = RealShell.run(new MountInstall.Probe("r1-0a1b2c3d", List.of("/b1", "/b2"), List.of(ours.toString(),
                absent.toString())).read());
        assertEquals(List.of(1, "probe.1=seen\nprobe.2=missing\n"), List.of(r.exit(), r.stdout()));
        assertTrue(r.stderr().contains(absent.toString()), r.stderr());

        Files.writeString(ours, "r1-0a1b2c3d\n");
        r = RealShell.run(new MountInstall.Probe("r1-0a1b2c3d", List.of("/b1"), List.of(ours.toString())).read());
        assertEquals(List.of(0, "probe.1=seen\n"), List.of(r.exit(), r.stdout()), r.stderr());
        assertTrue(Files.notExists(ours));
    }

    @Test
    void commandsRunTogetherAtOnceAndEachAnswersItsOwnOutputAndExit() throws Exception {
        String flag = tmp.resolve("second-ran").toString();
        List<Command> parts = List.of(
                Command.of("sh", "-c", "i=0; while [ ! -e \"$1\" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done;"
                        + " [ -e \"$1\" ] || exit 9; printf 'a\\n\\nb'; echo oops >&2; exit 3", "first", flag),
                Command.of("sh", "-c", "touch \"$1\"; cat; echo '@crossgen-together 1 exit=0 stdout=9 stderr=9'",
                        "second", flag),
                Command.of("true"));
        RealShell.Result r = RealShell.run(Together.command(parts));
        assertEquals(0, r.exit(), r.stderr());
        ExecResult whole = new ExecResult(io.crossgen.testing.ScriptedTransport.host("h"), Together.command(parts),
                io.crossgen.transport.Exit.exited(0), java.time.Duration.ZERO, io.crossgen.transport.Output.of(
                r.stdout()), io.crossgen.transport.Output.empty());
        List<ExecResult> each = Together.split(whole, parts);
        assertEquals(io.crossgen.transport.Exit.exited(3), each.get(0).exit(), "the first saw the second run meanwhile");
        assertEquals(List.of("a\n\nb\n", "oops\n"), List.of(each.get(0).stdout().text(), each.get(0).stderr().text()));
        assertEquals("@crossgen-together 1 exit=0 stdout=9 stderr=9\n", each.get(1).stdout().text(),
                "stdin closed, a look-alike line kept as output");
        assertTrue(each.get(2).isSuccess());
        assertEquals(parts.get(2), each.get(2).command());
    }

    @Test
    void packageListsAreReadInOneCommandAndMissingOnesMarked() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.pkglist"), "bash\n#INCLUDE:b.pkglist#\n");
        Path b = Files.writeString(tmp.resolve("b.pkglist"), "vim");
        RealShell.Result r = RealShell.run(PackageLists.readCommand(List.of(a.toString(), b.toString(),
                tmp.resolve("nope").toString())));
        assertEquals(0, r.exit(), r.stderr());
        Map<String, Optional<String>> files = PackageLists.parseRead(r.stdout());
        assertEquals(Optional.of("bash\n#INCLUDE:b.pkglist#\n"), files.get(a.toString()));
        assertEquals(Optional.of("vim\n"), files.get(b.toString()));
        assertEquals(Optional.empty(), files.get(tmp.resolve("nope").toString()));
    }

    @Test
    void preflightScriptPrintsEveryFact() throws Exception {
        Files.writeString(Files.createDirectories(tmp.resolve("site")).resolve("f"), "");
        RealShell.Result r = RealShell.run(Command.of("sh", "-c", Preflight.SCRIPT, "crossgen-preflight",
                tmp.resolve("site").toString(), "sh", "no-such-tool-crossgen"));
        assertEquals(0, r.exit(), r.stderr());
        Map<String, String> facts = Preflight.parseFacts(r.stdout());
        assertTrue(facts.containsKey("arch"), r.stdout());
        assertEquals("yes", facts.get("tool.sh"));
        assertEquals("no", facts.get("tool.no-such-tool-crossgen"));
        assertTrue(facts.containsKey("uid"), r.stdout());
        assertTrue(facts.containsKey("os.id"), r.stdout());
        assertTrue(facts.containsKey("install.mount"), r.stdout());
        assertTrue(facts.containsKey("perl.DBI"), r.stdout());
        assertEquals("yes", facts.get("installdir.exists"));
        assertEquals("no", facts.get("installdir.empty"));
        assertTrue(facts.get("installdir.mount").startsWith("/"), r.stdout());
        assertTrue(!facts.containsKey("tool." + tmp.resolve("site")), "the installdir is not a tool");
    }

    @Test
    void lockIsTakenOnceAndReleasedOnlyByItsOwner() throws Exception {
        String dir = tmp.resolve("locks/abc").toString();
        RealShell.Result first = RealShell.run(Command.of("sh", "-c", LockImage.ACQUIRE, "x", dir, "run=r1\nhost=h"));
        assertEquals(new RealShell.Result(0, "acquired\n", ""), first);
        RealShell.Result second = RealShell.run(Command.of("sh", "-c", LockImage.ACQUIRE, "x", dir, "run=r2\nhost=h"));
        assertEquals(new RealShell.Result(3, "held\nrun=r1\nhost=h\n", ""), second);
        RealShell.Result wrong = RealShell.run(Command.of("sh", "-c", LockImage.RELEASE, "x", dir, "r2"));
        assertEquals("not held by this run\n", wrong.stdout());
        assertTrue(Files.isDirectory(Path.of(dir)));
        RealShell.Result right = RealShell.run(Command.of("sh", "-c", LockImage.RELEASE, "x", dir, "r1"));
        assertEquals("released\n", right.stdout());
        assertTrue(Files.notExists(Path.of(dir)));
    }
}
