package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.Mount;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunHandle;
import io.crossgen.pipeline.RunReport;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site whose {@code site.installdir} is {@code /xcatinstall}, on the testbed: the MN's stand-in db says so for
 * each test (and {@code /install} again after it); the MN shows its install folder at both paths, as the
 * testbed's hosts do.
 */
@Tag("e2e")
class SitePathsTest {
    private static final String SITE = "/opt/xcat/standin/db/site";
    private static final String OWN_DIR = "/xcatinstall/netboot/rhels8.8.0/" + Testbed.ARCH + "/";
    private static Testbed testbed;
    private String site;

    @BeforeAll
    static void up() throws Exception {
        testbed = Testbed.up();
    }

    @BeforeEach
    void xcatinstall() throws Exception {
        Path file = testbed.mnFile(SITE);
        site = Files.readString(file);
        assertTrue(site.contains("\ninstalldir=/install\n"), site);
        Files.writeString(file, site.replace("\ninstalldir=/install\n", "\ninstalldir=/xcatinstall\n"));
    }

    @AfterEach
    void install() throws Exception {
        Files.writeString(testbed.mnFile(SITE), site);
    }

    @Test
    void aBuildMountedWithNfsShowsTheInstalldirAtInstallPacksUnderItAndLeavesNothingMounted() throws Exception {
        StringWriter progress = new StringWriter();
        RunReport report = testbed.build("compute", "e2esitenfs").run(Listeners.console(progress));

        assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
        assertTrue(progress.toString().contains("mounted xcatmn:/xcatinstall at /xcatinstall; shared with the other"
                + " crossgen runs on the builder, and unmounted by the last one"), progress::toString);
        assertTrue(progress.toString().contains("showed /xcatinstall at /install (a bind mount), where the builder's"
                + " genimage script reads it"), progress::toString);
        assertTrue(progress.toString().contains("unmounted /install on the builder (crossgen's bind mount of"
                + " /xcatinstall)"), progress::toString);
        assertTrue(testbed.ssh("xcatmn", "lsdef -t osimage -z e2esitenfs").contains("    rootimgdir=" + OWN_DIR
                + "e2esitenfs"));
        // the MN's installdir is its install folder (shown at /install and /xcatinstall there)
        String image = OWN_DIR.replace("/xcatinstall/", "/install/") + "e2esitenfs";
        assertTrue(Files.size(testbed.mnFile(image + "/rootimg.cpio.gz")) > 0);
        // genimage copied the MN's postscripts from the hard-coded /install: the view was the MN's installdir
        assertEquals("#!/bin/sh\n# xcatdsklspost of the MN (testbed)\n",
                Files.readString(testbed.mnFile(image + "/rootimg/opt/xcat/xcatdsklspost")));
        assertNothingMountedOnTheBuilder();
        forget("e2esitenfs");
    }

    @Test
    void aFailedBuildOnSuchASiteLeavesNothingMounted() throws Exception {
        StringWriter progress = new StringWriter();
        RunReport report = testbed.build("broken", "e2esitefail").run(Listeners.console(progress));

        RunReport.Failure failure = report.failure().orElseThrow(() -> new AssertionError(progress.toString()));
        assertEquals("generate", failure.step(), failure.message());
        assertTrue(progress.toString().contains("showed /xcatinstall at /install"), progress::toString);
        assertNothingMountedOnTheBuilder();
        forget("e2esitefail");
    }

    @Test
    void aCancelledBuildOnSuchASiteLeavesNothingMounted() throws Exception {
        StringWriter progress = new StringWriter();
        RunHandle handle = testbed.build("slow", "e2esitecancel").start(Listeners.console(progress));
        try {
            awaitGenimageWithTheView();
        } finally {
            handle.cancel();
        }
        RunReport report = handle.await(Duration.ofMinutes(2)).orElseThrow(() -> new AssertionError("no report"));

        assertFalse(report.succeeded(), report::summary);
        assertNothingMountedOnTheBuilder();
        forget("e2esitecancel");
    }

    @Test
    void aRunKilledWithItsGenimageOnSuchASiteIsUnmountedByUnlock(@TempDir Path journal) throws Exception {
        String target = "e2esitekill";
        Process p = new ProcessBuilder(cli(journal, "run", "--source", Testbed.sourceImage("slow"), "--as", target))
                .redirectErrorStream(true).redirectOutput(journal.resolve("run.out").toFile()).start();
        try {
            awaitGenimageWithTheView();
        } finally {
            p.destroyForcibly();   // kill -9 of the controller: no cleanup runs
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String runId = Files.readAllLines(journal.resolve("run.out")).get(0).split(" ")[1];
        String pid = testbed.ssh("builder", "cat /var/tmp/crossgen/" + runId + "/pid").get(0);
        testbed.ssh("builder", "kill -KILL -- -" + pid);
        InterruptedRunTest.await(() -> testbed.ssh("builder", "kill -0 " + pid + " 2>/dev/null && echo alive;"
                + " true").isEmpty() || testbed.ssh("builder", "grep -q '^State:.*Z' /proc/" + pid + "/status && echo"
                + " zombie; true").contains("zombie"), "genimage killed");

        Process u = new ProcessBuilder(cli(journal, "unlock", target)).redirectErrorStream(true).start();
        String out = new String(u.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(u.waitFor(2, TimeUnit.MINUTES), "unlock did not end");

        assertEquals(0, u.exitValue(), out);
        assertTrue(out.contains("  removed run " + runId + "'s /install lease entry on the builder"), out);
        assertTrue(out.contains("  removed the lock /xcatinstall/.crossgen-locks/"), out);
        assertNothingMountedOnTheBuilder();
        forget(target);
    }

    /** The argv of the CLI with the testbed's hosts and a journal folder. */
    private static List<String> cli(Path journal, String... args) {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "io.crossgen.examples.Main"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--journal", journal.toString(), "--mn", testbed.mn().toString(), "--builder",
                testbed.builder().toString(), "--known-hosts", testbed.get("TESTBED_KNOWN_HOSTS"), "--identity",
                testbed.get("TESTBED_KEY")));
        return argv;
    }

