package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.ScriptedTransport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed build with scripted hosts: where the provenance is written, and what it says. */
class ProvenanceRunTest {
    private static final String STAGE = Seed.OWN_DIR + "/" + StageImage.STAGE;
    private static final String ARCHIVE_SUM = "1".repeat(64);
    private static final String LIST_SUM = "2".repeat(64);

    @Test
    void theStatementIsWrittenIntoTheStageAfterPackimageAndBeforeThePromotionThatMovesIt() throws Exception {
        ScriptedTransport h = SeedRunTest.hosts();
        h.on("node01", CommandMatcher.line("crossgen-inventory")).reply(0, "rpm\nbash\t4.1.2-48.el6\tx86_64\n");
        h.on("xcatmn", CommandMatcher.line("crossgen-subjects")).reply(0, ARCHIVE_SUM + "  rootimg.cpio.gz\n");
        h.on("xcatmn", CommandMatcher.line("crossgen-digests")).reply(0, LIST_SUM
                + "  /opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist\nmissing  /install/rhels6.3/x86_64/\n");
        h.on("node01", CommandMatcher.line("crossgen-identity")).reply(0, "hostname=node01\narch=x86_64\n");

        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        assertTrue(report.succeeded(), report::summary);
        h.assertRanInOrder("xcatmn",
                CommandMatcher.line("crossgen-digests"),
                CommandMatcher.program("packimage"),
                CommandMatcher.line("crossgen-subjects " + STAGE + " rootimg.cpio.gz$"),
                CommandMatcher.line("crossgen-write " + STAGE + "/" + Provenance.FILE + "$"),
                CommandMatcher.line("crossgen-promote " + Seed.OWN_DIR + " " + STAGE + " rootimg.cpio.gz$"));
        h.assertRanInOrder("node01", CommandMatcher.line("crossgen-start"), CommandMatcher.line(
                "crossgen-inventory " + STAGE + "/rootimg$"));
        String written = new String(h.recorded("xcatmn").stream().filter(r -> r.command().argv().contains(
                "crossgen-write") && r.command().argv().get(r.command().argv().size() - 1).endsWith(Provenance.FILE))
                .findFirst().orElseThrow().stdin(), StandardCharsets.UTF_8);
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
        String saved = report.values().stream().filter(v -> v.key().equals(BuildKeys.STATEMENT.name())).findFirst()
                .orElseThrow().json().orElseThrow();
        assertEquals(written, Provenance.MAPPER.readValue(saved, String.class), "the report's statement");
    }
}
