package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.GenimageCommand;
import io.crossgen.image.OsImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The copy of the definition with as few xCAT client calls as stay safe. */
class CopyDefinitionTest {
    private static final String BOTH = Seed.SOURCE + "," + Seed.TARGET;
    private static final java.util.function.Predicate<io.crossgen.command.Command> XCAT = c -> List.of("lsdef",
            "mkdef", "chdef", "genimage").contains(c.argv().get(0)) || c.argv().contains("crossgen-mkdef");

    private static RunReport copy(ScriptedTransport h) {
        SeedRunTest.addRules(h);
        return SeedRunTest.seed(h).run(Listeners.none());
    }

    private static RunReport.StepReport copyStep(RunReport report) {
        return report.steps().stream().filter(s -> s.name().equals(CopyDefinition.NAME)).findFirst().orElseThrow();
    }

    /** The source's stanza and the target's, sorted by name as lsdef prints several objects. */
    private static String bothDefined(OsImage target) {
        return StanzaCodec.write(List.of(target, Seed.source()));
    }

    @Test
    void oneRoundTripReadsSourceTargetSiteAndTheSourcesDryRunAndOneMoreDefinesTheCopyAndRemovesTheStanza() {
        ScriptedTransport h = new ScriptedTransport();

        RunReport report = copy(h);

        assertTrue(report.succeeded(), report::summary);
        RunReport.StepReport step = copyStep(report);
        assertEquals(List.of(4, 2), List.of(step.xcatCalls(), step.roundTrips()), report::summary);
        List<String> together = new java.util.ArrayList<>(List.of("crossgen-together", "8"));
        together.addAll(SitePaths.READ.argv());
        together.addAll(List.of("5", "lsdef", "-t", "osimage", "-z", BOTH, "3", "genimage", "--dryrun", Seed.SOURCE));
        assertEquals(1, h.commands("xcatmn").stream().filter(c -> c.argv().size() > 3
                && c.argv().subList(3, c.argv().size()).equals(together)).count(), "lsdefs and dry run in one trip");
        assertEquals(List.of(SitePaths.READ.argv(), List.of("lsdef", "-t", "osimage", "-z", BOTH),
                List.of("genimage", "--dryrun", Seed.SOURCE),
                List.of("sh", "-c", CopyDefinition.MKDEF, "crossgen-mkdef", "/var/tmp/crossgen/r1/mycomputeimage.stanza")),
                h.commands("xcatmn").stream().takeWhile(c -> !CommandMatcher.line("crossgen-lock").matches(c))
                        .filter(XCAT).map(c -> c.argv()).toList());
        RunReport.StepReport dryRun = report.steps().stream().filter(s -> s.name().equals(DryRunGenimage.NAME))
                .findFirst().orElseThrow();
        assertEquals(List.of(0, 0), List.of(dryRun.xcatCalls(), dryRun.roundTrips()));
        assertEquals(List.of("not asked again: the line is genimage --dryrun " + Seed.SOURCE + " (asked by"
                + " copy-definition with its lsdefs) with mycomputeimage's name and rootimgdir"), dryRun.notes());
    }

    @Test
    void theSourcesLineGetsTheCopysNameAndRootimgdirInXcatsOrder() {
        OsImage copy = Seed.source().withName(Seed.TARGET).with("rootimgdir", Seed.OWN_DIR);
        GenimageCommand printed = GenimageCommand.fromDryRun(Seed.sourceDryRun());

        GenimageCommand mapped = CopyDefinition.forCopy(printed, copy);

        assertEquals(GenimageCommand.fromDryRun(Seed.dryRun()), mapped);
        assertEquals(Seed.dryRun().lines().skip(1).findFirst().orElseThrow().replace("; ", " && "),
                mapped.toShellLine());
    }

