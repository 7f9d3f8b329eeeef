package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.ScriptedTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What an admin sees of the seed build: the build on the console, everything in the full log. */
class ConsoleTranscriptTest {
    /** genimage's log on the builder: 38 dnf lines and its own two. */
    static final List<String> GENIMAGE = genimage();

    private static List<String> genimage() {
        List<String> lines = new ArrayList<>();
        IntStream.rangeClosed(1, 38).forEach(k -> lines.add(String.format("  Installing       : %-40s %d/38",
                "pkg" + k + "-1.0-1.el6.x86_64", k)));
        lines.add("Enter the dracut mode. Dracut version: 049. Dracut directory: dracut_049.");
        lines.add("the initial ramdisk for stateless is generated successfully.");
        return lines;
    }

    @Test
    void theQuietConsoleOfTheSeedBuildFitsEightyLinesAndTheFullLogHoldsThePlumbing() {
        ScriptedTransport h = new ScriptedTransport();
        String log = String.join("\n", GENIMAGE) + "\n";
        h.on("node01", CommandMatcher.line("crossgen-follow")).reply(0, "crossgen-follow rc=0 alive=no end="
                + log.length() + " size=" + log.length() + "\n" + log);
        SeedRunTest.addRules(h);
        StringBuilder console = new StringBuilder();
        StringBuilder full = new StringBuilder();

        RunReport report = SeedRunTest.seed(h).run(Listeners.all(
                Listeners.quietConsole(console, Throwable::getMessage, false), Listeners.console(full)));

        assertTrue(report.succeeded(), report::summary);
        String shown = console + "\n" + report.summary();
        assertTrue(shown.lines().count() <= 80, shown.lines().count() + " lines:\n" + shown);
        for (String line : GENIMAGE.subList(38, 40)) {
            assertTrue(console.toString().contains("[node01] " + line + "\n"), line);
        }
        // not a terminal: dnf's counters as plain lines, the first, one per quarter, the last
        assertEquals(List.of("1/38", "11/38", "21/38", "31/38", "38/38"), console.toString().lines()
                .filter(l -> l.startsWith("[node01] installing ")).map(l -> l.split(" ")[2]).toList());
        assertTrue(console.toString().contains("[xcatmn] $ packimage mycomputeimage\n"), console::toString);
        assertTrue(console.toString().contains("[xcatmn] Packing contents of " + Seed.OWN_DIR + "/rootimg\n"));
        assertTrue(console.toString().contains("==> copy-definition\n[xcatmn] $ lsdef -t site -o clustersite"),
                console::toString);
        // the plumbing is in the full log only
        for (String plumbing : List.of("crossgen-lock", "crossgen-manifest", "crossgen-mount-acquire",
                "E\t/opt/xcat/lib/perl/xCAT/Utils.pm", "action=mounted")) {
            assertFalse(console.toString().contains(plumbing), plumbing);
            assertTrue(full.toString().contains(plumbing), plumbing);
        }
        assertEquals(full.toString().lines().filter(l -> l.startsWith("[node01]   Installing")).count(), 38);
    }
}
