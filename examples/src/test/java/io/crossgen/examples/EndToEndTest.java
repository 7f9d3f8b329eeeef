package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.CrossBuild;
import io.crossgen.build.Mount;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manual procedure, automated, against two real OpenSSH hosts and xCAT stand-ins that keep xCAT's traps:
 * the MN (xcatmn) and the builder are both reached over SSH from this JVM, the builder mounts the MN's /install
 * with the seed's literal {@code mount xcatmn:/install /install}.
 */
class EndToEndTest {
    private static Testbed testbed;
    private static final String ARCH = System.getProperty("os.arch").equals("amd64") ? "x86_64"
            : System.getProperty("os.arch");
    private static final String SOURCE = "rhels8.8.0-" + ARCH + "-netboot-compute";

    @BeforeAll
    static void up() throws Exception {
        testbed = Testbed.up();
    }

    @Test
    void seedProcedureBuildsAndPacksTheImageAndLeavesNothingMounted() throws Exception {
        StringWriter progress = new StringWriter();
        CrossBuild build = CrossBuild.from(SOURCE).as("e2eimage")
                .managementNode(testbed.mn().toString(), "xcatmn")
                .builder(testbed.builder().toString())
                .mount(Mount.nfs())
                .replace(true)
                .transports(testbed.transports())
                .build();
        RunReport report = build.run(Listeners.console(progress));

        assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
        String rootimgdir = "/install/netboot/rhels8.8.0/" + ARCH + "/e2eimage";
        Path archive = testbed.mnFile(rootimgdir + "/rootimg.cpio.gz");
        assertTrue(Files.size(archive) > 0, archive + " is empty");
        assertTrue(Files.isRegularFile(testbed.mnFile(rootimgdir + "/rootimg/var/lib/standin/openssh-server")));
        assertTrue(Files.isRegularFile(testbed.mnFile(rootimgdir + "/kernel")));
        // The copy has its own rootimgdir; the source image's is untouched.
        assertTrue(testbed.ssh("xcatmn", "lsdef -t osimage -z e2eimage").contains("    rootimgdir=" + rootimgdir));
        assertTrue(Files.notExists(testbed.mnFile("/install/netboot/rhels8.8.0/" + ARCH + "/compute/rootimg")));
        // Nothing of ours is left mounted on the builder: the top of /install is the host's own folder again.
        List<String> mounts = testbed.ssh("builder", "findmnt -rn -o TARGET,FSTYPE --target /install | tail -n 1");
        assertEquals(List.of("/install ext4"), mounts.stream().map(l -> l.replaceAll(" (ext4|xfs|btrfs|overlay|tmpfs)$",
                " ext4")).toList());
        // The xCAT Perl libraries reached the builder (genimage dies without xCAT/Utils.pm).
        assertTrue(Files.isRegularFile(testbed.builderFile("/opt/xcat/lib/perl/xCAT/Utils.pm")));
        assertTrue(Files.isSymbolicLink(testbed.builderFile("/opt/xcat/share/xcat/netboot/sle")));
    }
}
