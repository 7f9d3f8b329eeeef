package io.crossgen.examples.bench;

import io.crossgen.examples.Testbed;

import io.crossgen.build.BuildKeys;
import io.crossgen.build.BuildMatrix;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.StepStatus;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Parallel speed-up: a {@link BuildMatrix} of 1, 2 and 4 builds (distinct targets) on the testbed's one builder,
 * at most 1, 2 or 4 builds on it at once; speed-up against one at a time.
 */
final class ParallelBenchmark implements Benchmark {
    private static final String PROFILE = "slow";
    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    private static final int[][] CASES = {{1, 1}, {2, 1}, {2, 2}, {4, 1}, {4, 2}, {4, 4}};
    /**
     * Unmounts what the builds left of the MN's export at the builder's /install (lazily when busy), never the
     * host's own folder under it; prints how many mounts it took off.
     */
    private static final String UNMOUNT_LEFTOVERS = "n=0; while [ $n -lt 10 ] && findmnt -rn -o TARGET,FSTYPE"
            + " | awk '$1 == \"/install\" && $2 ~ /^(fuse\\.sshfs|nfs)/ { f = 1 } END { exit !f }'; do"
            + " umount /install 2>/dev/null || umount -l /install; n=$((n + 1)); done; echo $n";

    @Override
    public String name() {
        return "parallel";
    }

