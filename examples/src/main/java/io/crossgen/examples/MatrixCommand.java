package io.crossgen.examples;

import io.crossgen.build.BuildMatrix;
import io.crossgen.build.BuildSpec;
import io.crossgen.image.ImageProblem;
import io.crossgen.pipeline.Plan;
import io.crossgen.transport.Host;
import io.crossgen.transport.Transports;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code crossgen matrix FILE}: plans or runs every build of a YAML build spec ({@link BuildSpec}) through
 * {@link BuildMatrix}, routed by architecture to the spec's pool of builders.
 *
 * <p>Exit status: 0 every build succeeded (or the plan was printed), 1 a build failed or was cancelled, 2 bad usage
 * or a spec refused (nothing ran), 130/143 cancelled by SIGINT/SIGTERM.
 */
@Command(name = "matrix", mixinStandardHelpOptions = true,
        description = "Plan or run every build of a YAML build spec over its pool of builders, routed by"
                + " architecture and OS release, with a live status and a summary table.")
final class MatrixCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the build spec (YAML, version: 1), e.g."
            + " examples/src/main/resources/samples/matrix.yaml")
    Path file;

    @Option(names = "--plan", description = "print every build's commands, on its first candidate builder; runs"
            + " nothing")
    boolean plan;

    @Option(names = "--only", paramLabel = "NAME", arity = "1..*", split = ",",
            description = "only these builds (names of the spec)")
    List<String> only = List.of();

    @Option(names = "--fail-fast", description = "at the first failed build, cancel the running ones and start no"
            + " other")
    boolean failFast;

    @Option(names = "--report", paramLabel = "DIR", description = "write each build's report as JSON to"
            + " DIR/NAME.json")
    Path reports;

    @Option(names = "--cleanup-budget", paramLabel = "DURATION", defaultValue = "PT2M",
            description = "after Ctrl-C or SIGTERM, how long the builds' cleanups may take before crossgen exits"
                    + " anyway, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration cleanupBudget;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file for SSH hosts")
    Path knownHosts;

    @Option(names = "--accept-new", description = "add unknown SSH host keys to known_hosts (a changed key is still"
            + " refused)")
    boolean acceptNew;

    @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key (unencrypted or agent-held)")
    Path identity;

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "ssh_config file to read host aliases from")
    Path sshConfig;

    /** The transports of {@code run}, with this command's SSH options. */
    private Transports transports() {
        Main.BuildOptions ssh = new Main.BuildOptions();
        ssh.knownHosts = knownHosts;
        ssh.acceptNew = acceptNew;
        ssh.identity = identity;
        ssh.sshConfig = sshConfig;
        return ssh.transports();
    }

    @Override
    public Integer call() throws Exception {
        if (cleanupBudget.isZero() || cleanupBudget.isNegative()) {
            throw new IllegalArgumentException("--cleanup-budget must be positive, not " + cleanupBudget);
        }
        BuildSpec s = BuildSpec.read(file);
        if (!only.isEmpty()) {
            s = s.only(only);
        }
        Transports t = transports();
        List<Host> hosts = new ArrayList<>(List.of(s.managementNode()));
        s.builders().forEach(b -> hosts.add(b.host()));
        for (Host h : hosts) {
            if (t.provider(h.scheme()).isEmpty()) {
                throw new IllegalArgumentException(file + ": " + h + ": " + Wording.schemes(t));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        return plan ? plan(s, t, out) : run(s, t, out);
    }

    private int plan(BuildSpec s, Transports t, PrintWriter out) throws InterruptedException {
        int bad = 0;
        for (BuildSpec.Build b : s.builds()) {
            List<ImageProblem> problems = b.definition().map(d -> d.validateForStateless()).orElse(List.of());
            problems.forEach(p -> out.println("# problem of build " + b.name() + ": " + p));
            bad += problems.size();
        }
        if (bad > 0) {
            out.flush();
            return 1;
        }
        List<BuildMatrix.Routed> routed = s.matrix(t, true).build().firstChoices();
        out.println("# crossgen matrix " + file + ": " + routed.size() + " build(s) over " + s.builders().size()
                + " builder(s), at most " + s.maxParallel() + " at once");
        for (BuildMatrix.Routed r : routed) {
            Plan p = r.build().plan();
            out.println();
            out.println("# ==== build " + r.build().target() + " from " + r.build().source() + " on "
                    + r.build().builderNode().label() + (r.emulated() ? " (emulated)" : "") + "; candidates: "
                    + r.candidates().stream().map(Host::label).collect(Collectors.joining(", ")));
            out.print(p.toScript());
        }
        out.flush();
        return 0;
    }

    private int run(BuildSpec s, Transports t, PrintWriter out) throws Exception {
        if (reports != null) {
            Files.createDirectories(reports);
        }
        MatrixStatus status = new MatrixStatus(out, s.names(), System.console() != null);
        BuildMatrix matrix = s.matrix(t, false).failFast(failFast).listenerPerBuild(status::listener).build();
        AtomicReference<List<BuildMatrix.Result>> results = new AtomicReference<>();
        AtomicReference<RuntimeException> crash = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                results.set(matrix.run());
            } catch (RuntimeException e) {
                crash.set(e);
            }
        }, "crossgen-matrix");
        CancelOnSignal.Cancellable cancel = new CancelOnSignal.Cancellable() {
            @Override
            public void cancel() {
                runner.interrupt();
            }

            @Override
            public List<String> pendingCleanups() {
                return List.of();
            }

            @Override
            public String name() {
                return "every build of " + file;
            }
        };
        try (CancelOnSignal signals = CancelOnSignal.install(cancel, spec.commandLine().getErr(), cleanupBudget)) {
            runner.start();
            joinCancellingOnInterrupt(runner);
            if (crash.get() != null) {
                throw crash.get();
            }
            out.println();
            out.print(MatrixStatus.summary(results.get()));
            if (reports != null) {
                for (BuildMatrix.Result r : results.get()) {
                    Files.writeString(reports.resolve(r.build().target() + ".json"), r.report().toJson());
                }
                out.println("reports in " + reports);
            }
            signals.signal().ifPresent(sig -> out.println("cancelled by " + sig));
            out.flush();
            long failed = results.get().stream().filter(r -> !r.report().succeeded()).count();
            return failed == 0 ? 0 : 1;
        }
    }

    /** Waits for the matrix thread; an interrupt of this thread cancels the matrix, which still ends cleanly. */
    private static void joinCancellingOnInterrupt(Thread runner) throws InterruptedException {
        boolean interrupted = false;
        while (true) {
            try {
                runner.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                runner.interrupt();
            }
        }
        if (interrupted) {
            throw new InterruptedException("interrupted; every build was cancelled and has cleaned up");
        }
    }

}
