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
import io.crossgen.transport.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Overhead against a bash script: the manual procedure as {@code seed-procedure.sh} over the system ssh
 * client, against the crossgen command line ({@code ./crossgen run}, a JVM of its own, its start included) and
 * {@link CrossBuild#run} in this JVM, side by side in each repetition, with every xCAT client call of the stand-ins
 * made to cost {@link #XCAT_DELAY} (as a real MN's do: Perl start and an SSL round trip to xcatd); then the command
 * line's time outside its pipeline (the process's time minus the run its report gives), where the command line's
 * run time goes, per step, and crossgen's plan time with a known definition.
 */
final class OverheadBenchmark implements Benchmark {
    private static final String PROFILE = "compute";
    private static final int PLANS = 20;
    /** What each xCAT client call of the stand-ins costs during this benchmark. */
    static final String XCAT_DELAY = "0.3";

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
        List<Double> cli = new ArrayList<>();
        List<Double> crossgen = new ArrayList<>();
        List<Double> outside = new ArrayList<>();
        List<CpuTime> bashCpu = new ArrayList<>();
        List<CpuTime> cliCpu = new ArrayList<>();
        List<CpuTime> crossgenCpu = new ArrayList<>();
        RunReport last = null;
        Path delay = testbed.mnFile("/opt/xcat/standin/latency");
        Optional<String> before = Files.exists(delay) ? Optional.of(Files.readString(delay)) : Optional.empty();
        Path report = Files.createTempFile("crossgen-overhead", ".json");
        try (Connection local = testbed.transports().connect(Host.local());
                Connection mn = testbed.transports().connect(testbed.mn())) {
            Exec exec = Exec.on(local, Duration.ofMinutes(15));
            Exec onMn = Exec.on(mn, Duration.ofMinutes(2));
            Command seed = Command.of("bash", "-c", script, "seed-procedure", testbed.sshConfig(),
                    Testbed.sourceImage(PROFILE), "benchbash");
            Command run = Command.of(Testbed.projectRoot().resolve("crossgen").toString(), "run", "--source",
                    Testbed.sourceImage(PROFILE), "--as", "benchcli", "--mn", testbed.mn().toString(), "--builder",
                    testbed.builder().toString(), "--known-hosts", testbed.get("TESTBED_KNOWN_HOSTS"), "--identity",
                    testbed.get("TESTBED_KEY"), "--replace", "--report", report.toString());
            CrossBuild build = testbed.build(PROFILE, "benchcg");
            Files.writeString(delay, XCAT_DELAY + "\n");
            try {
                for (int i = 0; i < repetitions; i++) {
                    // each one defines its image anew and builds it from nothing, as the script's mkdef -f does
                    testbed.forget(onMn, "benchbash", "benchcli", "benchcg");
                    CpuTime cpu = CpuTime.now();
                    long start = System.nanoTime();
                    exec.check(seed);
                    bash.add(seconds(start));
                    bashCpu.add(CpuTime.now().since(cpu));
                    cpu = CpuTime.now();
                    start = System.nanoTime();
                    ExecResult r = exec.run(run);
                    cli.add(seconds(start));
                    cliCpu.add(CpuTime.now().since(cpu));
                    if (!r.isSuccess()) {
                        throw new IllegalStateException("./crossgen run failed (" + r.exit().describe() + "): "
                                + r.stdout().text() + r.stderr().text());
                    }
                    last = RunReport.fromJson(Files.readString(report));
                    outside.add(cli.get(i) - last.duration().toNanos() / 1e9);
                    cpu = CpuTime.now();
                    start = System.nanoTime();
                    RunReport inProcess = build.run(Listeners.none());
                    crossgen.add(seconds(start));
                    crossgenCpu.add(CpuTime.now().since(cpu));
                    if (!inProcess.succeeded()) {
                        throw new IllegalStateException("crossgen's build failed: " + inProcess.summary());
                    }
                }
            } finally {
                if (before.isPresent()) {
                    Files.writeString(delay, before.get());
                } else {
                    Files.deleteIfExists(delay);
                }
                Files.deleteIfExists(report);
                testbed.forget(onMn, "benchbash", "benchcli", "benchcg");
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
            Stats l = Stats.of(cli);
            Stats c = Stats.of(crossgen);
            table.row("bash script (7 steps; 8 ssh connections from here, 1 builder → MN; xCAT calls " + XCAT_DELAY
                    + " s each)", b.format("%.2f"));
            table.row("crossgen `./crossgen run`, whole process (JVM start included)", l.format("%.2f"));
            table.row("**ratio** `./crossgen run` / bash script (medians; target ≤ 0.6)",
                    String.format(Locale.ROOT, "%.2f×", l.median() / b.median()));
            table.row("`./crossgen run`'s process minus its own report's run (launcher, JVM start, options, journal,"
                    + " report, exit)", Stats.of(outside).format("%.2f"));
            table.row("crossgen `CrossBuild.run` in this JVM", c.format("%.2f"));
            table.row("ratio `CrossBuild.run` / bash script (medians)",
                    String.format(Locale.ROOT, "%.2f×", c.median() / b.median()));
            table.row("crossgen `CrossBuild.plan()`, definition given, in **milliseconds** (" + PLANS
                    + " plans, the first one cold)",
                    Stats.of(plans).format("%.1f"));
            table.note("Where the last `./crossgen run`'s time went (its report: step, seconds, xCAT calls, round trips): "
                    + where(last) + ".");
            table.note(String.format(Locale.ROOT, "CPU seconds the whole machine spent (medians; the controller, both"
                    + " testbed hosts and their xCAT stand-ins share its %d CPUs): bash script %.2f, `./crossgen run`"
                    + " %.2f, `CrossBuild.run` %.2f (of which this JVM %.2f).", Runtime.getRuntime().availableProcessors(),
                    machine(bashCpu), machine(cliCpu), machine(crossgenCpu),
                    Stats.of(crossgenCpu.stream().map(CpuTime::jvmSeconds).toList()).median()));
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

    /** {@code copy-definition 1.21 s 3 xCAT/4 trips, ...}: the steps and cleanups of a report. */
    private static String where(RunReport report) {
        List<String> parts = new ArrayList<>();
        for (RunReport.StepReport s : report.steps()) {
            parts.add(String.format(Locale.ROOT, "%s %.2f s %d/%d", s.name(), s.duration().toNanos() / 1e9,
                    s.xcatCalls(), s.roundTrips()));
        }
        Duration cleanups = report.cleanups().stream().map(RunReport.CleanupReport::duration)
                .reduce(Duration.ZERO, Duration::plus);
        parts.add(String.format(Locale.ROOT, "%d cleanups %.2f s %d/%d", report.cleanups().size(),
                cleanups.toNanos() / 1e9, report.cleanups().stream().mapToInt(RunReport.CleanupReport::xcatCalls).sum(),
                report.cleanups().stream().mapToInt(RunReport.CleanupReport::roundTrips).sum()));
        parts.add(String.format(Locale.ROOT, "run %.2f s", report.duration().toNanos() / 1e9));
        return String.join(", ", parts);
    }

    private static double machine(List<CpuTime> samples) {
        return Stats.of(samples.stream().map(CpuTime::machineSeconds).toList()).median();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