    @Override
    public Table run(Testbed testbed, int repetitions) throws Exception {
        Table table = new Table("Parallel builds on one builder (N = " + repetitions + ", image "
                + Testbed.sourceImage(PROFILE) + ")", "builds", "per builder", "succeeded", "/install mounts",
                "failed cleanups", "left mounted", "seconds", "CPU s per build: controller + hosts",
                "speed-up vs 1 at a time", "CPU bound on the speed-up");
        Set<String> failures = new LinkedHashSet<>();
        double[] sequential = new double[5];
        // per step of the 4-build cases, its durations at 1 and at 4 builds at a time
        Map<Integer, Map<String, List<Double>>> steps = Map.of(1, new LinkedHashMap<>(), 4, new LinkedHashMap<>());
        try (Connection builder = testbed.transports().connect(testbed.builder())) {
            Exec onBuilder = Exec.on(builder, Duration.ofMinutes(2));
            for (int[] c : CASES) {
                int builds = c[0];
                int perBuilder = c[1];
                List<Double> times = new ArrayList<>();
                List<CpuTime> cpu = new ArrayList<>();
                int succeeded = 0;
                int left = 0;
                int failedCleanups = 0;
                Map<String, Integer> mounts = new TreeMap<>();
                for (int r = 0; r < repetitions; r++) {
                    BuildMatrix.Builder matrix = BuildMatrix.builder().maxParallel(4).perBuilder(perBuilder);
                    for (int i = 1; i <= builds; i++) {
                        matrix.add(testbed.build(PROFILE, "benchpar" + i));
                    }
                    CpuTime before = CpuTime.now();
                    long start = System.nanoTime();
                    List<BuildMatrix.Result> results = matrix.build().run();
                    times.add((System.nanoTime() - start) / 1e9);
                    cpu.add(CpuTime.now().since(before));
                    left += Integer.parseInt(onBuilder.check(Benchmark.sh(UNMOUNT_LEFTOVERS)).stdout().text().strip());
                    for (BuildMatrix.Result result : results) {
                        RunReport report = result.report();
                        if (builds == 4 && steps.containsKey(perBuilder)) {
                            record(steps.get(perBuilder), report);
                        }
                        report.values().stream().filter(v -> v.key().equals(BuildKeys.MOUNT_STATE.name()))
                                .forEach(v -> mounts.merge(v.json().orElse("?").replace("\"", ""), 1, Integer::sum));
                        for (RunReport.CleanupReport cleanup : report.cleanups()) {
                            if (cleanup.status() == StepStatus.FAILED) {
                                failedCleanups++;
                            }
                            // A failed cleanup that is not already the run's failure gets a note of its own.
                            if (cleanup.status() == StepStatus.FAILED
                                    && report.failure().flatMap(RunReport.Failure::cleanup).isEmpty()) {
                                failures.add(builds + " builds, " + perBuilder + " per builder: cleanup '"
                                        + cleanup.description() + "' failed: " + cleanup.failure()
                                                .map(f -> oneLine(f.message())).orElse("(no message)"));
                            }
                        }
                        if (report.succeeded()) {
                            succeeded++;
                        } else {
                            failures.add(builds + " builds, " + perBuilder + " per builder: "
                                    + result.build().target() + " failed in " + report.failure()
                                            .map(f -> f.step() + ": " + oneLine(f.message()))
                                            .orElse(report.outcome().toString()));
                        }
                    }
                }
                Stats s = Stats.of(times);
                if (perBuilder == 1) {
                    sequential[builds] = s.median();
                }
                double jvm = Stats.of(cpu.stream().map(t -> t.jvmSeconds() / builds).toList()).median();
                double hosts = Stats.of(cpu.stream().map(t -> t.hostsSeconds() / builds).toList()).median();
                // no schedule runs these builds in less wall time than their CPU time spread over every CPU
                double floor = (jvm + hosts) * builds / CPUS;
                table.row(builds, perBuilder, succeeded + "/" + builds * repetitions,
                        mounts.toString().replaceAll("[{}]", "").replace('=', ' '), failedCleanups, left,
                        s.format("%.2f"), String.format(Locale.ROOT, "%.2f + %.2f", jvm, hosts),
                        String.format(Locale.ROOT, "%.2f×", sequential[builds] / s.median()),
                        String.format(Locale.ROOT, "≤ %.2f×", Math.min(builds, sequential[builds] / floor)));
            }
        } finally {
            try (Connection mn = testbed.transports().connect(testbed.mn())) {
                Exec onMn = Exec.on(mn, Duration.ofMinutes(2));
                testbed.forget(onMn, "benchpar1", "benchpar2", "benchpar3", "benchpar4");
            }
        }
        table.note("Speed-up: median of the same builds one at a time over this median. Each build runs the whole"
                + " pipeline; the slow profile's genimage sleeps 8 s in all, as a real one waits on its downloads.");
        table.note("CPU s per build: CPU seconds the whole machine spent during the matrix, per build, split into this"
                + " JVM (the controller) and everything else (the testbed hosts: sshd, shells, the xCAT stand-ins,"
                + " genimage), medians. CPU bound: no schedule runs the builds in less time than their CPU seconds"
                + " spread over the machine's " + CPUS + " CPUs, so the speed-up cannot pass one-at-a-time's time"
                + " over that (nor the number of builds). The hosts' share counts whatever else the machine ran meanwhile: a"
                + " figure for a quiet machine only. On a site the MN and the builder are machines of their own.");
        table.note("/install mounts: how each build's mount step found the builder's /install (BuildKeys.MOUNT_STATE):"
                + " \"mounted\" mounted the MN's export itself; \"shared\" found another build's crossgen mount and"
                + " joined its lease (the last build out unmounts); \"reused\" found an admin's mount, which stays."
                + " Left mounted: MN exports still on the builder's"
                + " /install after the matrix ended, summed over the runs (the benchmark unmounts them before the"
                + " next run).");
        table.note("Where the time of 4 builds goes, step by step, median seconds 1 at a time → 4 at a time: "
                + stepMedians(steps.get(1), steps.get(4)) + ". \"(whole run)\": the report's duration, less than"
                + " the sum of its steps where steps ran at once.");
        failures.forEach(f -> table.note("Failure: " + f));
        return table;
    }

    /** Adds the durations of the report's steps, its cleanups (summed) and the whole run. */
    private static void record(Map<String, List<Double>> into, RunReport report) {
        for (RunReport.StepReport step : report.steps()) {
            into.computeIfAbsent(step.name(), k -> new ArrayList<>()).add(seconds(step.duration()));
        }
        double cleanups = report.cleanups().stream().mapToDouble(c -> seconds(c.duration())).sum();
        into.computeIfAbsent("(cleanups)", k -> new ArrayList<>()).add(cleanups);
        into.computeIfAbsent("(whole run)", k -> new ArrayList<>()).add(seconds(report.duration()));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String stepMedians(Map<String, List<Double>> one, Map<String, List<Double>> four) {
        List<String> parts = new ArrayList<>();
        for (String step : one.keySet()) {
            List<Double> at4 = four.get(step);
            parts.add(String.format(Locale.ROOT, "%s %.2f → %s", step, Stats.of(one.get(step)).median(),
                    at4 == null ? "-" : String.format(Locale.ROOT, "%.2f", Stats.of(at4).median())));
        }
        return String.join(", ", parts);
    }

    private static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s*\\n\\s*", " ");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