    @Test
    void aBuildOnSharedStoragePacksUnderTheInstalldirAndLeavesNothing() throws Exception {
        String mnInstall = testbed.get("TESTBED_MN_FS") + "/install";
        // The admin's shared storage: the MN's installdir at /install and /xcatinstall on the builder.
        testbed.ssh("builder", "mount --bind " + mnInstall + " /install && mount --bind " + mnInstall
                + " /xcatinstall");
        StringWriter progress = new StringWriter();
        RunReport report;
        List<String> seen;
        try {
            report = testbed.buildFrom(Testbed.sourceImage("compute"), "e2esite").mount(Mount.none()).build()
                    .run(Listeners.console(progress));
            seen = testbed.ssh("builder", "ls " + OWN_DIR + "e2esite");
        } finally {
            testbed.ssh("builder", "umount /xcatinstall; umount /install");
        }

        assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
        assertTrue(progress.toString().contains("site.installdir is /xcatinstall: images, postscripts and locks are"
                + " under it"), progress::toString);
        assertTrue(testbed.ssh("xcatmn", "lsdef -t osimage -z e2esite").contains("    rootimgdir=" + OWN_DIR
                + "e2esite"));
        assertEquals(List.of("yes"), testbed.ssh("xcatmn", "test -s " + OWN_DIR + "e2esite/rootimg.cpio.gz"
                + " && test -f " + OWN_DIR + "e2esite/rootimg/etc/crossgen-standin && echo yes"));
        assertTrue(seen.contains("rootimg.cpio.gz"), seen::toString);
        assertTrue(testbed.ssh("xcatmn", "ls -A /xcatinstall/.crossgen-locks 2>/dev/null || true").isEmpty());
        assertEquals(List.of(), testbed.ssh("xcatmn", "ls -A /xcatinstall | grep crossgen-probe || true"));
        List<String> binds = testbed.ssh("builder", "findmnt -rn -o TARGET,SOURCE | grep -F " + mnInstall
                + " || true");
        assertEquals(List.of(), binds);
        assertNothingMountedOnTheBuilder();
    }

    /**
     * On the builder (its own mount namespace), /install and /xcatinstall are the testbed's own bind mounts again
     * (one line each in findmnt, neither sshfs nor NFS), and the lease keeps no entry or marker.
     */
    static void assertNothingMountedOnTheBuilder() throws Exception {
        List<String> mounts = testbed.ssh("builder", "findmnt -rn -o TARGET,FSTYPE");
        for (String target : List.of("/install", "/xcatinstall")) {
            List<String> at = mounts.stream().filter(l -> l.startsWith(target + " ")).toList();
            assertEquals(1, at.size(), "mounted at " + target + ": " + at);
            assertFalse(at.get(0).contains("sshfs") || at.get(0).contains(" nfs"), "still mounted: " + at);
        }
        assertEquals(List.of(), testbed.ssh("builder", "ls -A /run/crossgen/install/users 2>/dev/null;"
                + " cat /run/crossgen/install/mounted /run/crossgen/install/bound 2>/dev/null; true"));
        assertTrue(testbed.ssh("xcatmn", "ls -A /xcatinstall/.crossgen-locks 2>/dev/null || true").isEmpty());
        EndToEndTest.assertNothingLeftOnTheBuilder(testbed);
    }

    private static void forget(String image) throws Exception {
        testbed.ssh("xcatmn", "rm -rf -- /opt/xcat/standin/db/osimage/" + image + " " + OWN_DIR + image);
    }

    /** Waits until the run's genimage is recorded in its lock, and checks that /install is the MN's installdir. */
    private static void awaitGenimageWithTheView() throws Exception {
        InterruptedRunTest.await(() -> testbed.ssh("xcatmn", "cat /xcatinstall/.crossgen-locks/*/owner 2>/dev/null;"
                + " true").stream().anyMatch(l -> l.startsWith("genimage-pid=")), "genimage recorded in the lock");
        assertEquals(List.of("/install root@xcatmn:/xcatinstall fuse.sshfs"), testbed.ssh("builder",
                "findmnt -rn -o TARGET,SOURCE,FSTYPE --target /install | tail -n 1"),
                "the view is the MN's installdir while genimage runs");
    }
}
