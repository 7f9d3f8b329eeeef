package io.crossgen.build;

import static io.crossgen.build.Recorded.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.StepStatus;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.RecordedCommand;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The seed build with scripted hosts: when the provenance is gathered, where it is written, and what it says. */
class ProvenanceRunTest {
    private static final String STAGE = Seed.OWN_DIR + "/" + StageImage.STAGE;
    private static final String ARCHIVE_SUM = "1".repeat(64);
    private static final String LIST_SUM = "2".repeat(64);
    private static final CommandMatcher PROMOTE = CommandMatcher.line("crossgen-promote " + Seed.OWN_DIR + " " + STAGE
            + " rootimg.cpio.gz provenance$");
    private static final CommandMatcher FOLLOW = CommandMatcher.line("crossgen-follow");
    private static final String FOLLOWED = "crossgen-follow rc=0 alive=no end=58 size=58\nEnter the dracut mode.\n"
            + "the initial ramdisk is ok\n";

    private static void answers(ScriptedTransport h) {
        h.on("node01", CommandMatcher.line("crossgen-inventory")).reply(0, "rpm\nbash\t4.1.2-48.el6\tx86_64\n");
        h.on("xcatmn", CommandMatcher.line("crossgen-subjects")).reply(0, ARCHIVE_SUM + "  rootimg.cpio.gz\n");
        h.on("xcatmn", CommandMatcher.line("crossgen-digests")).reply(0, LIST_SUM
                + "  /opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist\nmissing  /install/rhels6.3/x86_64/\n");
        h.on("node01", CommandMatcher.line("crossgen-identity")).reply(0, "hostname=node01\narch=x86_64\n");
    }

    /** The statement promote.sh read on its stdin (the last promotion's). */
    private static String promoted(ScriptedTransport h) {
        List<RecordedCommand> promotions = h.recorded("xcatmn").stream().filter(r -> PROMOTE.matches(r.command()))
                .toList();
        assertTrue(!promotions.isEmpty(), "no promotion with a statement");
        return promotions.get(promotions.size() - 1).stdinText();
    }

    @Test
    void theStatementGoesToThePromotionOnItsStdinWithTheSubjectsAndTheInventory() throws Exception {
        ScriptedTransport h = SeedRunTest.hosts();
        answers(h);

        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        assertTrue(report.succeeded(), report::summary);
        h.assertRanInOrder("xcatmn",
                CommandMatcher.line("crossgen-digests"),
                CommandMatcher.program("packimage"),
                CommandMatcher.line("crossgen-subjects " + STAGE + " rootimg.cpio.gz$"),
                PROMOTE);
        h.assertNotRan("xcatmn", CommandMatcher.line("crossgen-write .*" + Provenance.FILE));
        h.assertRanInOrder("node01", CommandMatcher.line("crossgen-start"), CommandMatcher.line(
                "crossgen-inventory " + STAGE + "/rootimg$"));
        String written = promoted(h);
        Provenance p = Provenance.fromJson(written, "written");
        assertEquals(Seed.TARGET, p.image());
        assertEquals(Seed.SOURCE, p.source());
        assertEquals(List.of(new Provenance.Resource("rootimg.cpio.gz", "", ARCHIVE_SUM)), p.subjects());
        assertEquals(new Inventory("rpm", List.of(new Inventory.Package("bash", "4.1.2-48.el6", "x86_64"))),
                p.inventory());
        assertEquals(new Provenance.Resource("pkglist", "file:///opt/xcat/share/xcat/netboot/rh/"
                + "compute.rhels6.x86_64.pkglist", LIST_SUM), p.dependencies().get(0));
        assertEquals(new Provenance.Resource("pkgdir-metadata", "file:///install/rhels6.3/x86_64/", ""),
                p.dependencies().get(1));
        assertEquals("node01", p.builderHost().get("hostname"));
        assertEquals("r1", p.runId());
        assertEquals(statement(report), Optional.of(written), "the report's statement");
        RunReport.StepReport pack = report.step(Packimage.NAME).orElseThrow();
        assertEquals(4, pack.roundTrips(), "chdef to the stage; packimage; chdef back with the digests; promote");
        assertTrue(pack.notes().contains("wrote " + Seed.OWN_DIR + "/" + Provenance.FILE
                + " (1 subjects, 1 packages)"), pack.notes()::toString);
    }

    @Test
    void theProvenanceIsGatheredWhileGenimageRuns() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("node01", FOLLOW).reply(Reply.of(0, FOLLOWED, "").withDelay(Duration.ofSeconds(1)));
        SeedRunTest.addRules(h);
        answers(h);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        PipelineListener heard = new PipelineListener() {
            @Override
            public void stepStarted(String step) {
                events.add("start " + step);
            }

            @Override
            public void stepFinished(String step, StepStatus status, Duration took, Optional<Throwable> failure) {
                events.add("end " + step);
            }
        };

        RunReport report = SeedRunTest.seed(Seed.build(h).parallelism(4).build()).run(heard);

