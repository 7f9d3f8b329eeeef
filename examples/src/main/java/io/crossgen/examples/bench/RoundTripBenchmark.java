package io.crossgen.examples.bench;

import io.crossgen.examples.Testbed;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** SSH round trip: 100 × {@code true} over one crossgen SSH connection against 100 × {@code ssh builder true}. */
final class RoundTripBenchmark implements Benchmark {
    private static final int CALLS = 100;
    private static final Duration LIMIT = Duration.ofMinutes(1);

    @Override
    public String name() {
        return "roundtrip";
    }

    @Override
    public Table run(Testbed testbed, int repetitions) throws Exception {
        Table table = new Table("SSH round trip to the builder (N = " + repetitions + ", " + CALLS + " calls each)",
                "what", "ms per call", "seconds per " + CALLS);
        List<Double> connect = new ArrayList<>();
        List<Double> crossgen = new ArrayList<>();
        List<Double> system = new ArrayList<>();
        ProcessBuilder ssh = new ProcessBuilder(testbed.sshArgv("builder", "true")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            try (Connection c = testbed.transports().connect(testbed.builder())) {
                Exec exec = Exec.on(c, LIMIT);
                exec.check(Command.of("true"));
                connect.add(seconds(start));
                start = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    exec.check(Command.of("true"));
                }
                crossgen.add(seconds(start));
            }
            start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                int exit = ssh.start().waitFor();
                if (exit != 0) {
                    throw new IllegalStateException(ssh.command() + " exited " + exit);
                }
            }
            system.add(seconds(start));
        }
        table.row("crossgen: connect + first `true`", Stats.of(connect).map(s -> s * 1000).format("%.0f"), "");
        table.row("crossgen: `true` over the open connection", perCall(crossgen), Stats.of(crossgen).format("%.2f"));
        table.row("system client: `ssh builder true`", perCall(system), Stats.of(system).format("%.2f"));
        table.note("The system client makes a new connection (key exchange, authentication) for every call;"
                + " crossgen opens a channel on its one connection.");
        return table;
    }

    private static String perCall(List<Double> totals) {
        return Stats.of(totals).map(s -> s * 1000 / CALLS).format("%.1f");
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
