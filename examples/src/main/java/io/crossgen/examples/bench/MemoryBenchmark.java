package io.crossgen.examples.bench;

import io.crossgen.examples.Testbed;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Host;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Memory under huge output: {@link Exec} with a line-counting listener over a command that prints 1 GiB in
 * lines of 100 bytes, locally and over SSH; the heap is sampled meanwhile. Meant for a JVM with a small heap
 * ({@code bench/run} gives it {@code -Xmx256m}).
 */
final class MemoryBenchmark implements Benchmark {
    private static final long GIB = 1L << 30;
    private static final Command GIB_OF_LINES = Benchmark.sh("yes \"$1\" | head -c \"$2\"", "x".repeat(99),
            Long.toString(GIB));
    private static final long MIB = 1L << 20;

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Table run(Testbed testbed, int repetitions) throws Exception {
        Table table = new Table("Memory under 1 GiB of output (N = " + repetitions + ", JVM max heap "
                + Runtime.getRuntime().maxMemory() / MIB + " MiB)", "transport", "lines counted", "peak heap used MiB",
                "heap after GC MiB", "seconds", "MB/s");
        for (Host host : List.of(Host.local(), testbed.builder())) {
            List<Double> peaks = new ArrayList<>();
            List<Double> retained = new ArrayList<>();
            List<Double> times = new ArrayList<>();
            long lines = 0;
            try (Connection c = testbed.transports().connect(host)) {
                for (int i = 0; i < repetitions; i++) {
                    LongAdder counted = new LongAdder();
                    Exec exec = Exec.on(c, Duration.ofMinutes(15)).withListener((stream, line) -> counted.increment());
                    System.gc();
                    HeapSampler sampler = HeapSampler.start();
                    long start = System.nanoTime();
                    ExecResult r;
                    try {
                        r = exec.check(GIB_OF_LINES);
                    } finally {
                        sampler.stop();
                    }
                    times.add((System.nanoTime() - start) / 1e9);
                    peaks.add(sampler.peak / (double) MIB);
                    System.gc();
                    retained.add(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (double) MIB);
                    if (r.stdout().totalBytes() != GIB) {
                        throw new IllegalStateException("read " + r.stdout().totalBytes() + " bytes, not " + GIB);
                    }
                    lines = counted.sum();
                }
            }
            Stats t = Stats.of(times);
            table.row(host.scheme().equals("local") ? "local" : "SSH (builder)", lines,
                    Stats.of(peaks).format("%.0f"), Stats.of(retained).format("%.0f"), t.format("%.2f"),
                    t.map(s -> GIB / 1e6 / s).format("%.0f"));
        }
        table.note("Command: `yes <99 x> | head -c 1073741824` (10737418 lines of 100 bytes and one of 24);"
                + " the listener only counts lines, Exec keeps its default bounded capture (1 MiB per stream).");
        table.note("Peak heap: the highest `MemoryMXBean` heap use sampled every 5 ms after a `System.gc()`,"
                + " garbage included; after GC: what is left once the run ended.");
        return table;
    }

    /** Samples the heap in use on a daemon thread and keeps the highest value. */
    private static final class HeapSampler implements Runnable {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final Thread thread = new Thread(this, "bench-heap-sampler");
        private volatile boolean running = true;
        private volatile long peak;

        static HeapSampler start() {
            HeapSampler s = new HeapSampler();
            s.thread.setDaemon(true);
            s.thread.start();
            return s;
        }

        @Override
        public void run() {
            while (running) {
                peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
