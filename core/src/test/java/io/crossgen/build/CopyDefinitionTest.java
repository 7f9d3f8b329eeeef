package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    private static final CommandMatcher XCAT = CommandMatcher.line("^(lsdef|mkdef|chdef|sh -c 'cat \"\\$1\" \\| mkdef)");

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
    void oneLsdefReadsTheSourceAndFindsTheTargetMissingWhileAnotherReadsTheSiteAndOneCommandDefinesItAndRemovesTheStanza() {
        ScriptedTransport h = new ScriptedTransport();

        RunReport report = copy(h);

        assertTrue(report.succeeded(), report::summary);
        RunReport.StepReport step = copyStep(report);
        assertEquals(List.of(3, 3), List.of(step.xcatCalls(), step.roundTrips()), report::summary);
        List<String> together = new java.util.ArrayList<>(List.of("crossgen-together", "8"));
        together.addAll(SitePaths.READ.argv());
        together.addAll(List.of("5", "lsdef", "-t", "osimage", "-z", BOTH));
        assertEquals(1, h.commands("xcatmn").stream().filter(c -> c.argv().size() > 3
                && c.argv().subList(3, c.argv().size()).equals(together)).count(), "both lsdefs in one round trip");
        assertEquals(List.of(SitePaths.READ.argv(), List.of("lsdef", "-t", "osimage", "-z", BOTH),
                List.of("sh", "-c", CopyDefinition.MKDEF, "crossgen-mkdef", "/var/tmp/crossgen/r1/mycomputeimage.stanza")),
                h.commands("xcatmn").stream().takeWhile(c -> !CommandMatcher.line("crossgen-lock").matches(c))
                        .filter(XCAT::matches).map(c -> c.argv()).toList());
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
        assertEquals(2, copyStep(report).xcatCalls());
        h.assertNotRan("xcatmn", CommandMatcher.line("mkdef"));
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
