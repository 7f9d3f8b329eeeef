package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.Pipeline;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.PipelineRunner;
import io.crossgen.pipeline.Plan;
import io.crossgen.pipeline.RunHandle;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.Step;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Host;
import io.crossgen.transport.Timeouts;
import io.crossgen.transport.Transports;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cross build of one image as a preset: a copy of an osimage, built on a builder node of its architecture,
 * packed on the management node.
 *
 * <pre>{@code
 * var build = CrossBuild.from("rhels8.8.0-ppc64le-netboot-compute").as("mycomputeimage")
 *         .managementNode("local:", "xcatmn")        // this program runs on the MN, which the builder calls xcatmn
 *         .builder("ssh://root@p9node01")
 *         .mount(Mount.nfs())
 *         .build();
 * build.plan().print(System.out);                   // every command, per host, nothing run
 * RunReport report = build.run(Listeners.console());
 * }</pre>
 *
 * <p>The preset's {@link #pipeline()} is an ordinary {@link Pipeline} of the built-in steps, in this order:
 * {@link CopyDefinition}, {@link LockImage}, {@link DryRunGenimage}, {@link Preflight}, {@link CopyNetboot},
 * {@link CopyExternalFiles}, {@link MountInstall} (which defers {@link Unmount}), {@link StageImage},
 * {@link Generate}, {@link SmokeCheck}, {@link TakeInventory}, {@link RecordProvenance}, then {@link Packimage} for
 * {@code provmethod=netboot} or {@link Liteimg} for
 * {@code provmethod=statelite} (with the definition given, only that one; otherwise both, and each runs only for
 * its provmethod). Before the first step the runner connects to both hosts (scheme, reachability, host key,
 * credentials), so a run refused there changes nothing. The lock comes as early as it can: it needs the new
 * image's rootimgdir, which {@link CopyDefinition} decides, and it is taken before anything is copied to the
 * builder, so a second build of the same image refused by the lock has copied nothing. Lock and mount are held
 * by the run and released by its cleanups: {@link #resume} of a run that failed after the lock takes the lock
 * again and redoes what was done under it (dry run, checks, copies: each is quick), so that the copies the
 * build uses are made under the lock that protects them. Customise
 * with {@link #withPipeline} (insert, replace, skip steps by name). When the builder is the MN itself (the same
 * {@link Host}, e.g. both {@code local:}), nothing is mounted or copied: {@link CopyNetboot},
 * {@link CopyExternalFiles} and {@link MountInstall} are left out, and preflight checks the MN as the builder
 * (its OS release must be the image's). A builder of another architecture needs {@link Builder#emulate}. Every
 * choice of the steps is a builder option; the generate, packimage and lock steps can be configured further and
 * put in with {@link Builder#generate}, {@link Builder#packimage} and {@link Builder#lock}.
 */
public final class CrossBuild {
    private final String source;
    private final String target;
    private final Host managementNode;
    private final String managementNodeName;
    private final Host builder;
    private final Transports transports;
    private final Optional<OsImage> definition;
    private final Pipeline pipeline;
    private final Duration stepTimeout;
    private final String runId;

    private CrossBuild(Builder b, Pipeline pipeline) {
        this.source = b.source;
        this.target = b.target;
        this.managementNode = b.managementNode;
        this.managementNodeName = b.managementNodeName;
        this.builder = b.builder;
        this.transports = b.transports;
        this.definition = Optional.ofNullable(b.definition);
        this.pipeline = pipeline;
        this.stepTimeout = b.stepTimeout;
        this.runId = b.runId;
    }

    private CrossBuild(CrossBuild other, Pipeline pipeline) {
        this.source = other.source;
        this.target = other.target;
        this.managementNode = other.managementNode;
        this.managementNodeName = other.managementNodeName;
        this.builder = other.builder;
        this.transports = other.transports;
        this.definition = other.definition;
        this.pipeline = pipeline;
        this.stepTimeout = other.stepTimeout;
        this.runId = other.runId;
    }

    /** A build that copies osimage {@code sourceImage}. */
    public static Builder from(String sourceImage) {
        return new Builder(Objects.requireNonNull(sourceImage, "source image"));
    }

    /** The source osimage. */
    public String source() {
        return source;
    }

    /** The new osimage. */
    public String target() {
        return target;
    }

    /** The management node. */
    public Host managementNode() {
        return managementNode;
    }

    /** The builder. */
    public Host builder() {
        return builder;
    }

    /** The steps this build runs. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** A copy that runs another pipeline, e.g. {@code build.pipeline().toBuilder().after("generate", x).build()}. */
    public CrossBuild withPipeline(Pipeline customised) {
        return new CrossBuild(this, Objects.requireNonNull(customised, "pipeline"));
    }

    /** A copy built on another builder (what {@link BuildMatrix} does with a pool). */
    public CrossBuild withBuilder(Host other) {
        Builder b = toBuilder();
        b.builder = Objects.requireNonNull(other, "builder");
        return new CrossBuild(b, pipeline);
    }

    /**
     * A copy whose builder may be of another architecture than the image's, through {@code how}: its preflight
     * checks the emulation instead of the architecture (see {@link Preflight#withEmulation}). A build that already
     * emulates, or whose pipeline has no preflight step, keeps its pipeline as it is.
     */
    public CrossBuild withEmulation(Emulation how) {
        Objects.requireNonNull(how, "emulation");
        Optional<Step> step = pipeline.step(Preflight.NAME);
        if (step.isEmpty() || !(step.get() instanceof Preflight p) || p.emulation().isPresent()) {
            return this;
        }
        return withPipeline(pipeline.toBuilder().replace(Preflight.NAME, p.withEmulation(how)).build());
    }

    private Builder toBuilder() {
        Builder b = new Builder(source);
        b.target = target;
        b.managementNode = managementNode;
        b.managementNodeName = managementNodeName;
        b.builder = builder;
        b.transports = transports;
        b.definition = definition.orElse(null);
        b.stepTimeout = stepTimeout;
        b.runId = runId;
        return b;
    }

    /** The runner of this build's hosts and transports, with the given listener. */
    public PipelineRunner runner(PipelineListener listener) {
        PipelineRunner runner = PipelineRunner.builder()
                .transports(transports)
                .host(BuildRoles.MN, managementNode)
                .host(BuildRoles.BUILDER, builder)
                .stepTimeout(stepTimeout)
                .listener(Objects.requireNonNull(listener, "listener"))
                .build();
        return runId == null ? runner : runner.toBuilder().runId(runId).build();
    }

    /**
     * A copy whose run takes this id (see {@link PipelineRunner.Builder#runId}), e.g. one recorded in a journal
     * before the run starts: the report, and the folders, locks and leases on the hosts, all carry it.
     */
    public CrossBuild withRunId(String id) {
        PipelineRunner.builder().runId(id); // refuses an id the runner would refuse, now rather than at the run
        Builder b = toBuilder();
        b.runId = id;
        return new CrossBuild(b, pipeline);
    }

    /**
     * The dry run: every command per host, nothing changed. Without a definition given to the builder, the
     * source definition is read from the MN first ({@code lsdef -t osimage -z SRC}, which changes nothing).
     *
     * @throws InterruptedException when interrupted while reading the definition
     */
    public Plan plan() throws InterruptedException {
        Pipeline p = pipeline;
        if (definition.isEmpty() && p.step(CopyDefinition.NAME).orElse(null) instanceof CopyDefinition copy) {
            OsImage read = readDefinition(copy.source());
            p = p.toBuilder().replace(CopyDefinition.NAME, copy.withKnownSource(read)).build();
        }
        return runner(Listeners.none()).plan(p);
    }

    private OsImage readDefinition(String image) throws InterruptedException {
        try (Connection c = transports.connect(managementNode)) {
            ExecResult r = Exec.on(c, Duration.ofMinutes(2)).check(Command.of("lsdef", "-t", "osimage", "-z", image).asXcatCall());
            return StanzaCodec.readOne(r.stdout().text(), "lsdef -t osimage -z " + image);
        }
    }

    /** Runs the build; see {@link PipelineRunner} for failures, interruption and cleanups. */
    public RunReport run(PipelineListener listener) {
        return runner(listener).run(pipeline);
    }

    /** Starts the build on a thread of its own. */
    public RunHandle start(PipelineListener listener) {
        return runner(listener).start(pipeline);
    }

    /**
     * Runs a failed build again from where it can go on: from the failed step, or, when that step comes after
     * {@link LockImage}, from the lock (the failed run's cleanups released lock and mount; the steps after the
     * lock run again under the new lock). Steps before are not run (the report shows them SKIPPED,
     * {@code done in run <id>}); the values they stored come from {@code previous}: the new image's definition
     * and the run id of {@link BuildKeys#RUN_ID}, so genimage starts again in the same per-run folder on the
     * builder, and the lock is taken in that id's name.
     *
     * <p>Pitfall: the definition is not read again; when the image's attributes changed since, run the build from
     * the start instead.
     *
     * @throws IllegalArgumentException when {@code previous} did not fail in a step of this pipeline
     */
    public RunReport resume(RunReport previous, PipelineListener listener) {
        return runner(listener).toBuilder().resumeFrom(previous, resumePoint(previous)).build().run(pipeline);
    }

    /** {@link #resume} on a thread of its own, so that it can be cancelled like {@link #start}. */
    public RunHandle startResume(RunReport previous, PipelineListener listener) {
        return runner(listener).toBuilder().resumeFrom(previous, resumePoint(previous)).build().start(pipeline);
    }

    /** The step {@link #resume} starts from. */
    public String resumePoint(RunReport previous) {
        String failed = previous.failure().map(RunReport.Failure::step).orElseThrow(() ->
                new IllegalArgumentException("run " + previous.runId() + " did not fail; nothing to resume"));
        List<String> names = pipeline.stepNames();
        int at = names.indexOf(failed);
        if (at < 0) {
            throw new IllegalArgumentException("step '" + failed + "' of run " + previous.runId()
                    + " is not in this pipeline (" + String.join(", ", names) + ")");
        }
        int lock = names.indexOf(LockImage.NAME);
        return lock >= 0 && at > lock ? LockImage.NAME : failed;
    }

    @Override
    public String toString() {
        return "CrossBuild[" + source + " -> " + target + " on " + builder.label() + ", MN " + managementNode.label()
                + "]";
    }

    /** Builds a {@link CrossBuild}; {@link #build()} validates. */
    public static final class Builder {
        private final String source;
        private String target;
        private Host managementNode = Host.local();
        private String managementNodeName;
        private Host builder;
        private Mount mount = Mount.nfs();
        private Transports transports;
        private OsImage definition;
        private String rootimgdir;
        private String installdir;
        private boolean shareRootimgdir;
        private String runId;
        private boolean replace;
        private boolean existingImage;
        private CopyMethod copyMethod = CopyMethod.TAR_RELAY;
        private boolean deleteVanished;
        private Packimage packimage = Packimage.defaults();
        private Generate generate = Generate.defaults();
        private String[] waived = new String[0];
        private LockImage lock = LockImage.defaults();
        private Emulation emulation;
        private Duration stepTimeout = Duration.ofMinutes(30);

        private Builder(String source) {
            this.source = source;
        }

        /** The new osimage's name. */
        public Builder as(String newImage) {
            this.target = Objects.requireNonNull(newImage, "new image");
            return this;
        }

        /**
         * The management node, and the name the builder knows it by (for the mount): {@code ("local:", "xcatmn")}
         * when this program runs on the MN.
         */
        public Builder managementNode(String uri, String nameForBuilder) {
            this.managementNode = Host.parse(uri);
            this.managementNodeName = Host.checkName(nameForBuilder);
            return this;
        }

        /** The management node; the builder knows it by its URI's host name (this host's name for {@code local:}). */
        public Builder managementNode(String uri) {
            this.managementNode = Host.parse(uri);
            this.managementNodeName = null;
            return this;
        }

        /** The builder node. */
        public Builder builder(String uri) {
            this.builder = Host.parse(uri);
            return this;
        }

        /** How the builder gets the MN's /install ({@link Mount#nfs()} by default). */
        public Builder mount(Mount strategy) {
            this.mount = Objects.requireNonNull(strategy, "mount");
            return this;
        }

        /** The transports to reach the hosts with ({@link Transports#discover()} by default). */
        public Builder transports(Transports value) {
            this.transports = Objects.requireNonNull(value, "transports");
            return this;
        }

        /** The source's definition, known beforehand: plans use it instead of reading it from the MN. */
        public Builder definition(OsImage source) {
            this.definition = Objects.requireNonNull(source, "definition");
            return this;
        }

        /**
         * The MN's {@code site.installdir} to plan with ({@link CopyDefinition#withInstalldir}); a run reads the
         * MN's. Without it a plan assumes {@code /install}.
         */
        public Builder installdir(String folder) {
            this.installdir = Objects.requireNonNull(folder, "installdir");
            return this;
        }

        /**
         * The new image's rootimgdir (default {@code <site.installdir>/netboot/<osvers>/<osarch>/<new name>}, with
         * site.installdir read from the MN: {@code /install} unless the site says otherwise).
         */
        public Builder rootimgdir(String folder) {
            this.rootimgdir = Objects.requireNonNull(folder, "rootimgdir");
            this.shareRootimgdir = false;
            return this;
        }

        /** Keeps the source's rootimgdir, as the manual procedure does: building overwrites the source image. */
        public Builder shareRootimgdir() {
            this.shareRootimgdir = true;
            this.rootimgdir = null;
            return this;
        }

        /** Replaces an existing new image of other attributes instead of refusing. */
        public Builder replace(boolean on) {
            this.replace = on;
            return this;
        }

        /** The new image exists already: it is read, not defined. */
        public Builder existingImage() {
            this.existingImage = true;
            return this;
        }

        /** How the netboot tree and Perl libraries are copied. */
        public Builder copyMethod(CopyMethod how) {
            this.copyMethod = Objects.requireNonNull(how, "copy method");
            return this;
        }

        /** Removes on the builder what the MN's netboot tree and Perl libraries no longer hold. */
        public Builder deleteVanished(boolean on) {
            this.deleteVanished = on;
            return this;
        }

        /** The packimage step, e.g. {@code Packimage.defaults().withCompressor(XZ)}. */
        public Builder packimage(Packimage step) {
            this.packimage = Objects.requireNonNull(step, "packimage");
            return this;
        }

        /** The generate step, e.g. {@code Generate.defaults().withTimeout(Duration.ofHours(5))}. */
        public Builder generate(Generate step) {
            this.generate = Objects.requireNonNull(step, "generate");
            return this;
        }

        /** The limit of genimage on the builder (3 hours by default). */
        public Builder generateTimeout(Duration limit) {
            this.generate = generate.withTimeout(limit);
            return this;
        }

        /** The limit of each other step (30 minutes by default, more for copies of their own). */
        public Builder stepTimeout(Duration limit) {
            this.stepTimeout = Timeouts.positive("step timeout", limit);
            return this;
        }

        /** Preflight checks whose failure is only a warning, e.g. {@code "tools"} on a builder that has them under other names. */
        public Builder waive(String... checks) {
            Preflight.defaults().withWaived(checks);
            this.waived = checks.clone();
            return this;
        }

        /**
         * Lets the builder be of another architecture than the image, running the image's binaries through
         * {@code how} ({@link Preflight#withEmulation}: refused before anything is copied unless the builder's
         * binfmt_misc, the family and the MN's xCAT allow it).
         */
        public Builder emulate(Emulation how) {
            this.emulation = Objects.requireNonNull(how, "emulation");
            return this;
        }

        /** The lock step, e.g. with another lock folder. */
        public Builder lock(LockImage step) {
            this.lock = Objects.requireNonNull(step, "lock");
            return this;
        }

        /**
         * The build.
         *
         * @throws IllegalArgumentException when the new name or the builder is missing, or a name is invalid
         * @throws BuildException when the definition given has a provmethod other than netboot or statelite
         */
        public CrossBuild build() {
            if (target == null) {
                throw new IllegalArgumentException("name the new image with as(...)");
            }
            if (builder == null) {
                throw new IllegalArgumentException("name the builder node with builder(...)");
            }
            if (transports == null) {
                transports = Transports.discover();
            }
            if (managementNodeName == null) {
                managementNodeName = managementNode.scheme().equals("local") ? localName()
                        : managementNode.hostname();
            }
            CopyDefinition copy = CopyDefinition.of(source, target).withReplace(replace);
            if (rootimgdir != null) {
                copy = copy.withRootimgdir(rootimgdir);
            } else if (shareRootimgdir) {
                copy = copy.withSharedRootimgdir();
            }
            if (existingImage) {
                copy = copy.withExistingImage();
            }
            if (installdir != null) {
                copy = copy.withInstalldir(installdir);
            }
            if (definition != null) {
                copy = copy.withKnownSource(definition);
            }
            // The MN as builder (same OS release: preflight checks it) has /install and xCAT's files already.
            boolean onMn = builder.equals(managementNode);
            Preflight preflight = Preflight.defaults().withMount(onMn ? Mount.none() : mount)
                    .withManagementNode(managementNodeName).withWaived(waived);
            List<Step> steps = List.of(
                    copy,
                    lock,
                    DryRunGenimage.defaults(),
                    emulation == null ? preflight : preflight.withEmulation(emulation),
                    CopyNetboot.defaults().withMethod(copyMethod).withDeleteVanished(deleteVanished)
                            .withManagementNode(managementNodeName),
                    CopyExternalFiles.defaults(),
                    MountInstall.of(mount, managementNodeName),
                    StageImage.defaults(),
                    generate,
                    SmokeCheck.defaults(),
                    TakeInventory.defaults(),
                    RecordProvenance.defaults(),
                    packimage,
                    Liteimg.defaults());
            if (onMn) {
                List<String> needless = List.of(CopyNetboot.NAME, CopyExternalFiles.NAME, MountInstall.NAME);
                steps = steps.stream().filter(s -> !needless.contains(s.name())).toList();
            }
            if (definition != null) {
                // provmethod decides the last step: packimage refuses anything but netboot (XCAT.md 8.8).
                String unused = StageImage.Finish.of(definition) == StageImage.Finish.LITEIMG ? Packimage.NAME
                        : Liteimg.NAME;
                steps = steps.stream().filter(s -> !s.name().equals(unused)).toList();
            }
            Pipeline p = Pipeline.builder("crossbuild-" + target).steps(steps).build();
            return new CrossBuild(this, p);
        }

        private static String localName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
    }
}
