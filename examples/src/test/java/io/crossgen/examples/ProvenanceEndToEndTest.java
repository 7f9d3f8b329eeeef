package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossgen.build.BuildKeys;
import io.crossgen.build.ImageDiff;
import io.crossgen.build.ImageDiff.Change;
import io.crossgen.build.Inventory;
import io.crossgen.build.Provenance;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Provenance on the testbed: two builds of the stand-in "site" image with one line added to a package list it
 * reaches by {@code #INCLUDE} (compute.pkglist includes common/base.pkglist, which includes common/$SITE.pkglist);
 * the stand-in genimage writes a real dpkg status file into the rootimg, read with dpkg-query.
 */
@Tag("e2e")
class ProvenanceEndToEndTest {
    private static final String INCLUDED = "/custom/netboot/common/lab.pkglist";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Testbed testbed;

    @BeforeAll
    static void up() throws Exception {
        testbed = Testbed.up();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static RunReport build(String target) {
        StringWriter progress = new StringWriter();
        RunReport report = testbed.build("site", target).run(Listeners.console(progress));
        assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
        return report;
    }

    private static String cli(int status, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--mn", testbed.mn().toString(), "--known-hosts", testbed.get("TESTBED_KNOWN_HOSTS"),
                "--identity", testbed.get("TESTBED_KEY")));
        assertEquals(status, Main.execute(new PrintWriter(out), new PrintWriter(err), argv.toArray(String[]::new)),
                () -> out + "\n" + err);
        return out.toString();
    }

    @Test
    void aDiffOfTwoBuildsNamesExactlyTheAddedPackageAndTheChangedListAndTheFileSurvivesPackimage()
            throws Exception {
        Path included = testbed.mnFile(INCLUDED);
        byte[] before = Files.readAllBytes(included);
        RunReport first = build("e2eprova");
        byte[] after = (new String(before, StandardCharsets.UTF_8) + "lab-monitor\n").getBytes(StandardCharsets.UTF_8);
        RunReport second;
        Files.write(included, after);
        try {
            second = build("e2eprovb");
        } finally {
            Files.write(included, before);
        }

        String dirB = Testbed.netboot() + "e2eprovb";
        Path fileB = testbed.mnFile(dirB + "/" + Provenance.FILE);
        String statementB = Files.readString(fileB);
        String saved = second.values().stream().filter(v -> v.key().equals(BuildKeys.STATEMENT.name()))
                .findFirst().orElseThrow().json().orElseThrow();
        assertEquals(statementB, JSON.readValue(saved, String.class), "the run report's statement");
        assertTrue(first.succeeded());
        Provenance b = Provenance.fromJson(statementB, fileB.toString());
        assertEquals(sha256(Files.readAllBytes(testbed.mnFile(dirB + "/rootimg.cpio.gz"))), b.subjects().stream()
                .filter(s -> s.name().equals("rootimg.cpio.gz")).findFirst().orElseThrow().sha256());
        assertEquals(new Inventory.Package("lab-monitor", "1.0-1.standin", Testbed.ARCH), b.inventory().packages()
                .stream().filter(p -> p.name().equals("lab-monitor")).findFirst().orElseThrow());
        assertEquals("dpkg", b.inventory().database());

        String diffText = cli(1, "diff", "e2eprova", "e2eprovb");
        String diffJson = cli(1, "diff", "e2eprova", "e2eprovb", "--json");
        ImageDiff diff = JSON.readValue(diffJson, ImageDiff.class);
        System.out.println("$ crossgen diff e2eprova e2eprovb\n" + diffText);
        System.out.println("$ crossgen inspect e2eprovb\n" + cli(0, "inspect", "e2eprovb"));
        assertEquals(List.of(new Change("file://" + INCLUDED, sha256(before), sha256(after))), diff.inputs());
        assertEquals(List.of(new Change("lab-monitor." + Testbed.ARCH, "", "1.0-1.standin")), diff.packages());
        assertEquals(List.of(), diff.definition());
        assertEquals(List.of(), diff.parameters());
        assertEquals(List.of(), diff.repositories());
        assertTrue(diffText.contains("    ~ file://" + INCLUDED + " " + sha256(before) + " -> " + sha256(after)
                + "\n"), diffText);
        assertTrue(diffText.endsWith("  packages:\n    + lab-monitor." + Testbed.ARCH + " 1.0-1.standin\n"),
                diffText);

        List<String> packed = testbed.ssh("xcatmn", "packimage e2eprovb");
        assertTrue(packed.contains("archive method:cpio"), packed::toString);
        assertEquals(statementB, Files.readString(fileB), "packimage changed or removed the provenance");
    }

    @Test
    void anImageWithoutProvenanceIsReportedAsSuchNotAsAnError() {
        String image = Testbed.sourceImage("compute");
        assertEquals("osimage " + image + " has no provenance (" + Testbed.netboot() + "compute/" + Provenance.FILE
                + " does not exist): it was not built by this crossgen\n", cli(0, "inspect", image));
    }
}
