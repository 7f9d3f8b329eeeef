package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.pipeline.Cleanup;
import io.crossgen.pipeline.Key;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.Role;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.Connection;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.Output;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease on the builder's {@code /install}, its scripts run by a real {@code sh} with the real util-linux
 * {@code flock}, and fake {@code findmnt}, {@code mount}, {@code umount} and {@code mkdir} first on the PATH that
 * keep a mount table in a file.
 */
class InstallLeaseTest {
    static final String ROOT_LINE = "/ /dev/sda2 ext4 rw,relatime";
    static final String OURS = "/install xcatmn:/install nfs4 rw,relatime";

    @TempDir
    Path tmp;
    Path bin;
    Path table;
    Path mounts;
    Path umounts;
    String dir;
    final List<Long> daemons = new CopyOnWriteArrayList<>();
    final AtomicInteger probes = new AtomicInteger();

    @BeforeEach
    void fakeBuilder() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        table = tmp.resolve("table");
        mounts = tmp.resolve("mount.log");
        umounts = tmp.resolve("umount.log");
        dir = tmp.resolve("run/crossgen/install").toString();
        Files.writeString(table, ROOT_LINE + "\n");
        Files.writeString(mounts, "");
        Files.writeString(umounts, "");
        String path = System.getenv("PATH");
        // findmnt ... --target PATH: the table's lines of the deepest mount point at or above PATH, in order
        program("findmnt", String.join("\n",
                "while [ $# -gt 1 ]; do [ \"$1\" = --target ] && p=$2; shift; done",
                "best=/",
                "while read -r t rest; do case $p in \"$t\"|\"$t\"/*) [ ${#t} -gt ${#best} ] && best=$t ;; esac;"
                        + " done < \"$FAKE/table\"",
                "grep \"^$best \" \"$FAKE/table\""));
        // mount -t nfs -o OPTIONS SOURCE TARGET; slow, so that racing mounts would overlap. mount --bind FROM TO
        // shows the top mount at FROM at TO too, as findmnt prints a bind of a mount's root.
        program("mount", String.join("\n",
                "if [ \"$1\" = --bind ]; then",
                "  [ -e \"$FAKE/bind-fails\" ] && { echo \"mount: $3: permission denied.\" >&2; exit 32; }",
                "  line=$(grep \"^$2 \" \"$FAKE/table\" | tail -n 1)",
                "  [ -n \"$line\" ] || { echo \"mount: $2: not a mount point\" >&2; exit 32; }",
                "  echo \"$3 ${line#* }\" >> \"$FAKE/table\"; echo \"$*\" >> \"$FAKE/mount.log\"; exit 0",
                "fi",
                "[ -e \"$FAKE/mount-fails\" ] && { echo \"mount.nfs: access denied by server while mounting $5\" >&2;"
                        + " exit 32; }",
                "sleep 0.3",
                "if [ -e \"$FAKE/mount-daemon\" ]; then sleep 300 < /dev/null > /dev/null 2>&1 &"
                        + " echo $! > \"$FAKE/daemon.pid\"; fi",
                "echo \"$6 $5 nfs4 $4,relatime\" >> \"$FAKE/table\"",
                "echo \"$*\" >> \"$FAKE/mount.log\""));
        program("umount", String.join("\n",
                "[ -e \"$FAKE/umount-busy-${1##*/}\" ] && { echo \"umount: $1: target is busy.\" >&2; exit 32; }",
                "[ -e \"$FAKE/umount-busy\" ] && { echo \"umount: $1: target is busy.\" >&2; exit 32; }",
                "n=$(grep -n \"^$1 \" \"$FAKE/table\" | tail -n 1 | cut -d: -f1)",
                "[ -n \"$n\" ] || { echo \"umount: $1: not mounted.\" >&2; exit 32; }",
                "sed -i \"${n}d\" \"$FAKE/table\"",
                "echo \"$*\" >> \"$FAKE/umount.log\""));
        // the builder's /install and /xcatinstall are not ours to make here: every other folder is
        program("mkdir", "case \"$*\" in '-p /install'|'-p /xcatinstall') exit 0 ;; esac\nPATH='" + path
                + "' exec mkdir \"$@\"");
    }

    @AfterEach
    void stopDaemons() {
        daemons.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    }

    private void program(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private MountInstall step() {
        return MountInstall.of(Mount.nfs(), "xcatmn").withLeaseDir(dir);
    }

    /** The probe files of an attempt of {@code runId}: one file in the test's folder (the lease script writes it). */
    private MountInstall.Probe probe(String runId) {
        String path = tmp.resolve("probe-" + probes.incrementAndGet()).toString();
        return new MountInstall.Probe(runId + "-t", List.of(path), List.of(path));
    }

    private Unmount unmount() {
        return Unmount.of(Mount.nfs(), "xcatmn").withLeaseDir(dir);
    }

    private ShellContext context() {
        return new ShellContext(bin + ":" + System.getenv("PATH"), tmp);
    }

    private List<String> table() throws IOException {
        return Files.readAllLines(table);
    }

    private long lines(Path log) throws IOException {
        return Files.readAllLines(log).size();
    }

    private List<String> users() throws IOException {
        Path users = Path.of(dir, "users");
        try (var s = Files.list(users)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private boolean marker() {
        return Files.exists(Path.of(dir, "mounted"));
    }

    @Test
    void twoRunsShareOneMountAndOnlyTheLastReleaseUnmountsIt() throws Exception {
        ShellContext a = context();
        ShellContext b = context();

        step().acquire(a, "r1", probe("r1"));
        step().acquire(b, "r2", probe("r2"));

        assertEquals(Optional.of("mounted"), a.get(BuildKeys.MOUNT_STATE));
        assertEquals(Optional.of("shared"), b.get(BuildKeys.MOUNT_STATE));
        assertEquals(List.of("mounted xcatmn:/install at /install; shared with the other crossgen runs on the"
                + " builder, and unmounted by the last one"), a.notes);
        assertEquals(List.of("/install is crossgen's mount of xcatmn:/install (nfs4), made for another run on the"
                + " builder: shared, and unmounted by the last run using it"), b.notes);
        assertEquals(1, lines(mounts), "one mount for two runs");
        assertEquals(List.of(ROOT_LINE, OURS), table());
        assertEquals(List.of("r1", "r2"), users());
        assertEquals("xcatmn:/install\n", Files.readString(Path.of(dir, "mounted")));

        a.runCleanups();
        assertEquals(List.of(ROOT_LINE, OURS), table(), "r2 still writes through the mount");
        assertEquals("/install on the builder is in use by 1 other crossgen run: left mounted for the last of them",
                a.notes.get(a.notes.size() - 1));
        assertEquals(0, lines(umounts));

        b.runCleanups();
        assertEquals(List.of(ROOT_LINE), table());
        assertEquals("unmounted /install on the builder (no other crossgen run used it)", b.notes.get(b.notes.size() - 1));
        assertEquals(1, lines(umounts));
        assertEquals(List.of(), users());
        assertFalse(marker());
        assertEquals(List.of(), a.warnings);
        assertEquals(List.of(), b.warnings);
    }

    @Test
    void theLeaseScriptWritesTheProbeOnceTheRunHoldsTheLeaseAndLetsTheLockGoFirst() throws Exception {
        ShellContext a = context();
        String path = tmp.resolve("install-probe").toString();
        MountInstall.Probe probe = new MountInstall.Probe("r1-0a1b2c3d", List.of(path), List.of(path));

        ExecResult r = step().acquire(a, "r1", probe);

        assertEquals("r1-0a1b2c3d\n", Files.readString(Path.of(path)));
        assertTrue(r.stdout().text().endsWith("action=mounted\nprobe=written\n"), r.stdout().text());
        assertEquals(List.of("r1"), users());
        // the lock is free while the run holds the lease: another run's script gets it at once
        Process flock = new ProcessBuilder("flock", "-n", dir + "/lock", "true").start();
        assertEquals(0, flock.waitFor());
        a.runCleanups();
        assertEquals(List.of(ROOT_LINE), table());
    }

    @Test
    void aProbeThatCannotBeWrittenSaysWhereAndTheLeaseIsStillTheRunsToGiveBack() throws Exception {
        ShellContext a = context();
        String first = tmp.resolve("install-probe").toString();
        String absent = tmp.resolve("absent/probe.site").toString();
        MountInstall.Probe probe = new MountInstall.Probe("r1-0a1b2c3d", List.of(first, absent),
                List.of(first, absent));

        ExecResult r = step().acquire(a, "r1", probe);

        assertTrue(r.isSuccess(), r.toString());
        assertTrue(r.stdout().text().endsWith("action=mounted\nprobe=failed\nprobe-path=" + absent + "\n"),
                r.stdout().text());
        assertTrue(String.join("\n", r.stderr().lastLines(3)).contains(absent), r.stderr().text());
        assertTrue(Files.notExists(Path.of(first)), "the probe written before is removed again");
        assertEquals(List.of("r1"), users());
        a.runCleanups();
        assertEquals(List.of(ROOT_LINE), table());
        assertEquals(List.of(), users());
    }

    @Test
    void theAdminsMountIsUsedAndNeverUnmounted() throws Exception {
        Files.writeString(table, ROOT_LINE + "\n/install xcatmn:/install/ nfs4 rw,vers=4.2\n");
        ShellContext a = context();

        step().acquire(a, "r1", probe("r1"));
        assertEquals(Optional.of("reused"), a.get(BuildKeys.MOUNT_STATE));
        assertEquals(List.of("/install is already xcatmn:/install/ (nfs4): reused, and left mounted"), a.notes);
        a.runCleanups();

        assertEquals(0, lines(mounts));
        assertEquals(0, lines(umounts));
        assertEquals(List.of(ROOT_LINE, "/install xcatmn:/install/ nfs4 rw,vers=4.2"), table());
        assertEquals("/install on the builder is xcatmn:/install/, not crossgen's mount: left alone",
                a.notes.get(a.notes.size() - 1));
        assertEquals(List.of(), a.warnings);
        assertEquals(List.of(), users());
    }

    @Test
    void anSshfsMountOfTheMnAsRootIsTheMnsExportToo() throws Exception {
        String sshfs = "/install root@xcatmn:/install fuse.sshfs rw,nosuid,nodev,relatime,user_id=0,group_id=0";
        Files.writeString(table, ROOT_LINE + "\n" + sshfs + "\n");
        ShellContext a = context();

        MountInstall.of(Mount.sshfs(), "xcatmn").withLeaseDir(dir).acquire(a, "r1", probe("r1"));

        assertEquals(Optional.of("reused"), a.get(BuildKeys.MOUNT_STATE));
        a.runCleanups();
        assertEquals(List.of(ROOT_LINE, sshfs), table());
        assertEquals(0, lines(mounts) + lines(umounts));
    }

    @Test
    void anotherServersExportIsRefusedAndTheRunDeregistered() throws Exception {
        Files.writeString(table, ROOT_LINE + "\n/install 10.0.0.9:/export nfs4 rw\n");
        ShellContext a = context();

        BuildException e = assertThrows(BuildException.class, () -> step().acquire(a, "r1", probe("r1")));

        assertEquals("/install on the builder is already a mount of 10.0.0.9:/export (nfs4), not of"
                + " xcatmn:/install; unmount it, or use Mount.none() if it is the MN's /install under another name",
                e.getMessage());
        assertEquals(List.of(), users());
        assertFalse(marker());
        a.runCleanups();
        assertEquals(List.of("run r1 did not use /install on the builder; nothing to unmount"), a.notes);
        assertEquals(List.of(), a.warnings);
        assertEquals(0, lines(mounts) + lines(umounts));
    }

    @Test
    void theMnsExportMountedReadOnlyIsRefusedAndItsUseGivenBack() throws Exception {
        Files.writeString(table, ROOT_LINE + "\n/install xcatmn:/install nfs4 ro,relatime\n");
        ShellContext a = context();

        BuildException e = assertThrows(BuildException.class, () -> step().acquire(a, "r1", probe("r1")));

        assertEquals("/install on the builder is the MN's export but mounted read-only (ro,relatime); remount it"
                + " read-write", e.getMessage());
        assertEquals(List.of("r1"), users(), "registered until the deferred release");
        a.runCleanups();
        assertEquals(List.of(), users());
        assertEquals(0, lines(umounts), "the admin's mount stays");
    }

    @Test
    void aStaleMarkerOfAVanishedMountIsMountedAgain() throws Exception {
        ShellContext a = context();
        step().acquire(a, "r1", probe("r1"));
        Files.writeString(table, ROOT_LINE + "\n");           // someone unmounted it behind crossgen's back

        ShellContext b = context();
        step().acquire(b, "r2", probe("r2"));

        assertEquals(Optional.of("mounted"), b.get(BuildKeys.MOUNT_STATE));
        assertEquals(2, lines(mounts));
        assertEquals(List.of(ROOT_LINE, OURS), table());
        a.runCleanups();
        assertEquals(List.of(ROOT_LINE, OURS), table());
        b.runCleanups();
        assertEquals(List.of(ROOT_LINE), table());
        assertFalse(marker());
    }

    @Test
    void aLastReleaseAfterTheMountVanishedWarnsAndDropsTheMarker() throws Exception {
        ShellContext a = context();
        step().acquire(a, "r1", probe("r1"));
        Files.writeString(table, ROOT_LINE + "\n");

        a.runCleanups();

        assertEquals(List.of("/install on the builder is no longer mounted; nothing to unmount"), a.warnings);
        assertEquals(0, lines(umounts));
        assertFalse(marker());
    }

    @Test
    void anotherMountOnTopOfCrossgensIsLeftAloneWithAWarning() throws Exception {
        ShellContext a = context();
        step().acquire(a, "r1", probe("r1"));
        Files.writeString(table, ROOT_LINE + "\n" + OURS + "\n/install 10.0.0.9:/export nfs4 rw\n");

        a.runCleanups();

        assertEquals(List.of("/install on the builder is now a mount of 10.0.0.9:/export, not the one crossgen made;"
                + " left alone"), a.warnings);
        assertEquals(0, lines(umounts));
        assertTrue(marker(), "crossgen's mount is still below: a later release may unmount it");
    }

    @Test
    void concurrentAcquiresMountOnceAndConcurrentReleasesUnmountOnce() throws Exception {
        int runs = 6;
        List<ShellContext> contexts = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            contexts.add(context());
        }
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> acquired = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                ShellContext c = contexts.get(i);
                String id = "r" + i;
                acquired.add(pool.submit(() -> {
                    go.await();
                    step().acquire(c, id, probe(id));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : acquired) {
                f.get(120, TimeUnit.SECONDS);
            }
            assertEquals(1, lines(mounts), "exactly one mount:\n" + Files.readString(mounts));
            assertEquals(List.of(ROOT_LINE, OURS), table());
            assertEquals(1, contexts.stream().filter(c -> c.get(BuildKeys.MOUNT_STATE).orElseThrow().equals("mounted"))
                    .count());
            assertEquals(runs - 1, contexts.stream()
                    .filter(c -> c.get(BuildKeys.MOUNT_STATE).orElseThrow().equals("shared")).count());
            assertEquals(runs, users().size());

            CountDownLatch end = new CountDownLatch(1);
            List<Future<?>> released = new ArrayList<>();
            for (ShellContext c : contexts) {
                released.add(pool.submit(() -> {
                    end.await();
                    c.runCleanups();
                    return null;
                }));
            }
            end.countDown();
            for (Future<?> f : released) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, lines(umounts), "exactly one unmount");
        assertEquals(List.of(ROOT_LINE), table());
        assertEquals(List.of(), users());
        assertFalse(marker());
        assertTrue(contexts.stream().allMatch(c -> c.warnings.isEmpty()));
    }

    @Test
    void aMountThatStaysBehindAsADaemonDoesNotHoldTheLock() throws Exception {
        Files.writeString(tmp.resolve("mount-daemon"), "");
        ShellContext a = context();

        step().acquire(a, "r1", probe("r1"));
        daemons.add(Long.parseLong(Files.readString(tmp.resolve("daemon.pid")).strip()));

        RealShell.Result free = RealShell.run(Command.of("flock", "-n", dir + "/lock", "true"));
        assertEquals(0, free.exit(), "the lock is still held: " + free.stderr());
        assertTrue(ProcessHandle.of(daemons.get(0)).map(ProcessHandle::isAlive).orElse(false),
                "the stand-in daemon should still run");
    }

    @Test
    void aFailedMountLeavesNoUseAndNoMarkerAndNamesTheMountCommand() throws Exception {
        Files.writeString(tmp.resolve("mount-fails"), "");
        ShellContext a = context();

        ExecException e = assertThrows(ExecException.class, () -> step().acquire(a, "r1", probe("r1")));

        assertEquals("local: `mount -t nfs -o rw xcatmn:/install /install` failed with exit 32; last stderr:\n"
                + "  mount.nfs: access denied by server while mounting xcatmn:/install", e.getMessage());
        assertEquals(List.of("mount", "-t", "nfs", "-o", "rw", "xcatmn:/install", "/install"),
                e.result().command().argv());
        assertEquals(List.of(), users());
        assertFalse(marker());
        a.runCleanups();
        assertEquals(List.of("run r1 did not use /install on the builder; nothing to unmount"), a.notes);
    }

    @Test
    void aBusyUnmountFailsKeepsTheMarkerAndALaterReleaseUnmounts() throws Exception {
        ShellContext a = context();
        step().acquire(a, "r1", probe("r1"));
        Files.writeString(tmp.resolve("umount-busy"), "");

        ExecException e = assertThrows(ExecException.class, () -> unmount().release(a, "r1"));

        assertEquals("local: `umount /install` failed with exit 32; last stderr:\n  umount: /install: target is busy.",
                e.getMessage());
        assertTrue(marker());
        assertEquals(List.of(), users());
        Files.delete(tmp.resolve("umount-busy"));

        // an ordinary Unmount step of another run id: that id held no use, but the orphaned mount is crossgen's
        ShellContext later = context();
        later.put(BuildKeys.RUN_ID, "r9");
        unmount().run(later);

        assertEquals(List.of(ROOT_LINE), table());
        assertEquals(List.of("unmounted /install on the builder: crossgen's mount, which no run used any more"),
                later.notes);
        assertFalse(marker());
    }

    @Test
    void theUnmountStepGivesBackTheUseOfItsOwnRunId() throws Exception {
        ShellContext a = context();
        step().acquire(a, "r1", probe("r1"));
        ShellContext b = context();
        step().acquire(b, "r2", probe("r2"));

        ShellContext standalone = context();
        standalone.put(BuildKeys.RUN_ID, "r2");
        unmount().run(standalone);

        assertEquals(List.of("r1"), users());
        assertEquals(List.of("/install on the builder is in use by 1 other crossgen run: left mounted for the last of"
                + " them"), standalone.notes);
        a.runCleanups();
        assertEquals(List.of(ROOT_LINE), table());
    }

    @Test
    void aMissingFlockFailsClearlyBeforeAnythingChanges() throws Exception {
        ShellContext a = new ShellContext(bin.toString(), tmp);    // the fakes only: no flock

        BuildException e = assertThrows(BuildException.class, () -> step().acquire(a, "r1", probe("r1")));

        assertEquals("flock (util-linux) is missing on the builder; crossgen takes " + dir + "/lock with it to share"
                + " /install between the runs on the builder: install util-linux", e.getMessage());
        assertFalse(Files.exists(Path.of(dir)));
        assertEquals(0, lines(mounts));
    }

    @Test
    void aRunIdThatCannotNameAFileIsRefused() {
        BuildException e = assertThrows(BuildException.class, () -> step().acquire(context(), "../r1", probe("../r1")));
        assertEquals("run id '../r1' cannot name a file of the /install lease; use letters, digits, '.', '_' and"
                + " '-'", e.getMessage());
    }

    @Test
    void mountNoneTakesNoLease() throws Exception {
        ShellContext a = context();
        Unmount.of(Mount.none(), "xcatmn").withLeaseDir(dir).release(a, "r1");
        assertEquals(List.of(), a.commands);
    }

    static final String SITE_OURS = "/xcatinstall xcatmn:/xcatinstall nfs4 rw,relatime";
    static final String SITE_VIEW = "/install xcatmn:/xcatinstall nfs4 rw,relatime";

    /** A context on a site whose site.installdir is /xcatinstall. */
    private ShellContext siteContext() {
        ShellContext c = context();
        c.put(BuildKeys.SITE, new SitePaths("/xcatinstall", "/opt/xcat"));
        return c;
    }

    private boolean bound() {
        return Files.exists(Path.of(dir, "bound"));
    }

    @Test
    void onAnotherInstalldirTwoRunsShareTheMountAndItsViewAndTheLastUnmountsTheViewFirst() throws Exception {
        ShellContext a = siteContext();
        ShellContext b = siteContext();

        step().acquire(a, "r1", probe("r1"));
        step().acquire(b, "r2", probe("r2"));

        assertEquals(List.of(ROOT_LINE, SITE_OURS, SITE_VIEW), table());
        assertEquals(List.of("-t nfs -o rw xcatmn:/xcatinstall /xcatinstall", "--bind /xcatinstall /install"),
                Files.readAllLines(mounts));
        assertEquals("xcatmn:/xcatinstall\n", Files.readString(Path.of(dir, "mounted")));
        assertEquals("/xcatinstall\n", Files.readString(Path.of(dir, "bound")));
        assertEquals(List.of("mounted xcatmn:/xcatinstall at /xcatinstall; shared with the other crossgen runs on the"
                + " builder, and unmounted by the last one", "showed /xcatinstall at /install (a bind mount), where the"
                + " builder's genimage script reads it; unmounted before /xcatinstall by the last run using them"),
                a.notes);
        assertEquals(List.of("/xcatinstall is crossgen's mount of xcatmn:/xcatinstall (nfs4), made for another run on"
                + " the builder: shared, and unmounted by the last run using it", "/install is crossgen's bind mount"
                + " of /xcatinstall, made for another run on the builder: shared, and unmounted by the last run using"
                + " it"), b.notes);

        a.runCleanups();
        assertEquals(List.of(ROOT_LINE, SITE_OURS, SITE_VIEW), table(), "r2 still writes through both paths");
        assertEquals("/install and /xcatinstall on the builder are in use by 1 other crossgen run: left mounted for"
                + " the last of them", a.notes.get(a.notes.size() - 1));
        b.runCleanups();

        assertEquals(List.of(ROOT_LINE), table());
        assertEquals(List.of("/install", "/xcatinstall"), Files.readAllLines(umounts), "the bind first");
        assertEquals(List.of("unmounted /install on the builder (crossgen's bind mount of /xcatinstall)",
                "unmounted /xcatinstall on the builder (no other crossgen run used it)"),
                b.notes.subList(b.notes.size() - 2, b.notes.size()));
        assertEquals(List.of(), users());
        assertFalse(marker());
        assertFalse(bound());
        assertEquals(List.of(), a.warnings);
        assertEquals(List.of(), b.warnings);
    }

    @Test
    void onAnotherInstalldirAnotherExportAtInstallIsRefusedBeforeAnythingIsMounted() throws Exception {
        Files.writeString(table, ROOT_LINE + "\n" + OURS + "\n");
        ShellContext a = siteContext();

        BuildException e = assertThrows(BuildException.class, () -> step().acquire(a, "r1", probe("r1")));

        assertEquals("/install on the builder is already a mount of xcatmn:/install (nfs4), not of"
                + " xcatmn:/xcatinstall; unmount it, or use Mount.none() if it is the MN's /xcatinstall under another"
                + " name", e.getMessage());
        assertEquals(0, lines(mounts));
        assertEquals(List.of(), users());
        assertFalse(marker());
        assertFalse(bound());
        a.runCleanups();
        assertEquals(List.of("run r1 did not use /install and /xcatinstall on the builder; nothing to unmount"),
                a.notes);
        assertEquals(List.of(ROOT_LINE, OURS), table());
        assertEquals(0, lines(umounts));
    }

    @Test
    void aFailedBindUndoesTheMountItMadeAndNamesTheBind() throws Exception {
        Files.writeString(tmp.resolve("bind-fails"), "");
        ShellContext a = siteContext();

        ExecException e = assertThrows(ExecException.class, () -> step().acquire(a, "r1", probe("r1")));

        assertEquals("local: `mount --bind /xcatinstall /install` failed with exit 32; last stderr:\n"
                + "  mount: /install: permission denied.", e.getMessage());
        assertEquals(List.of(ROOT_LINE), table());
        assertEquals(List.of("/xcatinstall"), Files.readAllLines(umounts));
        assertEquals(List.of(), users());
        assertFalse(marker());
        assertFalse(bound());
        a.runCleanups();
        assertEquals(List.of(ROOT_LINE), table());
    }

    @Test
    void aBusyViewKeepsBothMountsAndTheirMarkersAndALaterReleaseUnmountsBothInOrder() throws Exception {
        ShellContext a = siteContext();
        step().acquire(a, "r1", probe("r1"));
        Files.writeString(tmp.resolve("umount-busy-install"), "");

        ExecException e = assertThrows(ExecException.class, () -> unmount().release(a, "r1"));

        assertEquals("local: `umount /install` failed with exit 32; last stderr:\n  umount: /install: target is"
                + " busy.", e.getMessage());
        assertEquals(List.of(ROOT_LINE, SITE_OURS, SITE_VIEW), table(), "/xcatinstall is not unmounted under its view");
        assertTrue(marker());
        assertTrue(bound());
        Files.delete(tmp.resolve("umount-busy-install"));

        // `crossgen unlock` releases with the Unmount step of the site, as a later run's release does
        ShellContext later = siteContext();
        later.put(BuildKeys.RUN_ID, "r9");
        unmount().run(later);

        assertEquals(List.of(ROOT_LINE), table());
        assertEquals(List.of("/install", "/xcatinstall"), Files.readAllLines(umounts));
        assertEquals(List.of("unmounted /install on the builder (crossgen's bind mount of /xcatinstall)",
                "unmounted /xcatinstall on the builder: crossgen's mount, which no run used any more"), later.notes);
        assertFalse(marker());
        assertFalse(bound());
    }

    @Test
    void theAdminsViewOfTheInstalldirIsReusedAndLeftWhileCrossgensMountIsUnmounted() throws Exception {
        Files.writeString(table, ROOT_LINE + "\n/install xcatmn:/xcatinstall/ nfs4 rw\n");
        ShellContext a = siteContext();

        step().acquire(a, "r1", probe("r1"));

        assertEquals("/install is already xcatmn:/xcatinstall/ (nfs4): reused, and left mounted",
                a.notes.get(a.notes.size() - 1));
        assertFalse(bound());
        a.runCleanups();
        assertEquals(List.of(ROOT_LINE, "/install xcatmn:/xcatinstall/ nfs4 rw"), table());
        assertEquals(List.of("/xcatinstall"), Files.readAllLines(umounts));
        assertTrue(a.notes.contains("/install on the builder is xcatmn:/xcatinstall/, not crossgen's bind mount: left"
                + " alone"), a.notes::toString);
    }

    @Test
    void aStaleRunsEntryIsReclaimedAndBothPathsUnmounted() throws Exception {
        ShellContext killed = siteContext();
        step().acquire(killed, "r1", probe("r1"));
        // the JVM of r1 is killed (kill -9): no cleanup runs; its entry names a controller that is gone
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(Path.of(dir, "users", "r1"), new RunOwner("r1", RunOwner.thisHost(),
                java.util.OptionalLong.of(gone.pid()), "", java.util.OptionalLong.empty(), "", "", "", "").lines());

        ShellContext next = siteContext();
        next.put(BuildKeys.RUN_ID, "r2");
        unmount().run(next);

        assertEquals(List.of(ROOT_LINE), table());
        assertEquals(List.of("/install", "/xcatinstall"), Files.readAllLines(umounts));
        assertEquals(List.of("reclaimed the /install lease entry of stale crossgen run r1 on the builder (controller"
                + " and genimage gone)"), next.warnings);
        assertEquals(List.of(), users());
        assertFalse(bound());
    }

    /** A builder that is this machine: commands run by a real {@code sh} with the fakes first on the PATH. */
    static final class ShellContext implements StepContext {
        private final String path;
        private final Path fake;
        private final Map<Key<?>, Object> values = new HashMap<>();
        private final List<Cleanup> cleanups = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<Command> commands = new ArrayList<>();

        ShellContext(String path, Path fake) {
            this.path = path;
            this.fake = fake;
        }

        /** Runs the deferred cleanups, last deferred first, and forgets them. */
        void runCleanups() throws InterruptedException {
            for (int i = cleanups.size() - 1; i >= 0; i--) {
                cleanups.get(i).run(this);
            }
            cleanups.clear();
        }

        @Override
        public String step() {
            return "test";
        }

        @Override
        public String runId() {
            return "test-run";
        }

        @Override
        public Host host(Role role) {
            return Host.local();
        }

        @Override
        public Connection connection(Role role) {
            throw new UnsupportedOperationException("commands run through exec");
        }

        @Override
        public ExecResult exec(Role role, Command command) throws InterruptedException {
            commands.add(command);
            try {
                RealShell.Result r = RealShell.run(command.withEnv("PATH", path).withEnv("FAKE", fake.toString()));
                return new ExecResult(Host.local(), command, Exit.exited(r.exit()), Duration.ZERO,
                        Output.of(r.stdout()), Output.of(r.stderr()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public ExecResult exec(Role role, Command command, Duration timeout) throws InterruptedException {
            return exec(role, command);
        }

        @Override
        public <T> void put(Key<T> key, T value) {
            values.put(key, value);
        }

        @Override
        public <T> Optional<T> get(Key<T> key) {
            return Optional.ofNullable(values.get(key)).map(key.type()::cast);
        }

        @Override
        public <T> T require(Key<T> key) {
            return get(key).orElseThrow();
        }

        @Override
        public void defer(String description, Cleanup cleanup) {
            cleanups.add(cleanup);
        }

        @Override
        public void warn(String message) {
            warnings.add(message);
        }

        @Override
        public void note(String text) {
            notes.add(text);
        }

        @Override
        public PipelineListener listener() {
            return Listeners.none();
        }

        @Override
        public boolean planning() {
            return false;
        }

        @Override
        public Instant deadline() {
            return Instant.now().plus(Duration.ofHours(1));
        }
    }
}
