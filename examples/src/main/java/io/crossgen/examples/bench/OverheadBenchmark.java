package io.crossgen.examples.bench;

import io.crossgen.examples.Testbed;

import io.crossgen.build.CrossBuild;
import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.Host;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Overhead against a bash script: the manual procedure as {@code seed-procedure.sh} over the system ssh
 * client, against {@link CrossBuild#run} of the same image; and crossgen's plan time with a known definition.
 */
final class OverheadBenchmark implements Benchmark {
    private static final String PROFILE = "compute";
    private static final int PLANS = 20;

    @Override
    public String name() {
        return "overhead";
    }

    @Override
    public Table run(Testbed testbed, int repetitions) throws Exception {
        Table table = new Table("Overhead against the manual procedure as a bash script (N = " + repetitions
                + ", image " + Testbed.sourceImage(PROFILE) + ")", "what", "seconds");
        String script = script();
        List<Double> bash = new ArrayList<>();
        List<Double> crossgen = new ArrayList<>();
        try (Connection local = testbed.transports().connect(Host.local());
                Connection mn = testbed.transports().connect(testbed.mn())) {
            Exec exec = Exec.on(local, Duration.ofMinutes(15));
            Exec onMn = Exec.on(mn, Duration.ofMinutes(2));
            Command seed = Command.of("bash", "-c", script, "seed-procedure", testbed.sshConfig(),
                    Testbed.sourceImage(PROFILE), "benchbash");
            CrossBuild build = testbed.build(PROFILE, "benchcg");
            try {
                for (int i = 0; i < repetitions; i++) {
                    long start = System.nanoTime();
                    exec.check(seed);
                    bash.add(seconds(start));
                    start = System.nanoTime();
                    RunReport report = build.run(Listeners.none());
                    crossgen.add(seconds(start));
                    if (!report.succeeded()) {
                        throw new IllegalStateException("crossgen's build failed: " + report.summary());
                    }
                }
            } finally {
                testbed.forget(onMn, "benchbash", "benchcg");
            }
            OsImage definition = StanzaCodec.readOne(onMn.check(Command.of("lsdef", "-t", "osimage", "-z",
                    Testbed.sourceImage(PROFILE))).stdout().text(), "lsdef");
            CrossBuild planned = CrossBuild.from(definition).as("benchplan")
                    .managementNode(testbed.mn().toString()).builderReachesManagementNodeAs("xcatmn")
                    .builderNode(testbed.builder().toString()).transports(testbed.transports()).build();
            List<Double> plans = new ArrayList<>();
            for (int i = 0; i < PLANS; i++) {
                long start = System.nanoTime();
                planned.plan();
                plans.add(seconds(start) * 1000);
            }
            Stats b = Stats.of(bash);
            Stats c = Stats.of(crossgen);
            table.row("bash script (7 steps; 8 ssh connections from here, 1 builder → MN)", b.format("%.2f"));
            table.row("crossgen `CrossBuild.run`", c.format("%.2f"));
            table.row("difference of the medians", String.format(Locale.ROOT, "%+.2f",
                    c.median() - b.median()));
            table.row("crossgen `CrossBuild.plan()`, definition given, in **milliseconds** (" + PLANS
                    + " plans, the first one cold)",
                    Stats.of(plans).format("%.1f"));
            table.note("crossgen does more than the script: it reads the definition, checks the builder (arch, OS"
                    + " release, tools), takes a lock on the MN, proves the mount with a probe file, copies external"
                    + " files and always unmounts; the run opens its own SSH connections, and they are counted.");
        }
        return table;
    }

    private static String script() throws IOException {
        try (InputStream in = OverheadBenchmark.class.getResourceAsStream("seed-procedure.sh")) {
            if (in == null) {
                throw new IllegalStateException("seed-procedure.sh is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
