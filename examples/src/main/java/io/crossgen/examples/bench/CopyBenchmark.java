package io.crossgen.examples.bench;

import io.crossgen.examples.Testbed;

import io.crossgen.command.Shell;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.TarRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Copy throughput MN → builder: crossgen's {@link TarRelay} (through this JVM, one SSH connection per host)
 * against scp, {@code scp -O}, an ssh tar pipe and rsync run on the builder, pulling from xcatmn.
 */
final class CopyBenchmark implements Benchmark {
    private static final String SRC = "/root/crossgen-bench-src";
    private static final String DST = "/root/crossgen-bench-copy";
    private static final Duration LIMIT = Duration.ofMinutes(15);
    /**
     * Runs {@code $1} in a fresh destination {@code $2}; prints its exit status, the nanoseconds it took and the
     * regular files that landed.
     */
    private static final String TIMED = "rm -rf \"$2\" && mkdir -p \"$2\" && cd \"$2\" && s=$(date +%s%N)"
            + " && { eval \"$1\"; rc=$?; } && e=$(date +%s%N) && echo \"$rc $((e - s)) $(find . -type f | wc -l)\"";
    private static final String FILES = "find \"$1\" -type f | wc -l";

    private record Data(String label, String root, List<String> paths) {
        List<String> remotePaths() {
            return paths.stream().map(p -> "xcatmn:" + root + "/" + p).toList();
        }
    }

    private static final Map<String, BiFunction<Data, String, String>> SYSTEM_TOOLS = new LinkedHashMap<>();

    static {
        SYSTEM_TOOLS.put("scp -r", (d, dst) -> join(List.of("scp", "-q", "-r"), d.remotePaths(), List.of(dst)));
        SYSTEM_TOOLS.put("scp -O -r", (d, dst) -> join(List.of("scp", "-q", "-O", "-r"), d.remotePaths(),
                List.of(dst)));
        SYSTEM_TOOLS.put("ssh xcatmn tar c | tar x", (d, dst) -> join(List.of("ssh", "-n", "xcatmn", "tar", "-c",
                "-f", "-", "-C", d.root(), "--"), d.paths(), List.of()) + " | tar -x -f - -C " + Shell.quote(dst));
        SYSTEM_TOOLS.put("rsync -a", (d, dst) -> join(List.of("rsync", "-a"), d.remotePaths(), List.of(dst + "/")));
    }

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public Table run(Testbed testbed, int repetitions) throws Exception {
        Table table = new Table("Copy throughput MN → builder (N = " + repetitions + ")",
                "data", "tool", "exit", "files landed", "seconds", "MB/s");
        List<Data> data = List.of(
                new Data("netboot + lib/perl", "/opt/xcat", List.of("share/xcat/netboot", "lib/perl")),
                new Data("1000 files × 20 KiB", SRC, List.of("small")),
                new Data("1 file of 200 MiB", SRC, List.of("big.bin")));
        try (Connection mn = testbed.transports().connect(testbed.mn());
                Connection builder = testbed.transports().connect(testbed.builder())) {
            Exec onMn = Exec.on(mn, LIMIT);
            Exec onBuilder = Exec.on(builder, LIMIT);
            try {
                onMn.check(Benchmark.sh("rm -rf \"$1\" && mkdir -p \"$1/small\" && cd \"$1\""
                        + " && for i in $(seq 1 1000); do head -c 20480 /dev/urandom > small/f$i; done"
                        + " && head -c 209715200 /dev/urandom > big.bin", SRC));
                for (Data d : data) {
                    String[] size = onMn.check(Benchmark.sh("cd \"$1\" && shift && find \"$@\" -type f -printf '%s\\n'"
                            + " | awk '{ n++; s += $1 } END { print n, s }'", prepend(d.root(), d.paths())))
                            .stdout().text().strip().split(" ");
                    long bytes = Long.parseLong(size[1]);
                    table.note(d.label() + ": " + size[0] + " regular file(s), " + mb(bytes) + " MB.");
                    // Untimed: the source into the MN's page cache, and this JVM's relay code warmed up.
                    TarRelay.of(d.root(), DST, LIMIT).withPaths(d.paths()).run(mn, builder);
                    relay(table, d, bytes, testbed, mn, builder, onBuilder, repetitions);
                    for (var tool : SYSTEM_TOOLS.entrySet()) {
                        system(table, d, bytes, tool.getKey(), tool.getValue().apply(d, DST), onBuilder,
                                repetitions);
                    }
                }
            } finally {
                onMn.run(Benchmark.sh("rm -rf \"$1\"", SRC));
                onBuilder.run(Benchmark.sh("rm -rf \"$1\"", DST));
            }
        }
        table.note("Files landed: regular files on the builder after the last run. scp -O follows every symlink"
                + " (the netboot tree's directory links copy their targets again); scp -r follows links to files and"
                + " fails on links to folders; the others keep links as links.");
        table.note("Seconds: median (min–max) wall time of the copy alone, destination emptied before each run."
                + " MB/s: the source's regular-file bytes (10^6 B) over that time.");
        table.note("crossgen's stream goes MN → this JVM → builder (two SSH hops through the controller);"
                + " the system tools run on the builder and pull from xcatmn directly, each including its own SSH"
                + " handshake. \"+ connect\" rows include opening both of crossgen's SSH connections; the other"
                + " crossgen rows reuse one connection per host, as a build does.");
        return table;
    }