        assertTrue(report.succeeded(), report::summary);
        // gathered once the stage is made, done before genimage ends (which takes a second here)
        int generateEnds = events.indexOf("end " + Generate.NAME);
        assertTrue(events.indexOf("end " + StageImage.NAME) < events.indexOf("start " + RecordProvenance.NAME),
                events::toString);
        assertTrue(events.indexOf("end " + RecordProvenance.NAME) < generateEnds, events::toString);
        assertTrue(events.indexOf("start " + Packimage.NAME) > events.indexOf("end " + TakeInventory.NAME),
                events::toString);
        Recorded.assertRanInOrder(h,
                on("xcatmn", CommandMatcher.line("crossgen-digests")),
                on("node01", CommandMatcher.line("crossgen-identity")),
                on("node01", SeedRunTest.SMOKE),
                on("xcatmn", CommandMatcher.program("packimage")),
                on("xcatmn", PROMOTE));
        assertTrue(Provenance.fromJson(promoted(h), "written").inventory().packages().size() == 1,
                "the inventory taken after genimage is in the statement");
    }

    @Test
    void aGatheringThatFailsFailsTheRunNamingItAndCancelsGenimage() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("node01", FOLLOW).reply(Reply.hang());
        h.on("node01", CommandMatcher.line("crossgen-identity")).reply(Reply.of(2, "",
                "cat: /etc/os-release: Permission denied\n").withDelay(Duration.ofSeconds(1)));
        SeedRunTest.addRules(h);

        RunReport report = SeedRunTest.seed(Seed.build(h).parallelism(4).build()).run(Listeners.none());

        assertEquals(RunReport.Outcome.FAILED, report.outcome(), report::summary);
        RunReport.Failure failure = report.failure().orElseThrow();
        assertEquals(RecordProvenance.NAME, failure.step());
        assertTrue(failure.message().startsWith("step 'provenance' failed: node01: `sh -c 'echo \"hostname="),
                failure::message);
        assertTrue(failure.message().endsWith("` failed with exit 2; last stderr:\n  cat: /etc/os-release:"
                + " Permission denied"), failure::message);
        assertEquals(StepStatus.CANCELLED, report.step(Generate.NAME).orElseThrow().status());
        assertEquals(StepStatus.SKIPPED, report.step(Packimage.NAME).orElseThrow().status());
        assertTrue(h.recorded("node01").stream().filter(c -> FOLLOW.matches(c.command()))
                .allMatch(RecordedCommand::cancelled), "the running genimage's follow was cancelled");
        h.assertRan("node01", CommandMatcher.line("crossgen-stop /var/tmp/crossgen/r1$"));
        h.assertNotRan("xcatmn", CommandMatcher.program("packimage"));
    }

    @Test
    void aRunResumedAfterAFailedPackimageWritesTheStatementWithTheInventory() throws Exception {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", CommandMatcher.program("packimage")).reply(1, "", "Error: [xcatmn]: Command pigz does not"
                + " exist, please make sure it is installed.\n").once();
        SeedRunTest.addRules(h);
        answers(h);
        CrossBuild build = SeedRunTest.seed(h);
        RunReport first = build.run(Listeners.none());
        assertEquals(Packimage.NAME, first.failure().orElseThrow().step(), first::summary);
        assertTrue(h.commands("xcatmn").stream().noneMatch(PROMOTE::matches), "a failed packimage promoted");

        RunReport second = build.resume(first, Listeners.none());

        assertTrue(second.succeeded(), second::summary);
        assertEquals(StepStatus.DONE, second.step(RecordProvenance.NAME).orElseThrow().status());
        Provenance p = Provenance.fromJson(promoted(h), "written");
        assertEquals(List.of(new Provenance.Resource("rootimg.cpio.gz", "", ARCHIVE_SUM)), p.subjects());
        assertEquals(1, p.inventory().packages().size());
        assertEquals("r1", p.runId());
    }

    @Test
    void aRunResumedAtPackimageUsesTheProvenanceAndInventoryTheFailedRunGathered() throws Exception {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", CommandMatcher.program("packimage")).reply(1, "", "Error: [xcatmn]: Command pigz does not"
                + " exist, please make sure it is installed.\n").once();
        SeedRunTest.addRules(h);
        answers(h);
        CrossBuild build = SeedRunTest.seed(h).withPipeline(p -> p.remove(LockImage.NAME));
        RunReport first = build.run(Listeners.none());
        assertEquals(Packimage.NAME, build.resumePoint(first), first::summary);
        int gathered = (int) h.commands("node01").stream().filter(CommandMatcher.line("crossgen-identity")::matches)
                .count();

        RunReport second = build.resume(first, Listeners.none());

        assertTrue(second.succeeded(), second::summary);
        for (String done : List.of(RecordProvenance.NAME, TakeInventory.NAME, SmokeCheck.NAME, Generate.NAME)) {
            assertEquals(List.of("done in run " + first.runId()), second.step(done).orElseThrow().notes(), done);
        }
        assertEquals(gathered, h.commands("node01").stream().filter(CommandMatcher.line("crossgen-identity")::matches)
                .count(), "gathered again");
        Provenance p = Provenance.fromJson(promoted(h), "written");
        assertEquals("node01", p.builderHost().get("hostname"));
        assertEquals(new Inventory("rpm", List.of(new Inventory.Package("bash", "4.1.2-48.el6", "x86_64"))),
                p.inventory());
        assertEquals(statement(second), Optional.of(promoted(h)));
    }

    private static Optional<String> statement(RunReport report) throws Exception {
        Optional<String> json = report.values().stream().filter(v -> v.key().equals(BuildKeys.STATEMENT.name()))
                .findFirst().flatMap(v -> v.json());
        return json.isEmpty() ? Optional.empty() : Optional.of(Provenance.mapper().readValue(json.get(), String.class));
    }
}
