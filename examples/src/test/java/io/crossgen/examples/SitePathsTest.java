package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.Mount;
import io.crossgen.build.Preflight;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
    void aMountedBuildIsRefusedInPreflightAndLeavesNothing() throws Exception {
        StringWriter progress = new StringWriter();
        RunReport report = testbed.build("compute", "e2esitenfs").run(Listeners.console(progress));

        RunReport.Failure failure = report.failure().orElseThrow(() -> new AssertionError(progress.toString()));
        assertEquals(Preflight.NAME, failure.step());
        assertEquals("step 'preflight' failed: site.installdir on the MN is /xcatinstall, but the builder's"
                + " genimage script reads /install whatever the site says, and crossgen mounts only at /install:"
                + " share the MN's /xcatinstall on the builder at both /xcatinstall and /install, and build with"
                + " Mount.none() (--mount none)", failure.message());
        assertTrue(testbed.ssh("xcatmn", "lsdef -t osimage -z e2esitenfs").contains("    rootimgdir=" + OWN_DIR
                + "e2esitenfs"));
        assertTrue(testbed.ssh("xcatmn", "ls -A /xcatinstall/.crossgen-locks 2>/dev/null || true").isEmpty());
        EndToEndTest.assertNothingLeftOnTheBuilder(testbed);
        testbed.ssh("xcatmn", "rm -rf /opt/xcat/standin/db/osimage/e2esitenfs");
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
        EndToEndTest.assertNothingLeftOnTheBuilder(testbed);
    }
}
