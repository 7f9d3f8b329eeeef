package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.RunReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crossgen matrix} on the testbed: three builds of one spec over its builder, two at a time. */
@Tag("e2e")
class MatrixEndToEndTest {
    private static final List<String> BUILDS = List.of("e2emat1", "e2emat2", "e2emat3");
    private static Testbed testbed;

    @BeforeAll
    static void up() throws Exception {
        testbed = Testbed.up();
    }

    private static String spec() {
        StringBuilder s = new StringBuilder(String.join("\n",
                "version: 1",
                "management-node:",
                "  uri: " + testbed.mn(),
                "  name: xcatmn",
                "max-parallel: 3",
                "builders:",
                "  - uri: " + testbed.builder(),
                "    arch: " + Testbed.ARCH,
                "    release: rhels8.8.0",
                "    max-builds: 2",
                "defaults:",
                "  mount: nfs",
                "  replace: true",
                "builds:", ""));
        for (String b : BUILDS) {
            s.append("  - name: ").append(b).append('\n')
                    .append("    source: ").append(Testbed.sourceImage("compute")).append('\n')
                    .append("    arch: ").append(Testbed.ARCH).append('\n');
        }
        return s.toString();
    }

    @Test
    void threeBuildsOfOneSpecRunTwoAtATimeOnTheBuilderEachWithItsReportAndLeaveNothingBehind(@TempDir Path dir)
            throws Exception {
        Path spec = dir.resolve("matrix.yaml");
        Files.writeString(spec, spec());
        Path reports = dir.resolve("reports");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int status = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "matrix", spec.toString(),
                "--known-hosts", testbed.get("TESTBED_KNOWN_HOSTS"), "--identity", testbed.get("TESTBED_KEY"),
                "--report", reports.toString());

        String text = out.toString();
        System.out.println(text);
        assertEquals(0, status, () -> text + "\n" + err);
        List<String> lines = text.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("build ")).findFirst().orElseThrow());
        assertTrue(lines.get(header).matches("build +builder +status +duration +failure"), lines.get(header));
        String builder = testbed.builder().label();
        for (int i = 0; i < BUILDS.size(); i++) {
            String row = lines.get(header + 1 + i);
            assertTrue(row.matches(BUILDS.get(i) + " +" + builder + " +SUCCEEDED +[0-9].*"), row);
            assertTrue(lines.contains("[" + BUILDS.get(i) + "] started on " + builder), text);
        }
        assertEquals("reports in " + reports, lines.get(header + 1 + BUILDS.size()));

        List<Instant[]> runs = new ArrayList<>();
        for (String b : BUILDS) {
            RunReport r = RunReport.fromJson(Files.readString(reports.resolve(b + ".json")));
            assertTrue(r.succeeded(), r::summary);
            assertEquals("crossbuild-" + b, r.pipeline());
            runs.add(new Instant[] {r.started(), r.started().plus(r.duration())});
            assertTrue(Files.size(testbed.mnFile(Testbed.netboot() + b + "/rootimg.cpio.gz")) > 0, b);
        }
        for (Instant[] run : runs) {   // max-builds: 2, so when a build starts at most one other runs
            long running = runs.stream().filter(o -> !o[0].isAfter(run[0]) && run[0].isBefore(o[1])).count();
            assertTrue(running <= 2, () -> "three builds ran at once on the builder: " + runs.stream()
                    .map(r -> r[0] + ".." + r[1]).toList());
        }
        EndToEndTest.assertNothingLeftOnTheBuilder(testbed);   // no lock, no lease entry, nothing mounted
    }
}
