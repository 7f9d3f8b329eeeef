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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The cross build of one image as a preset: a copy of an osimage, built on a builder node of its architecture,
 * packed on the management node.
 *
 * <pre>{@code
 * var build = CrossBuild.from("rhels8.8.0-ppc64le-netboot-compute").as("mycomputeimage")
 *         .managementNode("local:")                  // this program runs on the MN...
 *         .builderReachesManagementNodeAs("xcatmn")  // ...which the builder calls xcatmn (its NFS server)
 *         .builderNode("ssh://root@p9node01")
 *         .step(Generate.defaults().withTimeout(Duration.ofHours(5)))
 *         .build();
 * build.plan().print(System.out);                   // every command, per host, nothing run
 * RunReport report = build.run(Listeners.console());
 * }</pre>
 *
 * <p>The preset's {@link #pipeline()} is an ordinary {@link Pipeline} of the built-in steps, in this order:
 * {@link CopyDefinition}, {@link LockImage}, {@link DryRunGenimage}, {@link Preflight}, {@link CopyNetboot},
 * {@link CopyExternalFiles}, {@link MountInstall} (which defers {@link Unmount}), {@link StageImage},
 * {@link Generate}, {@link RecordProvenance}, {@link SmokeCheck}, {@link TakeInventory}, then {@link Packimage}
 * for {@code provmethod=netboot} or {@link Liteimg} for
 * {@code provmethod=statelite} (with the definition given, only that one; otherwise both, and each runs only for
 * its provmethod). Each step declares the steps it needs ({@link Step#needs()}), and the runner runs at once what
 * does not depend on each other: the dry run and preflight once the lock is taken (a run the lock refuses runs
 * nothing more); the netboot copy, the external files, the mount and the stage once those are done; the
 * provenance's gathering (the inputs' digests, the netboot trees' listings, the builder's identity) once mount
 * and stage are done, beside the copies and generate, since none of it depends on the image; smoke check and
 * inventory after generate; packimage (or liteimg), which writes the statement joining the provenance, the
 * inventory and the smoke check's verdict, once all of them are done. Before the first step the runner connects to both hosts (scheme, reachability,
 * host key, credentials), so a run refused there changes nothing. The lock comes as early as it can: it needs the new
 * image's rootimgdir, which {@link CopyDefinition} decides, and it is taken before anything is copied to the
 * builder, so a second build of the same image refused by the lock has copied nothing. Lock and mount are held
 * by the run and released by its cleanups: {@link #resume} of a run that failed after the lock takes the lock
 * again and redoes what was done under it (dry run, checks, copies: each is quick), so that the copies the
 * build uses are made under the lock that protects them. When the builder is the MN itself (the same
 * {@link Host}, e.g. both {@code local:}), nothing is mounted or copied: {@link CopyNetboot},
 * {@link CopyExternalFiles} and {@link MountInstall} are left out, and preflight checks the MN as the builder
 * (its OS release must be the image's).
 *
 * <p>One place for each setting: the {@link Builder} holds what the whole build shares (images, hosts,
 * transports, mount, step timeout); each step holds its own options, and a step configured so replaces the
 * preset's with {@link Builder#step}, e.g. {@code .step(CopyNetboot.defaults().withMethod(CopyMethod.SCP_LEGACY))},
 * {@code .step(CopyDefinition.of(src, "mycomputeimage").withReplace(true))} or, for a builder of another
 * architecture, {@code .step(Preflight.defaults().withEmulation(Emulation.qemuUser()))}. Steps of your own go in,
 * and steps go out, with {@link #withPipeline}.
 */
public final class CrossBuild {
    /** The built-in steps' names, in pipeline order. */
    private static final List<String> STEP_NAMES = List.of(CopyDefinition.NAME, LockImage.NAME, DryRunGenimage.NAME,
            Preflight.NAME, CopyNetboot.NAME, CopyExternalFiles.NAME, MountInstall.NAME, StageImage.NAME,
            Generate.NAME, RecordProvenance.NAME, SmokeCheck.NAME, TakeInventory.NAME, Packimage.NAME, Liteimg.NAME);

    private final String source;
    private final String target;
    private final Host managementNode;
    private final Host builderNode;
    private final Transports transports;
    private final Optional<OsImage> definition;
    private final Pipeline pipeline;
    private final Duration stepTimeout;
    private final Optional<String> runId;
    private final int parallelism;

    private CrossBuild(String source, String target, Host managementNode, Host builderNode, Transports transports,
            Optional<OsImage> definition, Pipeline pipeline, Duration stepTimeout, Optional<String> runId, int parallelism) {
        this.source = source;
        this.target = target;
        this.managementNode = managementNode;
        this.builderNode = builderNode;
        this.transports = transports;
        this.definition = definition;
        this.pipeline = pipeline;
        this.stepTimeout = stepTimeout;
        this.runId = runId;
        this.parallelism = parallelism;
    }

    /** A build that copies osimage {@code sourceImage}, whose definition plans read from the MN ({@code lsdef}). */
    public static Builder from(String sourceImage) {
        return new Builder(Objects.requireNonNull(sourceImage, "source image"), null);
    }

    /**
     * A build that copies osimage {@code source.name()}, planned from this definition of it (a plan reads nothing
     * from the MN; a run copies the MN's own definition and warns where it differs).
     */
    public static Builder from(OsImage source) {
        return new Builder(Objects.requireNonNull(source, "source image").name(), source);
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

    /** The builder node. */
    public Host builderNode() {
        return builderNode;
    }

    /** The steps this build runs. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /**
     * A copy whose pipeline is this one edited: steps of your own added, steps replaced, removed or skipped by
     * name, e.g. {@code build.withPipeline(p -> p.after(Generate.NAME, smokeTest).skip(TakeInventory.NAME))}.
     *
     * @throws IllegalArgumentException from {@link Pipeline.Builder} when a step named is not in the pipeline
     */
    public CrossBuild withPipeline(UnaryOperator<Pipeline.Builder> edit) {
        Pipeline edited = Objects.requireNonNull(edit.apply(pipeline.toBuilder()), "edited pipeline").build();
        return new CrossBuild(source, target, managementNode, builderNode, transports, definition, edited,
                stepTimeout, runId, parallelism);
    }

    /**
     * A copy built on another builder node (what {@link BuildMatrix} does with a pool); its pipeline stays as it
     * is.
     */
    public CrossBuild withBuilderNode(Host other) {
        return new CrossBuild(source, target, managementNode, Objects.requireNonNull(other, "builder node"),
                transports, definition, pipeline, stepTimeout, runId, parallelism);
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
        return withPipeline(b -> b.replace(Preflight.NAME, p.withEmulation(how)));
    }

    /** The runner of this build's hosts and transports, with the given listener. */
    public PipelineRunner runner(PipelineListener listener) {
        PipelineRunner runner = PipelineRunner.builder()
                .transports(transports)
                .host(BuildRoles.MN, managementNode)
                .host(BuildRoles.BUILDER, builderNode)
                .stepTimeout(stepTimeout)
                .parallelism(parallelism)
                .listener(Objects.requireNonNull(listener, "listener"))
                .build();
        return runId.map(id -> runner.toBuilder().runId(id).build()).orElse(runner);
    }

    /**
     * A copy whose run takes this id (see {@link PipelineRunner.Builder#runId}), e.g. one recorded in a journal
     * before the run starts: the report, and the folders, locks and leases on the hosts, all carry it.
     */
    public CrossBuild withRunId(String id) {
        PipelineRunner.builder().runId(id); // refuses an id the runner would refuse, now rather than at the run
        return new CrossBuild(source, target, managementNode, builderNode, transports, definition, pipeline,
                stepTimeout, Optional.of(id), parallelism);
    }

    /**
     * The dry run: every command per host, nothing changed. Unless the build is {@link #from(OsImage) from a
     * definition}, the source definition is read from the MN first ({@code lsdef -t osimage -z SRC}, which changes
     * nothing).
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

    /**
     * The step {@link #resume} starts from: the first step, in pipeline order, that {@code previous} did not do
     * (the failed one, or one that ran beside it and was cancelled), or the lock when that comes later.
     */
    public String resumePoint(RunReport previous) {
        String failed = previous.failure().map(RunReport.Failure::step).orElseThrow(() ->
                new IllegalArgumentException("run " + previous.runId() + " did not fail; nothing to resume"));
        List<String> names = pipeline.stepNames();
        int at = names.indexOf(failed);
        if (at < 0) {
            throw new IllegalArgumentException("step '" + failed + "' of run " + previous.runId()
                    + " is not in this pipeline (" + String.join(", ", names) + ")");
        }
        for (int i = 0; i < at; i++) {   // a step before it that ran beside it and was cancelled, or never started
            if (!pipeline.doneIn(previous, names.get(i))) {
                at = i;
                break;
            }
        }
        int lock = names.indexOf(LockImage.NAME);
        return lock >= 0 && at > lock ? LockImage.NAME : names.get(at);
    }

    @Override
    public String toString() {
        return "CrossBuild[" + source + " -> " + target + " on " + builderNode.label() + ", MN "
                + managementNode.label() + "]";
    }


    /**
     * Builds a {@link CrossBuild}: the settings the whole build shares, and the steps configured otherwise than
     * the preset's; {@link #build()} validates.
     */
    public static final class Builder {
        private final String source;
        private final OsImage definition;
        private String target;
        private Host managementNode = Host.local();
        private String managementNodeName;
        private Host builderNode;
        private Mount mount = Mount.nfs();
        private Transports transports;
        private Duration stepTimeout = Duration.ofMinutes(30);
        private int parallelism = PipelineRunner.DEFAULT_PARALLELISM;
        private final Map<String, Step> given = new LinkedHashMap<>();

        private Builder(String source, OsImage definition) {
            this.source = source;
            this.definition = definition;
        }

        /** The new osimage's name. */
        public Builder as(String newImage) {
            this.target = Objects.requireNonNull(newImage, "new image");
            return this;
        }

        /** The management node ({@code local:}, this host, by default). */
        public Builder managementNode(String uri) {
            this.managementNode = Host.parse(uri);
            return this;
        }

        /**
         * The name the builder node reaches the management node by: the NFS (or SSHFS) server of its
         * {@code /install} mount, and the source of {@link CopyMethod#SCP_LEGACY} copies. By default the management
         * node's URI's host name, or this host's name for {@code local:}; give it when the builder knows the MN by
         * another name, e.g. {@code "xcatmn"} when this program runs on the MN as {@code local:}.
         *
         * @throws IllegalArgumentException when {@code name} is not a host name or address
         */
        public Builder builderReachesManagementNodeAs(String name) {
            this.managementNodeName = Host.checkName(name);
            return this;
        }

        /** The builder node, where genimage runs. */
        public Builder builderNode(String uri) {
            this.builderNode = Host.parse(uri);
            return this;
        }

        /**
         * How the builder gets the MN's /install ({@link Mount#nfs()} by default): {@link MountInstall} mounts it
         * so, and {@link Preflight} checks the builder's tools for it.
         */
        public Builder mount(Mount strategy) {
            this.mount = Objects.requireNonNull(strategy, "mount");
            return this;
        }

        /** The transports to reach the hosts with ({@link Transports#discover()} by default). */
        public Builder transports(Transports value) {
            this.transports = Objects.requireNonNull(value, "transports");
            return this;
        }

        /**
         * The limit of each step without a limit of its own (30 minutes by default); {@link Generate},
         * {@link Packimage} and the copies have their own ({@code Generate.defaults().withTimeout(...)}).
         */
        public Builder stepTimeout(Duration limit) {
            this.stepTimeout = Timeouts.positive("step timeout", limit);
            return this;
        }

        /**
         * At most how many steps run at once ({@link PipelineRunner.Builder#parallelism}); 1 runs the steps one
         * after another in the pipeline's order.
         *
         * @throws IllegalArgumentException when less than 1
         */
        public Builder parallelism(int steps) {
            PipelineRunner.builder().parallelism(steps);
            this.parallelism = steps;
            return this;
        }

        /**
         * Replaces the preset's step of the same name by this one, e.g.
         * {@code .step(CopyNetboot.defaults().withMethod(CopyMethod.SCP_LEGACY))}; the last one given for a name wins.
         * The build's own settings still reach the built-in steps given: {@link #build()} sets the mount and the
         * MN's name of a {@link Preflight} and a {@link CopyNetboot}, and the definition {@link #from(OsImage)} of a
         * {@link CopyDefinition}, which must copy this build's source to its new image. A step the build leaves
         * out (the copies and the mount when the builder is the MN, the finish the definition does not use) stays
         * out.
         *
         * @throws IllegalArgumentException when the preset has no step of this name (naming the steps it has), or
         *     for a {@link MountInstall}, which holds nothing but the build's settings ({@link #mount},
         *     {@link #builderReachesManagementNodeAs})
         */
        public Builder step(Step step) {
            String name = Objects.requireNonNull(step, "step").name();
            if (!STEP_NAMES.contains(name)) {
                throw new IllegalArgumentException("the cross build has no step '" + name + "' to replace; its steps: "
                        + String.join(", ", STEP_NAMES) + " (add a step of your own with CrossBuild.withPipeline)");
            }
            if (step instanceof MountInstall) {
                throw new IllegalArgumentException("mount-install is made of the build's settings: give them with"
                        + " mount(...) and builderReachesManagementNodeAs(...)");
            }
            given.put(name, step);
            return this;
        }

        /**
         * The build.
         *
         * @throws IllegalArgumentException when the new name or the builder node is missing, a name is invalid, or
         *     a {@link CopyDefinition} given copies other images than this build's
         * @throws BuildException when the definition given has a provmethod other than netboot or statelite
         */
        public CrossBuild build() {
            if (target == null) {
                throw new IllegalArgumentException("name the new image with as(...)");
            }
            if (builderNode == null) {
                throw new IllegalArgumentException("name the builder node with builderNode(...)");
            }
            String mnName = managementNodeName != null ? managementNodeName
                    : managementNode.scheme().equals("local") ? localName() : managementNode.hostname();
            // The MN as builder (same OS release: preflight checks it) has /install and xCAT's files already.
            boolean onMn = builderNode.equals(managementNode);
            List<Step> preset = List.of(
                    CopyDefinition.of(source, target),
                    LockImage.defaults(),
                    DryRunGenimage.defaults(),
                    Preflight.defaults(),
                    CopyNetboot.defaults(),
                    CopyExternalFiles.defaults(),
                    MountInstall.of(mount, mnName),
                    StageImage.defaults(),
                    Generate.defaults(),
                    RecordProvenance.defaults(),
                    SmokeCheck.defaults(),
                    TakeInventory.defaults(),
                    Packimage.defaults(),
                    Liteimg.defaults());
            List<String> needless = new ArrayList<>();
            if (onMn) {
                needless.addAll(List.of(CopyNetboot.NAME, CopyExternalFiles.NAME, MountInstall.NAME));
            }
            if (definition != null) {
                // provmethod decides the last step: packimage refuses anything but netboot (XCAT.md 8.8).
                needless.add(StageImage.Finish.of(definition) == StageImage.Finish.LITEIMG ? Packimage.NAME
                        : Liteimg.NAME);
            }
            List<Step> steps = preset.stream().filter(s -> !needless.contains(s.name()))
                    .map(s -> withBuildSettings(given.getOrDefault(s.name(), s), mnName, onMn)).toList();
            Pipeline p = Pipeline.builder("crossbuild-" + target).steps(steps).build();
            return new CrossBuild(source, target, managementNode, builderNode,
                    transports != null ? transports : Transports.discover(), Optional.ofNullable(definition), p,
                    stepTimeout, Optional.empty(), parallelism);
        }

        /** A built-in step with the build's settings it uses; any other step as it is. */
        private Step withBuildSettings(Step step, String mnName, boolean onMn) {
            if (step instanceof CopyDefinition copy) {
                if (!copy.source().equals(source) || !copy.target().equals(target)) {
                    throw new IllegalArgumentException("the copy-definition step given copies '" + copy.source()
                            + "' to '" + copy.target() + "', the build '" + source + "' to '" + target
                            + "'; give CopyDefinition.of(\"" + source + "\", \"" + target + "\")");
                }
                return definition == null ? copy : copy.withKnownSource(definition);
            }
            if (step instanceof Preflight preflight) {
                return preflight.withMount(onMn ? Mount.none() : mount).withManagementNode(mnName);
            }
            if (step instanceof CopyNetboot copy) {
                return copy.withManagementNode(mnName);
            }
            return step;
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