    private static void relay(Table table, Data d, long bytes, Testbed testbed, Connection mn, Connection builder,
            Exec onBuilder, int repetitions) throws InterruptedException {
        TarRelay relay = TarRelay.of(d.root(), DST, LIMIT).withPaths(d.paths());
        List<Double> warm = new ArrayList<>();
        List<Double> cold = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
            onBuilder.check(Benchmark.sh("rm -rf \"$1\"", DST));
            long start = System.nanoTime();
            relay.run(mn, builder);
            warm.add(seconds(start));
            onBuilder.check(Benchmark.sh("rm -rf \"$1\"", DST));
            start = System.nanoTime();
            try (Connection m = testbed.transports().connect(testbed.mn());
                    Connection b = testbed.transports().connect(testbed.builder())) {
                relay.run(m, b);
            }
            cold.add(seconds(start));
        }
        String files = onBuilder.check(Benchmark.sh(FILES, DST)).stdout().text().strip();
        addRow(table, d, bytes, "crossgen TarRelay", "0", files, warm);
        addRow(table, d, bytes, "crossgen TarRelay + connect", "0", files, cold);
    }

    private static void system(Table table, Data d, long bytes, String tool, String command, Exec onBuilder,
            int repetitions) throws InterruptedException {
        List<Double> times = new ArrayList<>();
        Set<String> exits = new LinkedHashSet<>();
        String firstError = null;
        String files = "";
        for (int i = 0; i < repetitions; i++) {
            ExecResult r = onBuilder.check(Benchmark.sh(TIMED, command, DST));
            String[] out = r.stdout().text().strip().split(" ");
            exits.add(out[0]);
            times.add(Long.parseLong(out[1]) / 1e9);
            files = out[2];
            if (!out[0].equals("0") && firstError == null) {
                firstError = r.stderr().lines().stream().findFirst().orElse("(no message)");
            }
        }
        addRow(table, d, bytes, tool, String.join(", ", exits), files, times);
        if (firstError != null) {
            table.note(tool + " on " + d.label() + " exited " + String.join(", ", exits) + ": `" + firstError + "`");
        }
    }

    private static void addRow(Table table, Data d, long bytes, String tool, String exit, String files,
            List<Double> times) {
        Stats s = Stats.of(times);
        table.row(d.label(), tool, exit, files, s.format("%.2f"), s.map(t -> bytes / 1e6 / t).format("%.0f"));
    }

    private static String join(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return Shell.join(all);
    }

    private static String[] prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