    @Test
    void aSourceWithoutRootimgdirPrintsNoneAndTheCopysOwnIsPutWhereGenimagePmPrintsIt() {
        // genimage.pm prints --rootimgdir only when linuximage.rootimgdir is set: after --postinstall, before
        // --driverupdatesrc, --noupdate and the name
        String line = "Generating image: \ncd /opt/xcat/share/xcat/netboot/rh; ./genimage -a x86_64 -o rhels6.3"
                + " -p compute --pkglist /p.pkglist --postinstall \"/p.postinstall\" --driverupdatesrc dud:/d.iso"
                + " --noupdate 1 " + Seed.SOURCE + "\n";
        OsImage copy = Seed.source().withName(Seed.TARGET).with("rootimgdir", Seed.OWN_DIR);

        GenimageCommand mapped = CopyDefinition.forCopy(GenimageCommand.fromDryRun(line), copy);

        assertEquals("cd /opt/xcat/share/xcat/netboot/rh && ./genimage -a x86_64 -o rhels6.3 -p compute --pkglist"
                + " /p.pkglist --postinstall /p.postinstall --rootimgdir " + Seed.OWN_DIR + " --driverupdatesrc"
                + " dud:/d.iso --noupdate mycomputeimage", mapped.toShellLine());
    }

    @Test
    void aCopySharingAnUnsetRootimgdirKeepsTheLineWithoutOne() {
        OsImage source = Seed.source().without("rootimgdir");
        String line = Seed.dryRun(Seed.SOURCE, null);
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", "lsdef", "-t", "osimage", "-z", BOTH).reply(SeedRunTest.onlySource(StanzaCodec.write(source),
                Seed.TARGET));
        h.on("xcatmn", "genimage", "--dryrun", Seed.SOURCE).reply(0, line);
        SeedRunTest.addRules(h);
        CrossBuild build = SeedRunTest.seed(Seed.build(h).step(CopyDefinition.of(Seed.SOURCE, Seed.TARGET)
                .withSharedRootimgdir()).build());

        RunReport report = build.run(Listeners.none());

        assertTrue(report.succeeded(), report::summary);
        h.assertNotRan("xcatmn", CommandMatcher.argv("genimage", "--dryrun", Seed.TARGET));
        assertEquals("\"" + Seed.dryRun(Seed.TARGET, null).lines().skip(1).findFirst().orElseThrow()
                .replace("; ", " && ") + "\"", report.values().stream()
                .filter(v -> v.key().equals(BuildKeys.DRY_RUN.name())).findFirst().orElseThrow().json().orElseThrow());
    }

    @Test
    void aGivenRootimgdirIsTheOneInTheLine() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", CommandMatcher.program("packimage")).reply(0, "Packing contents of /install/elsewhere"
                + "/rootimg\narchive method:cpio\ncompress method:pigz\n");
        SeedRunTest.addRules(h);
        CrossBuild build = SeedRunTest.seed(Seed.build(h).step(CopyDefinition.of(Seed.SOURCE, Seed.TARGET)
                .withRootimgdir("/install/elsewhere")).build());

        RunReport report = build.run(Listeners.none());

        assertTrue(report.succeeded(), report::summary);
        h.assertNotRan("xcatmn", CommandMatcher.argv("genimage", "--dryrun", Seed.TARGET));
        assertTrue(report.values().stream().filter(v -> v.key().equals(BuildKeys.DRY_RUN.name())).findFirst()
                .orElseThrow().json().orElseThrow().endsWith(" --rootimgdir /install/elsewhere mycomputeimage\""),
                report::summary);
    }

    @Test
    void aSourceGenimageRefusesFailsTheCopyBeforeMkdefWithTheDryRunsWording() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", "genimage", "--dryrun", Seed.SOURCE).reply(Reply.of(1, "Generating image: \n",
                "Error: [xcatmn]: The pkglist specified '/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist'"
                + " does not exist!\n"));

        RunReport report = copy(h);

        assertEquals("step 'copy-definition' failed: genimage --dryrun failed (exit 1): The pkglist specified"
                + " '/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist' does not exist! (on xcatmn);"
                + " asked as genimage --dryrun " + Seed.SOURCE + " before defining osimage mycomputeimage: nothing"
                + " was changed on the MN", report.failure().orElseThrow().message());
        h.assertNotRan("xcatmn", CommandMatcher.line("mkdef"));
        h.assertNotRan("xcatmn", CommandMatcher.line("crossgen-lock"));
    }

    @Test
    void anExistingImageBuiltAsItIsAsksItsOwnDryRun() {
        ScriptedTransport h = new ScriptedTransport();
        OsImage same = Seed.source().withName(Seed.TARGET).with("rootimgdir", Seed.OWN_DIR);
        h.on("xcatmn", "lsdef", "-t", "osimage", "-z", Seed.TARGET).reply(0, StanzaCodec.write(same));
        SeedRunTest.addRules(h);
        CrossBuild build = SeedRunTest.seed(Seed.build(h).step(CopyDefinition.of(Seed.SOURCE, Seed.TARGET)
                .withExistingImage()).build());

        RunReport report = build.run(Listeners.none());

        assertTrue(report.succeeded(), report::summary);
        h.assertNotRan("xcatmn", CommandMatcher.argv("genimage", "--dryrun", Seed.SOURCE));
        h.assertRanInOrder("xcatmn", CommandMatcher.line("crossgen-lock"),
                CommandMatcher.argv("genimage", "--dryrun", Seed.TARGET));
    }

    @Test
    void aTargetDefinedWithTheSameAttributesIsFoundByTheSameLsdefAndLeftAsItIs() {
        ScriptedTransport h = new ScriptedTransport();
        OsImage same = Seed.source().withName(Seed.TARGET).with("rootimgdir", Seed.OWN_DIR);
        h.on("xcatmn", "lsdef", "-t", "osimage", "-z", BOTH).reply(0, bothDefined(same));

        RunReport report = copy(h);

        assertTrue(report.succeeded(), report::summary);
        assertEquals(List.of("osimage mycomputeimage is already defined with these attributes: left as it is"),
                copyStep(report).notes());
        assertEquals(3, copyStep(report).xcatCalls());
        h.assertNotRan("xcatmn", CommandMatcher.line("mkdef"));
        h.assertNotRan("xcatmn", CommandMatcher.argv("genimage", "--dryrun", Seed.TARGET));
    }

    @Test
    void aTargetWithOtherAttributesIsRefusedAndNothingIsDefined() {
        ScriptedTransport h = new ScriptedTransport();
        OsImage other = Seed.source().withName(Seed.TARGET).with("rootimgdir", "/install/elsewhere");
        h.on("xcatmn", "lsdef", "-t", "osimage", "-z", BOTH).reply(0, bothDefined(other));

        RunReport report = copy(h);

        assertEquals("step 'copy-definition' failed: osimage 'mycomputeimage' already exists with other attributes"
                + " (rootimgdir: /install/elsewhere -> " + Seed.OWN_DIR + "); replace it"
                + " (CopyDefinition.withReplace(true), mkdef -f), or build it as it is"
                + " (CopyDefinition.withExistingImage())", report.failure().orElseThrow().message());
        h.assertNotRan("xcatmn", CommandMatcher.line("mkdef"));
    }

    @Test
    void anLsdefErrorThatNamesNoMissingImageStopsTheCopy() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", "lsdef", "-t", "osimage", "-z", BOTH).reply(Reply.of(1, "",
                "Error: [xcatmn]: Could not get xCAT object definitions.\n"));

        RunReport report = copy(h);

        assertEquals("step 'copy-definition' failed: xcatmn: `lsdef -t osimage -z " + BOTH + "` failed with exit 1;"
                + " last stderr:\n  Error: [xcatmn]: Could not get xCAT object definitions.",
                report.failure().orElseThrow().message());
        h.assertNotRan("xcatmn", CommandMatcher.line("mkdef"));
    }

    @Test
    void aMissingSourceIsNamedAndNothingIsDefined() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", "lsdef", "-t", "osimage", "-z", BOTH).reply(Reply.of(1, "# <xCAT data object stanza file>\n",
                SeedRunTest.NOT_FOUND + SeedRunTest.NOT_FOUND.replace("mycomputeimage", Seed.SOURCE)));

        RunReport report = copy(h);

        assertEquals("step 'copy-definition' failed: the source osimage '" + Seed.SOURCE + "' does not exist on the"
                + " MN; list the images with lsdef -t osimage", report.failure().orElseThrow().message());
        h.assertNotRan("xcatmn", CommandMatcher.line("mkdef"));
    }
}
