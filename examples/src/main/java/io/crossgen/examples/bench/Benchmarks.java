package io.crossgen.examples.bench;

import io.crossgen.examples.Testbed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs crossgen's benchmarks against the testbed and prints their figures as Markdown tables on stdout.
 *
 * <p>Usage: {@code Benchmarks [-n REPETITIONS] [copy|overhead|parallel|memory|roundtrip|start ...]} (all of them, 5
 * repetitions, by default). The testbed must be up ({@code testbed/up}); {@code bench/run} builds, brings it up
 * and runs each benchmark in a JVM of its own. Timings are reported, never asserted.
 */
public final class Benchmarks {
    private static final Map<String, Benchmark> ALL = new LinkedHashMap<>();

    static {
        for (Benchmark b : List.of(new CopyBenchmark(), new OverheadBenchmark(), new ParallelBenchmark(),
                new MemoryBenchmark(), new RoundTripBenchmark(), new StartBenchmark())) {
            ALL.put(b.name(), b);
        }
    }

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        int repetitions = 5;
        List<Benchmark> chosen = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-n") && i + 1 < args.length) {
                repetitions = Integer.parseInt(args[++i]);
                if (repetitions < 1) {
                    throw new IllegalArgumentException("-n needs at least 1 repetition, not " + repetitions);
                }
            } else if (ALL.containsKey(args[i])) {
                chosen.add(ALL.get(args[i]));
            } else {
                throw new IllegalArgumentException("unknown benchmark '" + args[i] + "'; known: "
                        + String.join(", ", ALL.keySet()) + " (and -n REPETITIONS)");
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(ALL.values());
        }
        Testbed testbed = Testbed.read();
        for (Benchmark b : chosen) {
            b.run(testbed, repetitions).print(System.out);
        }
    }
}
