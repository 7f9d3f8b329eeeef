package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Plan;
import io.crossgen.testing.ScriptedTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed example's plan, as a script (seed.plan) and as a summary (seed.summary), is the golden one.
 * Regenerate with CROSSGEN_GOLDEN_WRITE=$PWD/core/src/test/resources/io/crossgen/build/seed.plan (the summary
 * goes beside it, as seed.summary); never edit them by hand.
 */
class GoldenPlanTest {

    private static Plan seedPlan(ScriptedTransport hosts) throws InterruptedException {
        return Seed.planned(hosts).build().plan();
    }

    private static void assertGolden(String resource, String actual) throws Exception {
        String golden = Seed.resource(resource);
        String write = System.getenv("CROSSGEN_GOLDEN_WRITE");
        if (!golden.equals(actual) && write != null) {
            Files.writeString(Path.of(write).resolveSibling(resource), actual);
        }
        assertEquals(golden, actual);
    }

    @Test
    void seedExamplePlanIsTheGoldenOne() throws Exception {
        ScriptedTransport hosts = new ScriptedTransport().strict();
        assertGolden("seed.plan", seedPlan(hosts).toScript());
        assertEquals(0, hosts.commands().size(), "a plan runs nothing");
    }

    @Test
    void seedExampleSummaryIsTheGoldenOneAndFitsSixtyLines() throws Exception {
        String summary = seedPlan(new ScriptedTransport().strict()).toSummary();
        assertGolden("seed.summary", summary);
        assertTrue(summary.lines().count() <= 60, summary.lines().count() + " lines");
        for (String step : List.of("procedure step 1:", "procedure step 2:", "procedure step 3:",
                "procedure step 4:", "procedure step 5:", "procedure step 7:", "release /install on the builder")) {
            assertTrue(summary.contains(step), step);
        }
    }

    @Test
    void seedExampleScriptDefinesEachHelperOnceAndPassesShDashAndShellcheck(@TempDir Path dir) throws Exception {
        String script = seedPlan(new ScriptedTransport().strict()).toScript();
        Path file = dir.resolve("seed.sh");
        Files.writeString(file, script);
        assertEquals("", ScriptResourcesTest.run(List.of("sh", "-n", file.toString())));
        assertEquals("", ScriptResourcesTest.run(List.of("dash", "-n", file.toString())));
        assertEquals("", ScriptResourcesTest.run(List.of("shellcheck", "-s", "sh", file.toString())));
        assertEquals(1, script.lines().filter(l -> l.startsWith("crossgen_lock=$(cat <<")).count());
        assertEquals(2, script.lines().filter(l -> l.contains("sh -c \"$crossgen_mount_acquire\"")
                || l.contains("sh -c \"$crossgen_mount_release\"")).count());
    }
}
