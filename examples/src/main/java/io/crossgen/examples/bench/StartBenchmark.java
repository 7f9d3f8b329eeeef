package io.crossgen.examples.bench;

import io.crossgen.examples.Testbed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line's start: wall time of whole {@code crossgen --version} and {@code crossgen plan} processes (the
 * bundled sample, no host), started as {@code java -cp ... Main} without options, through {@code ./crossgen}
 * without its AppCDS archive ({@code CROSSGEN_CDS=off}) and through {@code ./crossgen} with it. Needs no testbed.
 */
final class StartBenchmark implements Benchmark {
    private static final List<List<String>> COMMANDS = List.of(List.of("--version"), List.of("plan"));

    @Override
    public String name() {
        return "start";
    }

    @Override
    public Table run(Testbed testbed, int repetitions) throws Exception {
        Path root = Testbed.projectRoot();
        Path target = root.resolve("examples/target");
        String launcher = root.resolve("crossgen").toString();
        List<String> plainJava = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                target.resolve("crossgen-examples.jar") + ":" + target.resolve("lib") + "/*",
                "io.crossgen.examples.Main");
        int runs = Math.max(10, 4 * repetitions);
        Table table = new Table("Command-line start (N = " + runs + ", whole process, seconds)", "command",
                "java -cp … Main", "./crossgen without archive", "./crossgen with archive",
                "with archive vs java -cp");
        for (List<String> command : COMMANDS) {
            Map<String, List<String>> starts = new LinkedHashMap<>();
            starts.put("plain", concat(plainJava, command));
            starts.put("off", concat(List.of("env", "CROSSGEN_CDS=off", launcher), command));
            starts.put("on", concat(List.of(launcher), command));
            Map<String, List<Double>> times = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> start : starts.entrySet()) {
                time(start.getValue()); // untimed: makes the archive when it is missing, fills the page cache
                times.put(start.getKey(), new ArrayList<>());
            }
            for (int r = 0; r < runs; r++) {
                for (Map.Entry<String, List<String>> start : starts.entrySet()) {
                    times.get(start.getKey()).add(time(start.getValue()));
                }
            }
            Stats plain = Stats.of(times.get("plain"));
            Stats on = Stats.of(times.get("on"));
            table.row("crossgen " + String.join(" ", command), plain.format("%.2f"),
                    Stats.of(times.get("off")).format("%.2f"), on.format("%.2f"),
                    String.format(Locale.ROOT, "%.2f×", on.median() / plain.median()));
        }
        table.note("Each start is a new process, output discarded; the three starts take turns. ./crossgen runs the"
                + " JVM with the serial collector and C1 only, with the static AppCDS archive its first start after a"
                + " build made (examples/target/crossgen.jsa: the classes of a plan and of a run, picocli's included);"
                + " \"without archive\" is the same launcher with CROSSGEN_CDS=off."
                + " Main answers --version alone before building picocli's model, and models only the subcommand"
                + " named.");
        return table;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Seconds from the start of {@code argv} to its end; it must exit 0 within a minute. */
    private static double time(List<String> argv) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        if (!p.waitFor(1, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(argv + " did not end within a minute");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(argv + " exited " + p.exitValue());
        }
        return seconds;
    }
}
