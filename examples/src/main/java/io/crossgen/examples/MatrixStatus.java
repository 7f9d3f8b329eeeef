package io.crossgen.examples;

import io.crossgen.build.BuildMatrix;
import io.crossgen.build.CrossBuild;
import io.crossgen.pipeline.Durations;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.RunReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live status of {@code crossgen matrix}: on a terminal, one line per build redrawn in place (ANSI cursor
 * movement); otherwise one plain line per event ({@code [compute-ppc] ==> generate (builder root@p9node01)}).
 * Then the summary table.
 */
final class MatrixStatus {
    private static final String UP = "\033[%dA";
    private static final String CLEAR_LINE = "\r\033[2K";

    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, String> rows = new LinkedHashMap<>();
    private int drawn;

    /** The status of the named builds, all waiting; {@code terminal}: redraw lines in place. */
    MatrixStatus(PrintWriter out, List<String> builds, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        builds.forEach(b -> rows.put(b, "waiting for a builder"));
        if (terminal) {
            redraw();
        }
    }

    /** The listener of one build, as routed to its builder. */
    PipelineListener listener(CrossBuild build) {
        String name = build.target();
        String builder = build.builderNode().label();
        return new PipelineListener() {
            @Override
            public void runStarted(String pipeline, boolean planning) {
                update(name, "started on " + builder);
            }

            @Override
            public void stepStarted(String step) {
                update(name, "==> " + step + " (builder " + builder + ")");
            }

            @Override
            public void runFinished(RunReport report) {
                update(name, report.outcome() + " in " + Durations.format(report.duration())
                        + report.failure().map(f -> " (step " + f.step() + ")").orElse("") + " on " + builder);
            }
        };
    }

    private synchronized void update(String build, String state) {
        rows.put(build, state);
        if (terminal) {
            redraw();
        } else {
            out.println("[" + build + "] " + state);
            out.flush();
        }
    }

    private void redraw() {
        if (drawn > 0) {
            out.print(String.format(UP, drawn));
        }
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(5);
        rows.forEach((build, state) -> out.print(CLEAR_LINE + String.format("%-" + width + "s  %s", build, state)
                + "\n"));
        drawn = rows.size();
        out.flush();
    }

    /**
     * The table at the end: build, builder, status, duration, failure; one line per build in spec order.
     *
     * <pre>
     * build         builder         status     duration  failure
     * compute-ppc   root@p9node01   SUCCEEDED  3 min 4 s
     * </pre>
     */
    static String summary(List<BuildMatrix.Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"build", "builder", "status", "duration", "failure"});
        for (BuildMatrix.Result r : results) {
            RunReport report = r.report();
            rows.add(new String[] {r.build().target(),
                    r.build().builderNode().label() + (r.emulated() ? " (emulated)" : ""), report.outcome().toString(),
                    Durations.format(report.duration()),
                    report.failure().map(f -> f.step() + ": " + firstLine(f.message())).orElse("")});
        }
        int[] width = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (String[] row : rows) {
            s.append(String.format("%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %-" + width[3]
                    + "s  %s", (Object[]) row).stripTrailing()).append('\n');
        }
        return s.toString();
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + " ..." : line;
    }
}
