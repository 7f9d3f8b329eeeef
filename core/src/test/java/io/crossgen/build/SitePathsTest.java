package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.ScriptedTransport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A site whose {@code site.installdir} is {@code /xcatinstall} and whose XCATROOT is {@code /usr/local/xcat}. */
class SitePathsTest {
    private static final String OWN_DIR = "/xcatinstall/netboot/rhels6.3/x86_64/mycomputeimage";

    @Test
    void theInstalldirIsTheValueOfLsdefsCompressedLineAndUnsetMeansNone() {
        assertEquals(Optional.of("/xcatinstall"), SitePaths.parse("clustersite: installdir=/xcatinstall\n"));
        assertEquals(Optional.empty(), SitePaths.parse("clustersite: installdir=\n"));
        assertEquals(Optional.empty(), SitePaths.parse(""));
    }

    @Test
    void aRelativeInstalldirIsRefusedNamingTheAttribute() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SitePaths("xcatinstall", "/opt/xcat"));
        assertEquals("site.installdir 'xcatinstall' must be an absolute path below /", e.getMessage());
    }

    @Test
    void aPlanUsesTheGivenInstalldirAndRunsNothing() throws Exception {
        ScriptedTransport hosts = new ScriptedTransport().strict();
        String plan = Seed.build(hosts).definition(Seed.source()).installdir("/xcatinstall").mount(Mount.none())
                .build().plan().toScript();

        assertTrue(plan.contains("\n# planned with site.installdir /xcatinstall (given; a run reads the MN's)\n"
                + "on_mn lsdef -t osimage -z " + Seed.SOURCE + "\n# osimage mycomputeimage gets its own"
                + " rootimgdir " + OWN_DIR + "\n"), plan);
        assertTrue(plan.contains(" crossgen-lock /xcatinstall/.crossgen-locks/"), plan);
        assertEquals(0, hosts.commands().size(), "a plan runs nothing");
    }

    private static ScriptedTransport site() {
        return site(new ScriptedTransport());
    }

    private static ScriptedTransport site(ScriptedTransport h) {
        h.on("xcatmn", SitePaths.READ.argv().toArray(String[]::new))
                .reply(0, "clustersite: installdir=/xcatinstall\n");
        h.on("xcatmn", "genimage", "--dryrun", Seed.TARGET).reply(0, Seed.dryRun()
                .replace("cd /opt/xcat/", "cd /usr/local/xcat/").replace(Seed.OWN_DIR, OWN_DIR));
        h.on("xcatmn", CommandMatcher.line("^cat /xcatinstall/.crossgen-probe-r1")).reply(0, "r1\n");
        h.on("xcatmn", CommandMatcher.line("crossgen-manifest")).reply(0,
                "E\t/usr/local/xcat/share/xcat/netboot\td\t4096\t1.0\t755\t\n"
                + "E\t/usr/local/xcat/share/xcat/netboot/rh\td\t4096\t1.0\t755\t\n"
                + "E\t/usr/local/xcat/share/xcat/netboot/rh/genimage\tf\t9000\t1.0\t755\t\n"
                + "E\t/usr/local/xcat/lib/perl\td\t4096\t1.0\t755\t\n");
        SeedRunTest.addRules(h);
        return h;
    }

    @Test
    void aMountedBuildOnSuchASiteIsRefusedBeforeAnythingRunsOnTheBuilder() {
        ScriptedTransport h = site();
        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        RunReport.Failure failure = report.failure().orElseThrow(() -> new AssertionError(report.summary()));
        assertEquals(Preflight.NAME, failure.step());
        assertEquals("step 'preflight' failed: site.installdir on the MN is /xcatinstall, but the builder's"
                + " genimage script reads /install whatever the site says, and crossgen mounts only at /install:"
                + " share the MN's /xcatinstall on the builder at both /xcatinstall and /install, and build with"
                + " Mount.none() (--mount none)", failure.message());
        assertEquals(List.of(), h.commands("node01"));
        String stanza = new String(h.recorded("xcatmn").stream()
                .filter(r -> r.command().argv().contains("crossgen-write")).findFirst().orElseThrow().stdin(),
                StandardCharsets.UTF_8);
        assertTrue(stanza.contains("    rootimgdir=" + OWN_DIR + "\n"), stanza);
        h.assertRanInOrder("xcatmn",
                CommandMatcher.argv(SitePaths.READ.argv().toArray(String[]::new)),
                CommandMatcher.line("crossgen-lock /xcatinstall/.crossgen-locks/"),
                CommandMatcher.line("crossgen-unlock /xcatinstall/.crossgen-locks/"));
    }

    @Test
    void aSharedBuildOnSuchASiteProbesBothFoldersCopiesXcatrootAndPacksUnderTheInstalldir() {
        ScriptedTransport h = new ScriptedTransport();
        // the admin shares the MN's /xcatinstall at /install (and /xcatinstall) on the builder
        h.on("node01", CommandMatcher.line("crossgen-preflight")).reply(0, SeedRunTest.FACTS
                .replace("install.exists=no", "install.exists=yes"));
        RunReport report = SeedRunTest.seed(Seed.build(site(h)).mount(Mount.none()).build()).run(Listeners.none());

        assertTrue(report.succeeded(), report::summary);
        h.assertRanInOrder("node01",
                CommandMatcher.line("crossgen-probe r1 /install/.crossgen-probe-r1$"),
                CommandMatcher.argv("rm", "-f", "/install/.crossgen-probe-r1"),
                CommandMatcher.line("crossgen-probe r1 /xcatinstall/.crossgen-probe-r1$"),
                CommandMatcher.argv("rm", "-f", "/xcatinstall/.crossgen-probe-r1"),
                CommandMatcher.line("crossgen-start /var/tmp/crossgen/r1 /usr/local/xcat/share/xcat/netboot/rh"
                        + " ./genimage"));
        h.assertRanInOrder("xcatmn",
                CommandMatcher.line("crossgen-manifest .*/usr/local/xcat/share/xcat/netboot /usr/local/xcat/lib/perl"),
                CommandMatcher.argv("cat", "/xcatinstall/.crossgen-probe-r1"),
                CommandMatcher.argv("cat", "/xcatinstall/.crossgen-probe-r1"),
                CommandMatcher.line("crossgen-stage " + OWN_DIR),
                CommandMatcher.program("packimage"));
        assertTrue(h.commands("node01").stream().map(Command::argv).noneMatch(a -> a.contains("/opt/xcat/lib/perl")),
                h.commands("node01")::toString);
    }
}
