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
        assertEquals(Optional.of("/xcatinstall"), SitePaths.parse("clustersite: installdir=/xcatinstall\n",
                "installdir"));
        assertEquals(Optional.empty(), SitePaths.parse("clustersite: installdir=\n", "installdir"));
        assertEquals(Optional.empty(), SitePaths.parse("", "installdir"));
        assertEquals(Optional.of("Europe/Berlin"), SitePaths.parse("clustersite: installdir=/install\n"
                + "clustersite: timezone=Europe/Berlin\n", "timezone"));
    }

    @Test
    void theTimezoneGenimageAddsIsTheSitesUnlessPerlCallsItFalse() {
        assertEquals(Optional.of("UTC"), new SitePaths("/install", "/opt/xcat", "UTC").genimageTimezone());
        assertEquals(Optional.empty(), new SitePaths("/install", "/opt/xcat", "0").genimageTimezone());
        assertEquals(Optional.empty(), new SitePaths("/install", "/opt/xcat", "").genimageTimezone());
        assertEquals("", new SitePaths("/install", "/opt/xcat", null).timezone(), "a report of an older crossgen");
    }

    private static final String SLES_STANZA = "# <xCAT data object stanza file>\n\n" + Seed.SOURCE + ":\n"
            + "    objtype=osimage\n"
            + "    imagetype=linux\n"
            + "    osarch=x86_64\n"
            + "    osvers=sles12.5\n"
            + "    pkglist=/opt/xcat/share/xcat/netboot/sles/compute.sles12.x86_64.pkglist\n"
            + "    profile=compute\n"
            + "    provmethod=netboot\n";
    private static final String SLES_DRY_RUN = "Generating image: \ncd /opt/xcat/share/xcat/netboot/sles; ./genimage"
            + " -a x86_64 -o sles12.5 -p compute --pkglist"
            + " /opt/xcat/share/xcat/netboot/sles/compute.sles12.x86_64.pkglist --rootimgdir"
            + " /install/netboot/sles12.5/x86_64/mycomputeimage --timezone Europe/Berlin mycomputeimage\n";

    /** The dry-run step's warnings of a sles copy on an MN whose site table prints {@code site}. */
    private static List<String> slesDryRunWarnings(String site) {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", SitePaths.READ.argv().toArray(String[]::new)).reply(0, site);
        h.on("xcatmn", "lsdef", "-t", "osimage", "-z", Seed.SOURCE + "," + Seed.TARGET)
                .reply(SeedRunTest.onlySource(SLES_STANZA, Seed.TARGET));
        h.on("xcatmn", "genimage", "--dryrun", Seed.TARGET).reply(0, SLES_DRY_RUN);
        // the source has no rootimgdir: genimage.pm prints none for it
        h.on("xcatmn", "genimage", "--dryrun", Seed.SOURCE).reply(0, SLES_DRY_RUN.replace(" --rootimgdir"
                + " /install/netboot/sles12.5/x86_64/mycomputeimage", "").replace(" mycomputeimage\n", " "
                + Seed.SOURCE + "\n"));
        SeedRunTest.addRules(h);
        RunReport report = SeedRunTest.seed(h).run(Listeners.none());
        return report.steps().stream().filter(s -> s.name().equals(DryRunGenimage.NAME)).findFirst()
                .orElseThrow(() -> new AssertionError(report.summary())).warnings();
    }

    @Test
    void aSlesImagesTimezoneIsPredictedFromTheSiteTableReadWithTheInstalldir() {
        assertEquals(List.of(), slesDryRunWarnings("clustersite: installdir=/install\n"
                + "clustersite: timezone=Europe/Berlin\n"));
        assertEquals(List.of("genimage --dryrun printed another command than the definition predicts: 1 difference"
                + " between predicted and printed genimage:\n  --timezone: (unset) (predicted) vs Europe/Berlin"
                + " (printed)"), slesDryRunWarnings("clustersite: installdir=/install\n"
                + "clustersite: timezone=\n"));
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
        String plan = Seed.planned(hosts).mount(Mount.none())
                .step(CopyDefinition.of(Seed.SOURCE, Seed.TARGET).withInstalldir("/xcatinstall"))
                .build().plan().toScript();

        assertTrue(plan.contains("\non_mn sh -c \"$crossgen_together\" crossgen-together 8 lsdef -t site -o clustersite"
                + " -i installdir,timezone -c 5 lsdef -t osimage -z " + Seed.SOURCE + "," + Seed.TARGET
                + " 3 genimage --dryrun " + Seed.SOURCE + "\n# planned with site.installdir /xcatinstall (given; a run reads the MN's)\n"
                + "# osimage mycomputeimage gets its own rootimgdir " + OWN_DIR + "\n"), plan);
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
        h.on("xcatmn", "genimage", "--dryrun", Seed.SOURCE).reply(0, Seed.sourceDryRun()
                .replace("cd /opt/xcat/", "cd /usr/local/xcat/"));
        h.on("xcatmn", CommandMatcher.line("crossgen-probe-read (r1-[0-9a-f]{8}) /xcatinstall/\\.crossgen-probe-\\1"
                + " /xcatinstall/\\.crossgen-probe-\\1\\.site$")).reply(0, "probe.1=seen\nprobe.2=seen\n");
        h.on("xcatmn", CommandMatcher.line("crossgen-manifest")).reply(0,
                "E\t/usr/local/xcat/share/xcat/netboot\td\t4096\t1.0\t755\t\n"
                + "E\t/usr/local/xcat/share/xcat/netboot/rh\td\t4096\t1.0\t755\t\n"
                + "E\t/usr/local/xcat/share/xcat/netboot/rh/genimage\tf\t9000\t1.0\t755\t\n"
                + "E\t/usr/local/xcat/lib/perl\td\t4096\t1.0\t755\t\n");
        SeedRunTest.addRules(h);
        return h;
    }

    @Test
    void aMountedBuildOnASiteBelowInstallIsRefusedBeforeAnythingRunsOnTheBuilder() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", SitePaths.READ.argv().toArray(String[]::new))
                .reply(0, "clustersite: installdir=/install/site\nclustersite: timezone=UTC\n");
        h.on("xcatmn", "genimage", "--dryrun", Seed.TARGET).reply(0, Seed.dryRun()
                .replace(Seed.OWN_DIR, "/install/site/netboot/rhels6.3/x86_64/mycomputeimage"));
        h.on("xcatmn", "genimage", "--dryrun", Seed.SOURCE).reply(0, Seed.sourceDryRun());
        SeedRunTest.addRules(h);
        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        RunReport.Failure failure = report.failure().orElseThrow(() -> new AssertionError(report.summary()));
        assertEquals(Preflight.NAME, failure.step());
        assertEquals("step 'preflight' failed: site.installdir on the MN is /install/site, below /install: crossgen"
                + " would mount it there and then show it at /install on top of its own mount point; share the MN's"
                + " /install/site on the builder at both /install/site and /install yourself and build with"
                + " Mount.none() (--mount none)", failure.message());
        assertEquals(List.of(), h.commands("node01"));
    }

    @Test
    void aMountedBuildOnSuchASiteMountsTheInstalldirAndShowsItAtInstall() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("node01", CommandMatcher.line("crossgen-mount-acquire")).reply(0, "view-top=/ /dev/sda2 ext4 rw\n"
                + "view-found=none\ntop=/ /dev/sda2 ext4 rw\nfound=none\nmarker=no\naction=mounted\n"
                + "view-action=bound\nprobe=written\n");
        h.on("node01", CommandMatcher.line("crossgen-mount-release")).reply(0, "registered=yes\nothers=0\n"
                + "marker=yes\nview-top=/install xcatmn:/xcatinstall nfs4 rw\nview-found=same\n"
                + "top=/xcatinstall xcatmn:/xcatinstall nfs4 rw\nfound=same\nview-action=unmounted\n"
                + "action=unmounted\n");
        site(h);
        List<String> notes = new java.util.ArrayList<>();
        RunReport report = SeedRunTest.seed(h).run(new io.crossgen.pipeline.PipelineListener() {
            @Override
            public void note(String step, String text) {
                notes.add(step + ": " + text);
            }
        });

        assertTrue(report.succeeded(), report::summary);
        Command acquire = h.commands("node01").stream().filter(c -> c.argv().contains("crossgen-mount-acquire"))
                .findFirst().orElseThrow();
        int at = acquire.argv().indexOf("crossgen-mount-acquire");
        assertEquals(List.of("r1", "/xcatinstall", "xcatmn:/xcatinstall"), acquire.argv().subList(at + 2, at + 5));
        String token = acquire.argv().get(at + 8);
        assertTrue(token.matches("r1-[0-9a-f]{8}"), token);
        // both probe files, under /install (the bind) and under /xcatinstall, with two names
        assertEquals(List.of("/install", "umount /xcatinstall", token, "/install/.crossgen-probe-" + token,
                "/xcatinstall/.crossgen-probe-" + token + ".site", "mkdir -p /xcatinstall",
                "mount -t nfs -o rw xcatmn:/xcatinstall /xcatinstall"), acquire.argv().subList(at + 6, at + 13));
        Command release = h.commands("node01").stream().filter(c -> c.argv().contains("crossgen-mount-release"))
                .findFirst().orElseThrow();
        at = release.argv().indexOf("crossgen-mount-release");
        assertEquals(List.of("r1", "/xcatinstall", "xcatmn:/xcatinstall", "umount /xcatinstall", "/install"),
                release.argv().subList(at + 2, at + 7));
        assertTrue(notes.containsAll(List.of("mount-install: mounted xcatmn:/xcatinstall at /xcatinstall; shared with"
                + " the other crossgen runs on the builder, and unmounted by the last one",
                "mount-install: showed /xcatinstall at /install (a bind mount), where the builder's genimage script"
                + " reads it; unmounted before /xcatinstall by the last run using them",
                "mount-install: unmounted /install on the builder (crossgen's bind mount of /xcatinstall)",
                "mount-install: unmounted /xcatinstall on the builder (no other crossgen run used it)")),
                notes::toString);
        h.assertRan("xcatmn", CommandMatcher.argv("sh", "-c", MountInstall.PROBE_READ, "crossgen-probe-read", token,
                "/xcatinstall/.crossgen-probe-" + token, "/xcatinstall/.crossgen-probe-" + token + ".site"));
        h.assertNotRan("node01", CommandMatcher.line("^rm .*crossgen-probe"));
        assertEquals(2, report.step(MountInstall.NAME).orElseThrow().roundTrips());
        String stanza = new String(h.recorded("xcatmn").stream()
                .filter(r -> r.command().argv().contains("crossgen-mkdef")).findFirst().orElseThrow().stdin(),
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
                .replace("install.exists=no", "install.exists=yes") + "installdir.exists=yes\n");
        RunReport report = SeedRunTest.seed(Seed.build(site(h)).mount(Mount.none()).build()).run(Listeners.none());

        assertTrue(report.succeeded(), report::summary);
        // Mount.none(): a probe script of its own writes both files in one round trip, the MN reads both in one
        h.assertRanInOrder("node01",
                CommandMatcher.line("crossgen-probe (r1-[0-9a-f]{8}) /install/\\.crossgen-probe-\\1"
                        + " /xcatinstall/\\.crossgen-probe-\\1\\.site$"),
                CommandMatcher.line("crossgen-start /var/tmp/crossgen/r1 /usr/local/xcat/share/xcat/netboot/rh"
                        + " ./genimage"));
        h.assertNotRan("node01", CommandMatcher.line("^rm .*crossgen-probe"));
        h.assertRanInOrder("xcatmn",
                CommandMatcher.line("crossgen-manifest .*/usr/local/xcat/share/xcat/netboot /usr/local/xcat/lib/perl"),
                CommandMatcher.line("crossgen-probe-read (r1-[0-9a-f]{8}) /xcatinstall/\\.crossgen-probe-\\1"
                        + " /xcatinstall/\\.crossgen-probe-\\1\\.site$"),
                CommandMatcher.line("crossgen-stage " + OWN_DIR),
                CommandMatcher.program("packimage"));
        assertEquals(2, report.step(MountInstall.NAME).orElseThrow().roundTrips());
        assertTrue(h.commands("node01").stream().map(Command::argv).noneMatch(a -> a.contains("/opt/xcat/lib/perl")),
                h.commands("node01")::toString);
    }
}
