package io.crossgen.examples;

import io.crossgen.CrossgenException;
import io.crossgen.build.BuildRoles;
import io.crossgen.build.BuildKeys;
import io.crossgen.build.CopyDefinition;
import io.crossgen.build.CrossBuild;
import io.crossgen.build.Emulation;
import io.crossgen.build.Generate;
import io.crossgen.build.Mount;
import io.crossgen.build.Preflight;
import io.crossgen.build.RefusedException;
import io.crossgen.build.RunJournal;
import io.crossgen.build.RunLeftovers;
import io.crossgen.build.RunOwner;
import io.crossgen.build.SitePaths;
import io.crossgen.build.Unmount;
import io.crossgen.image.FileRef;
import io.crossgen.image.ImageProblem;
import io.crossgen.image.OsImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.image.YamlCodec;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.Pipeline;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.PipelineRunner;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.Plan;
import io.crossgen.pipeline.RunHandle;
import io.crossgen.pipeline.RunReport;
import io.crossgen.transport.Host;
import io.crossgen.transport.Timeouts;
import io.crossgen.transport.Transports;
import io.crossgen.transport.ssh.HostKeyPolicy;
import io.crossgen.transport.ssh.SshIdentity;
import io.crossgen.transport.ssh.SshSettings;
import io.crossgen.transport.ssh.SshTransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code crossgen} command line: plan, run, validate and convert xCAT osimage cross builds.
 *
 * <p>Exit status: 0 success, 1 the build (or a validation) failed, 2 bad usage or input, 3 a check refused the
 * build before it changed anything ({@link io.crossgen.build.RefusedException}: preflight, the image's lock, an
 * existing osimage with other attributes), 130 interrupted by SIGINT (Ctrl-C), 143 stopped by SIGTERM.
 */
@Command(name = "crossgen", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "Build xCAT stateless images on a builder node of another architecture or OS release.",
        footerHeading = "%nExit status:%n", footer = {"  0    ok", "  1    the build failed", "  2    bad usage or input",
                "  3    refused by a check (preflight, the image's lock, an existing image)",
                "  130  interrupted (Ctrl-C)", "  143  stopped by SIGTERM"})
public final class Main {
    /** What {@code crossgen --version} prints. */
    static final String VERSION = "crossgen 0.1.0-SNAPSHOT";
    /** The subcommands, in the order the help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(PlanCommand.class, RunCommand.class, StatusCommand.class,
            ResumeCommand.class, UnlockCommand.class, ValidateCommand.class, ConvertCommand.class,
            MatrixCommand.class, InspectCommand.class, DiffCommand.class, CommandLine.HelpCommand.class);
    /** The sample definition bundled in this jar, used when no --definition is given. */
    static final String SAMPLE = "samples/rhels8.8.0-ppc64le-netboot-compute.stanza";
    /** The new image's name in plans of the sample when no --as is given. */
    static final String SAMPLE_TARGET = "mycomputeimage";
    /** The builder of plans of the sample when no --builder is given. */
    static final String SAMPLE_BUILDER = "ssh://root@p9node01";

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // picocli's answer, without the start-up cost of building the command model first
            System.out.println(VERSION);
            System.exit(0);
        }
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given output and error writers and returns its exit status. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        // Only the subcommand the first argument names is modelled (picocli reads each one's annotations at start);
        // all of them when it names none or help, for the help and error messages that list them.
        String first = args.length == 0 ? "" : args[0];
        for (Class<?> subcommand : SUBCOMMANDS) {
            if (subcommand != CommandLine.HelpCommand.class && name(subcommand).equals(first)) {
                cli.addSubcommand(subcommand);
            }
        }
        if (cli.getSubcommands().isEmpty()) {
            SUBCOMMANDS.forEach(cli::addSubcommand);
        }
        cli.setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CrossgenException || e instanceof IllegalArgumentException) {
                line.getErr().println("crossgen: " + Wording.describe(e));
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    private static String name(Class<?> subcommand) {
        return subcommand.getAnnotation(Command.class).name();
    }

    /** Reads osimage definitions from a stanza (.stanza, .stanzas, lsdef -z output) or YAML (.yaml/.yml) file. */
    static List<OsImage> read(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") ? YamlCodec.read(file) : StanzaCodec.read(file);
    }

    /** The options that say which build: definition, names, hosts, mount, SSH settings. */
    static final class BuildOptions {
        @Option(names = "--definition", paramLabel = "FILE",
                description = "osimage definition (stanza or YAML) of the source image; default: the bundled sample "
                        + SAMPLE + ". For run, the MN's own definition (lsdef) is what is copied.")
        Path definition;

        @Option(names = "--source", paramLabel = "NAME",
                description = "source osimage (default: the only image of the definition)")
        String source;

        @Option(names = "--as", paramLabel = "NAME",
                description = "name of the new osimage (required for run; plan's default: " + SAMPLE_TARGET + ")")
        String target;

        @Option(names = "--mn", paramLabel = "URI", defaultValue = "local:",
                description = "management node (default: ${DEFAULT-VALUE}, this machine)")
        String managementNode;

        @Option(names = "--mn-name", paramLabel = "NAME", defaultValue = "xcatmn",
                description = "the name the builder knows the MN by (default: ${DEFAULT-VALUE})")
        String managementNodeName;

        @Option(names = "--builder", paramLabel = "URI",
                description = "builder node, ssh://[user@]host[:port] (required for run; plan's default: "
                        + SAMPLE_BUILDER + ")")
        String builder;

        @Option(names = "--replace", description = "replace the new osimage's definition when it exists with other"
                + " attributes (mkdef -f)")
        boolean replace;

        @Option(names = "--existing-image", description = "build the new osimage as it is defined on the MN,"
                + " without copying the source's definition")
        boolean existingImage;

        @Option(names = "--mount", paramLabel = "KIND", defaultValue = "nfs",
                description = "how the builder gets /install: nfs, sshfs or none (default: ${DEFAULT-VALUE})")
        String mount;

        @Option(names = "--waive", paramLabel = "CHECK", split = ",",
                description = "preflight checks to waive, e.g. os-release when building under qemu-user")
        List<String> waived = List.of();

        @Option(names = "--emulate", description = "let the builder be of another architecture, running the image's"
                + " binaries through its binfmt_misc qemu-user (checked by preflight; rh family, xCAT >= 2.17)")
        boolean emulate;

        @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file for SSH hosts")
        Path knownHosts;

        @Option(names = "--accept-new", description = "add unknown SSH host keys to known_hosts (a changed key is still refused)")
        boolean acceptNew;

        @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key (unencrypted or agent-held)")
        Path identity;

        @Option(names = "--ssh-config", paramLabel = "FILE", description = "ssh_config file to read host aliases from")
        Path sshConfig;

        @Option(names = "--generate-timeout", paramLabel = "DURATION", defaultValue = "PT3H",
                description = "time limit of genimage on the builder, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration generateTimeout;

        /**
         * The source definition to plan from: the --definition file's image (the one named by --source, or its
         * only one), or the bundled sample when neither --definition nor --source is given. Empty when only
         * --source is given: the definition is then the MN's own (lsdef).
         */
        Optional<OsImage> definitionImage() throws IOException {
            if (definition == null && source != null) {
                return Optional.empty();
            }
            List<OsImage> images;
            if (definition == null) {
                try (InputStream in = Main.class.getClassLoader().getResourceAsStream(SAMPLE)) {
                    if (in == null) {
                        throw new IOException("the bundled sample " + SAMPLE + " is missing from the class path");
                    }
                    images = StanzaCodec.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), SAMPLE);
                }
            } else {
                images = read(definition);
            }
            String where = definition == null ? SAMPLE : definition.toString();
            if (source == null) {
                if (images.size() != 1) {
                    throw new IllegalArgumentException(where + " holds " + images.size()
                            + " images; name one with --source");
                }
                return Optional.of(images.get(0));
            }
            return Optional.of(images.stream().filter(i -> i.name().equals(source)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException(where + " has no image named '" + source + "'")));
        }

        /**
         * Checks what options alone can tell, before anything connects: options that exclude each other, and
         * (for run) the options a run needs and the hosts' schemes.
         *
         * @throws IllegalArgumentException naming the options
         */
        void check(boolean run) {
            if (replace && existingImage) {
                throw new IllegalArgumentException("--replace and --existing-image exclude each other: --replace"
                        + " defines the new osimage again, --existing-image builds it as it is defined");
            }
            if (!run) {
                return;
            }
            if (definition != null && source != null) {
                throw new IllegalArgumentException("--definition and --source exclude each other in run: run"
                        + " copies the MN's own definition of the source image; name it with --source, or with"
                        + " --definition FILE holding only that image");
            }
            if (target == null) {
                throw new IllegalArgumentException("run needs --as NAME, the name of the new osimage");
            }
            if (builder == null) {
                throw new IllegalArgumentException("run needs --builder URI, the builder node (e.g."
                        + " ssh://root@p9node01)");
            }
            Transports t = transports();
            checkScheme("--mn", managementNode, t);
            checkScheme("--builder", builder, t);
        }

        private static void checkScheme(String option, String uri, Transports transports) {
            String scheme = Host.parse(uri).scheme();
            if (transports.provider(scheme).isEmpty()) {
                throw new IllegalArgumentException(option + " " + uri + ": " + Wording.schemes(transports));
            }
        }

        Transports transports() {
            SshSettings.Builder ssh = SshSettings.builder();
            if (knownHosts != null) {
                ssh.knownHosts(knownHosts);
            }
            if (acceptNew) {
                ssh.hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW);
            }
            if (identity != null) {
                ssh.addIdentity(SshIdentity.of(identity));
            }
            if (sshConfig != null) {
                ssh.sshConfig(sshConfig);
            }
            return Transports.discover().with(new SshTransportProvider(ssh.build()));
        }

        Mount mountStrategy() {
            switch (mount) {
                case "nfs":
                    return Mount.nfs();
                case "sshfs":
                    return Mount.sshfs();
                case "none":
                    return Mount.none();
                default:
                    throw new IllegalArgumentException("--mount must be nfs, sshfs or none, not '" + mount + "'");
            }
        }

        /**
         * The build of the source image; {@code planFrom} is the definition a plan is made from (a run always
         * copies the MN's own definition).
         */
        CrossBuild build(Optional<OsImage> planFrom) throws IOException {
            String name = source != null ? source : definitionImage().orElseThrow().name();
            String newName = target != null ? target : SAMPLE_TARGET;
            CopyDefinition copy = CopyDefinition.of(name, newName).withReplace(replace);
            Preflight preflight = Preflight.defaults().withWaived(waived.toArray(String[]::new));
            return planFrom.map(CrossBuild::from).orElseGet(() -> CrossBuild.from(name)).as(newName)
                    .managementNode(managementNode)
                    .builderReachesManagementNodeAs(managementNodeName)
                    .builderNode(builder != null ? builder : SAMPLE_BUILDER)
                    .mount(mountStrategy())
                    .transports(transports())
                    .step(existingImage ? copy.withExistingImage() : copy)
                    .step(emulate ? preflight.withEmulation(Emulation.qemuUser()) : preflight)
                    .step(Generate.defaults().withTimeout(generateTimeout))
                    .build();
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Print what the cross build would do, step by step, with xCAT's commands verbatim; with"
                    + " --script every command as a runnable shell script. Runs nothing.",
            footerHeading = "%nExample:%n", footer = "  crossgen plan --source rhels8.8.0-ppc64le-netboot-compute"
                    + " --as mycomputeimage --builder ssh://root@p9node01 --script > build.sh")
    static final class PlanCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @ArgGroup(exclusive = false, heading = "Build%n")
        BuildOptions build = new BuildOptions();

        @Option(names = "--json", description = "print the plan as JSON")
        boolean json;

        @Option(names = "--script", description = "print every command as a shell script, each helper script"
                + " defined once at its top")
        boolean script;

        @Override
        public Integer call() throws Exception {
            build.check(false);
            Optional<OsImage> known = build.definitionImage();
            PrintWriter out = spec.commandLine().getOut();
            List<ImageProblem> problems = known.map(OsImage::validateForStateless).orElse(List.of());
            if (!problems.isEmpty()) {
                problems.forEach(p -> out.println("# problem: " + p));
                return 1;
            }
            Plan plan = build.build(known).plan();
            List<String> defaults = new ArrayList<>();
            if (build.target == null) {
                defaults.add("--as " + SAMPLE_TARGET);
            }
            if (build.builder == null) {
                defaults.add("--builder " + SAMPLE_BUILDER);
            }
            String text = json ? plan.toJson() : script ? plan.toScript() : plan.toSummary();
            if (!json && !defaults.isEmpty()) {   // in a script, after its #! line
                String label = "(sample values, as no option gave them: " + String.join(", ", defaults) + ")\n";
                int at = script ? text.indexOf('\n') + 1 : 0;
                text = text.substring(0, at) + (script ? "# " : "") + label + text.substring(at);
            }
            out.print(text);
            out.flush();
            return 0;
        }
    }

    /** {@code --journal DIR}: where runs are recorded ({@link RunJournal#defaults()} without it). */
    static final class JournalOption {
        @Option(names = "--journal", paramLabel = "DIR", description = "where runs are recorded, to resume or clean"
                + " up after an interruption (default: $XDG_STATE_HOME/crossgen/runs, ~/.local/state/crossgen/runs)")
        Path folder;

        RunJournal journal() {
            return folder == null ? RunJournal.defaults() : RunJournal.at(folder);
        }
    }

    /** How {@code run} and {@code resume} follow a started run: {@code --report}, {@code --cleanup-budget}. */
    static final class Following {
        @Option(names = "--report", paramLabel = "FILE", description = "also write the report as JSON to FILE")
        Path report;

        @Option(names = "--verbose", description = "show everything on the console: crossgen's helper scripts,"
                + " manifests and probes too (the full log of every run has them anyway)")
        boolean verbose;

        @Option(names = "--cleanup-budget", paramLabel = "DURATION", defaultValue = "PT2M",
                description = "after Ctrl-C or SIGTERM, how long the cleanups may take before crossgen exits"
                        + " anyway, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration cleanupBudget;

        void check() {
            Timeouts.positive("--cleanup-budget", cleanupBudget);
        }

        /**
         * The run's console: quiet (the build, a progress line on a terminal) or with {@code --verbose} everything,
         * plus the full log at {@code log}, which has everything whatever the console shows.
         */
        PipelineListener console(PrintWriter out, PrintWriter log) {
            return Listeners.all(verbose ? Listeners.console(out, Wording::describe)
                    : Listeners.quietConsole(out, Wording::describe, System.console() != null),
                    Listeners.console(log, Wording::describe));
        }

        /**
         * The full log of run {@code runId}: {@code console.log} in its journal folder, announced on {@code out}
         * after {@code lead}.
         */
        static PrintWriter log(RunJournal runs, String runId, PrintWriter out, String lead) throws IOException {
            Path file = runs.base().resolve(runId).resolve("console.log");
            Files.createDirectories(file.getParent());
            out.println(lead + "full log: " + file);
            return new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true);
        }

        /** The exit status of a finished run: 0 succeeded, 3 refused by a check, 1 failed otherwise. */
        static int status(RunReport result) {
            if (result.succeeded()) {
                return 0;
            }
            return result.failure().filter(f -> f.type().equals(RefusedException.class.getName())).isPresent() ? 3
                    : 1;
        }

        /**
         * Waits for a started run with Ctrl-C and SIGTERM turned into its cancel (cleanups within the budget),
         * then prints the summary and the full log's path, writes the report and gives the exit status.
         */
        int follow(CommandLine.Model.CommandSpec spec, RunHandle handle, String target, Path log)
                throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (CancelOnSignal signals = CancelOnSignal.install(handle, err, cleanupBudget)) {
                Optional<RunReport> done = Optional.empty();
                while (done.isEmpty()) {
                    done = handle.await(Duration.ofHours(1));
                }
                RunReport result = done.get();
                out.println();
                out.println(Wording.summary(result));
                signals.signal().ifPresent(s -> out.println("cancelled by " + s));
                if (!result.succeeded() && result.values().stream()
                        .anyMatch(v -> v.key().equals(BuildKeys.DEFINED.name()))) {
                    out.println("the new osimage " + target + " stays defined on the MN; remove it with: rmdef -t"
                            + " osimage -o " + target);
                }
                out.println("full log: " + log);
                out.flush();
                if (report != null) {
                    Files.writeString(report, result.toJson());
                }
                return status(result);
            }
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the cross build with live progress, then print the report. Needs --builder and --as.",
            footerHeading = "%nExample:%n", footer = "  crossgen run --source rhels8.8.0-ppc64le-netboot-compute --as"
                    + " mycomputeimage --builder ssh://root@p9node01 --mn-name xcatmn --replace")
    static final class RunCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @ArgGroup(exclusive = false, heading = "Build%n")
        BuildOptions build = new BuildOptions();

        @Mixin
        Following following = new Following();

        @Mixin
        JournalOption journal = new JournalOption();


        /** The {@code run} command as a journal entry recorded its options. */
        static RunCommand of(RunJournal.Entry entry) {
            RunCommand run = new RunCommand();
            new CommandLine(run).parseArgs(entry.command().toArray(String[]::new));
            return run;
        }

        /** The build under the journal's run id, which the report, locks, leases and folders on the hosts share. */
        CrossBuild build(String runId) throws IOException {
            return build.build(Optional.empty()).withRunId(runId);
        }

        @Override
        public Integer call() throws Exception {
            build.check(true);
            following.check();
            PrintWriter out = spec.commandLine().getOut();
            List<String> args = spec.commandLine().getParseResult().originalArgs();
            String runId = PipelineRunner.newRunId();
            RunJournal runs = journal.journal();
            CrossBuild b = build(runId);
            RunJournal.Entry entry = RunJournal.Entry.running(runId, build.target, build.managementNode,
                    build.builder, args.subList(args.indexOf("run") + 1, args.size()));
            try (PrintWriter log = Following.log(runs, runId, out, "run " + runId + " (journal "
                    + runs.base().resolve(runId) + "); ")) {
                RunHandle handle = b.start(Listeners.all(following.console(out, log), runs.recorder(entry)));
                return following.follow(spec, handle, b.target(), runs.base().resolve(runId).resolve("console.log"));
            }
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            footerHeading = "%nExample:%n", footer = "  crossgen status; crossgen resume 3f9c2a1e",
            description = "Finish an interrupted or failed run: attach to its genimage if it still runs, or restart"
                    + " from the failed step, then pack the image and clean up.")
    static final class ResumeCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "RUN", description = "the run id (crossgen status lists them)")
        String runId;

        @Mixin
        JournalOption journal = new JournalOption();

        @Mixin
        Following following = new Following();


        @Override
        public Integer call() throws Exception {
            following.check();
            PrintWriter out = spec.commandLine().getOut();
            RunJournal runs = journal.journal();
            RunJournal.Entry entry = runs.read(runId).orElseThrow(() -> new IllegalArgumentException("no run "
                    + runId + " in the journal " + runs.base() + "; `crossgen status` lists the runs"));
            RunOwner controller = entry.controller();
            if (controller.controller() == RunOwner.Liveness.ALIVE) {
                throw new IllegalArgumentException("run " + runId + " is still running (controller pid "
                        + entry.controllerPid() + " on host " + entry.controllerHost() + "); nothing to resume");
            }
            RunReport previous = runs.report(runId).orElseThrow(() -> new IllegalArgumentException("run " + runId
                    + " wrote no report to " + runs.base().resolve(runId) + "; run the build again"));
            if (previous.succeeded()) {
                out.println("run " + runId + " succeeded; nothing to resume");
                return 0;
            }
            CrossBuild b = RunCommand.of(entry).build(runId);
            out.println("resuming run " + runId + " of image " + entry.image() + " from step '"
                    + b.resumePoint(previous) + "'");
            RunJournal.Entry again = RunJournal.Entry.running(runId, entry.image(), entry.managementNode(),
                    entry.builder(), entry.command());
            try (PrintWriter log = Following.log(runs, runId, out, "")) {
                RunHandle handle = b.startResume(previous, Listeners.all(following.console(out, log),
                        runs.recorder(again)));
                return following.follow(spec, handle, b.target(), runs.base().resolve(runId).resolve("console.log"));
            }
        }
    }

    /** Runs {@code body} as one step against the build's MN and builder; its failure as the exception. */
    static void onHosts(BuildOptions build, PipelineListener listener, Step.Body body) {
        PipelineRunner runner = PipelineRunner.builder().transports(build.transports())
                .host(BuildRoles.MN, build.managementNode).host(BuildRoles.BUILDER, build.builder)
                .stepTimeout(Duration.ofMinutes(5)).listener(listener).build();
        runner.run(Pipeline.builder("crossgen-hosts").steps(List.of(Step.of("hosts", body))).build())
                .requireSuccess();
    }

    /** Prints the notes and warnings of a run, nothing else. */
    static PipelineListener notes(PrintWriter out) {
        return new PipelineListener() {
            @Override
            public void note(String step, String text) {
                out.println("  " + text);
            }

            @Override
            public void warning(String step, String message) {
                out.println("  warning: " + message);
            }
        };
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            footerHeading = "%nExample:%n", footer = "  crossgen status --mn local: --builder ssh://root@p9node01",
            description = "List the runs of the journal and, on the hosts, crossgen's locks, /install lease entries,"
                    + " detached genimages and mounts, each live or stale.")
    static final class StatusCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @ArgGroup(exclusive = false, heading = "Hosts%n")
        BuildOptions build = new BuildOptions();

        @Mixin
        JournalOption journal = new JournalOption();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            RunJournal runs = journal.journal();
            List<RunJournal.Entry> entries = runs.list();
            out.println("runs in " + runs.base() + ":" + (entries.isEmpty() ? " none" : ""));
            for (RunJournal.Entry e : entries) {
                RunOwner.Liveness c = e.controller().controller();
                String state = e.state().equals("running") ? (c == RunOwner.Liveness.ALIVE ? "running"
                        : c == RunOwner.Liveness.GONE ? "interrupted" : "running elsewhere?") : e.state();
                out.println("  " + e.runId() + "  " + e.image() + "  " + state + "  controller pid "
                        + e.controllerPid() + " on " + e.controllerHost() + "  builder " + e.builder());
            }
            var parsed = spec.commandLine().getParseResult();
            if (parsed.hasMatchedOption("--mn") || parsed.hasMatchedOption("--builder")) {
                AtomicReference<RunLeftovers> found = new AtomicReference<>();
                onHosts(build, Listeners.none(), c -> found.set(RunLeftovers.inspect(c)));
                out.print(found.get().describe(build.managementNode, build.builder));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            footerHeading = "%nExample:%n", footer = "  crossgen unlock mycomputeimage   # hosts of its last run",
            description = "Remove what an interrupted run of IMAGE left on the hosts (lock, /install lease entry and"
                    + " mount, mounts under the rootimg, run folder). Refuses while anything of that run is alive.")
    static final class UnlockCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "IMAGE", description = "the new osimage whose build was interrupted")
        String image;

        @Option(names = "--force", description = "stop the run's genimage (and its controller on this host) even"
                + " though it is alive, then remove its state")
        boolean force;

        @ArgGroup(exclusive = false, heading = "Hosts (default: those of the image's last run in the journal)%n")
        BuildOptions build = new BuildOptions();

        @Mixin
        JournalOption journal = new JournalOption();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            var parsed = spec.commandLine().getParseResult();
            BuildOptions hosts = build;
            Optional<RunJournal.Entry> last = journal.journal().list().stream().filter(e -> e.image().equals(image))
                    .findFirst();
            if (last.isPresent() && !parsed.hasMatchedOption("--mn") && !parsed.hasMatchedOption("--builder")) {
                hosts = RunCommand.of(last.get()).build;
            }
            if (force) {
                out.println("warning: --force stops whatever of the run still runs (its genimage on the builder, its"
                        + " crossgen process on this host) before removing its state");
            }
            BuildOptions h = hosts;
            List<String> done = new ArrayList<>();
            out.println("unlocking image " + image + " (MN " + h.managementNode + ", builder " + h.builder + ")");
            onHosts(h, notes(out), c -> done.addAll(RunLeftovers.unlock(c, image, force,
                    Unmount.of(h.mountStrategy(), h.managementNodeName))));
            done.forEach(d -> out.println("  " + d));
            out.flush();
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            footerHeading = "%nExample:%n", footer = "  lsdef -t osimage -z rhels8.8.0-ppc64le-netboot-compute >"
                    + " image.stanza; crossgen validate image.stanza",
            description = "Read osimage definitions and check that each can be built as a stateless image.")
    static final class ValidateCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "stanza or YAML files")
        List<Path> files;

        @Option(names = "--installdir", paramLabel = "DIR", defaultValue = "/install",
                description = "the MN's site.installdir: files below it are not external (default: ${DEFAULT-VALUE})")
        String installdir;

        @Option(names = "--xcatroot", paramLabel = "DIR", defaultValue = "/opt/xcat",
                description = "the MN's XCATROOT: files below DIR/share/xcat are not external"
                        + " (default: ${DEFAULT-VALUE})")
        String xcatroot;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            SitePaths site;
            try {
                site = new SitePaths(installdir, xcatroot);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--installdir/--xcatroot: "
                        + e.getMessage());
            }
            int bad = 0;
            for (Path file : files) {
                for (OsImage image : read(file)) {
                    List<ImageProblem> problems = image.validateForStateless();
                    out.printf("%s: %s, %s %s, family %s: %s%n", file, image.name(), image.osvers().orElse("?"),
                            image.osarch().orElse("?"), image.family().orElse("?"),
                            problems.isEmpty() ? "ok" : problems.size() + " problem(s)");
                    problems.forEach(p -> out.println("  problem: " + p));
                    for (FileRef ref : image.externalFiles(site.installdir(), site.xcatroot())) {
                        out.printf("  external file (%s, %s): %s%n", ref.attribute(), ref.usage(), ref.path());
                    }
                    bad += problems.isEmpty() ? 0 : 1;
                }
            }
            out.flush();
            return bad == 0 ? 0 : 1;
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            footerHeading = "%nExample:%n", footer = "  crossgen convert --to yaml image.stanza > image.yaml",
            description = "Convert osimage definitions between the stanza format (lsdef -z / mkdef -z) and YAML.")
    static final class ConvertCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "stanza or yaml")
        String to;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "stanza or YAML files")
        List<Path> files;

        @Override
        public Integer call() {
            List<OsImage> images = files.stream().flatMap(f -> read(f).stream()).toList();
            String text;
            switch (to) {
                case "stanza":
                    text = StanzaCodec.write(images);
                    break;
                case "yaml":
                    text = YamlCodec.write(images);
                    break;
                default:
                    throw new IllegalArgumentException("--to must be stanza or yaml, not '" + to + "'");
            }
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
