package io.crossgen.pipeline;

import io.crossgen.transport.Host;
import io.crossgen.transport.Timeouts;
import io.crossgen.transport.Transports;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs {@link Pipeline}s against hosts: the configuration of a run, immutable and reusable.
 *
 * <p>What a run does, whatever the steps:
 * <ul>
 *   <li>Every step whose {@link Step#needs() needs} are done (DONE, SKIPPED in the pipeline, or done in the run
 *   resumed) starts, in pipeline order, at most {@link Builder#parallelism} at once; steps that declare no needs
 *   keep the pipeline's order, so such a pipeline runs one step after another as it always did. Each step runs on
 *   a worker thread of its own, within its time limit ({@link Step#timeout()}, or the runner's
 *   {@link Builder#stepTimeout}). At the deadline the worker is interrupted, which cancels the command it runs;
 *   {@link StepContext#exec} never waits past the deadline. A step that ignores the interrupt is left behind
 *   after 30 s.</li>
 *   <li>The first step that fails, times out or is cancelled is the run's failure: the steps running beside it
 *   are cancelled (reported {@link StepStatus#CANCELLED}), those not started are reported
 *   {@link StepStatus#SKIPPED} ({@code not run: an earlier step failed}). A step that declares itself
 *   {@link Step#repeatable()} is tried again after a failure, as the {@link RetryPolicy} says; no other step is.
 *   The report lists the steps in pipeline order, whatever order they ended in.</li>
 *   <li>Cleanups deferred by the steps then run whatever happened, each within the step timeout: those of a step
 *   before those of the steps it needs, a step's own last deferred first, as in reverse order of deferring; between
 *   steps that ran at once, by the plan's order (the later step's first), so a run's cleanups run in the same
 *   order whatever ran beside what. A cleanup's failure is recorded beside the original failure, never instead
 *   of it.</li>
 *   <li>Before the first step, every host of the runner is connected to, all at once, one connection per host: an unknown
 *   scheme, an unreachable host, a refused host key or refused credentials fail the run before anything runs
 *   on any host (every step SKIPPED, the failure names the host and the first step). The connections are
 *   closed at the very end, after the cleanups.</li>
 *   <li>{@link #run} returns a {@link RunReport} whatever happened (use {@link RunReport#requireSuccess()} to
 *   throw a {@link StepFailedException} naming step, host, command, exit and stderr tail). It throws only when
 *   the run cannot start: a resume point that does not fit the pipeline.</li>
 * </ul>
 *
 * <p><b>Interruption</b> of the thread that calls {@link #run}: the running step's worker is interrupted (its
 * command is cancelled), later steps are skipped, the cleanups still run (they run on fresh worker threads, and
 * the calling thread keeps waiting for them, ignoring further interrupts until they end), the report says
 * {@link RunReport.Outcome#CANCELLED}, and {@code run} <em>returns</em> that report with the calling thread's
 * interrupt flag set again. No {@link InterruptedException} is thrown, so the report is never lost; check
 * {@link Thread#isInterrupted()} or the outcome. {@link #start} runs on a thread of its own and
 * {@link RunHandle#cancel()} does the same from any thread.
 *
 * <p><b>Resume</b> ({@link Builder#resumeFrom}): steps before the named step are reported SKIPPED with the
 * note {@code done in run <id>} (and count as done for the steps that need them); the named step and every step
 * after it in pipeline order run again, also those the failed run had done beside the failed step (a step that
 * ran at once with the failed one may have been cancelled midway: running it again is the safe default). Resume
 * from the first step, in pipeline order, that is not DONE. Values the steps before it had stored are
 * <em>restored from the previous report</em>, not recomputed: each value a step {@link StepContext#put stores} is saved in the report as JSON (written and read
 * back with Jackson at once, to be sure it can be restored), and read back on first use. A value Jackson cannot
 * handle is recorded by name only; a resumed step that {@link StepContext#require requires} it fails with a
 * message that names the step that stored it and says to resume from that step or earlier.
 *
 * <p>Logging: SLF4J logger {@code io.crossgen.pipeline.PipelineRunner}, with MDC keys {@code pipeline},
 * {@code step} and {@code host} (while a command runs).
 *
 * <pre>{@code
 * PipelineRunner runner = PipelineRunner.builder()
 *         .host(Role.of("mn"), "local:")
 *         .host(Role.of("builder"), "ssh://root@p9node01")
 *         .stepTimeout(Duration.ofMinutes(30))
 *         .retry(RetryPolicy.of(3, Duration.ofSeconds(5)))
 *         .listener(Listeners.console())
 *         .build();
 * runner.plan(pipeline).print(System.out);        // nothing runs
 * RunReport report = runner.run(pipeline);
 * if (!report.succeeded()) {
 *     report = runner.toBuilder().resumeFrom(report, "generate").build().run(pipeline);
 * }
 * }</pre>
 */
public final class PipelineRunner {
    /** The time limit of a step that names none, unless the runner is given another. */
    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofHours(1);
    /**
     * At most how many steps run at the same time unless the runner is told otherwise: 4, the widest set of
     * independent steps of the built-in cross build (copy-netboot, copy-external-files, mount-install and
     * stage-image), and well within what one SSH connection per host carries at once (OpenSSH's MaxSessions is 10
     * channels; a step holds one or two per host).
     */
    public static final int DEFAULT_PARALLELISM = 4;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    private final Transports transports;
    private final Map<Role, Host> hosts;
    private final Duration stepTimeout;
    private final RetryPolicy retry;
    private final PipelineListener listener;
    private final RunReport resumeReport;
    private final String resumeStep;
    private final String runId;
    private final int parallelism;

    private PipelineRunner(Builder b) {
        this.transports = b.transports != null ? b.transports : Transports.discover();
        this.hosts = Collections.unmodifiableMap(new LinkedHashMap<>(b.hosts));
        this.stepTimeout = b.stepTimeout;
        this.retry = b.retry;
        this.listener = b.listener;
        this.resumeReport = b.resumeReport;
        this.resumeStep = b.resumeStep;
        this.runId = b.runId;
        this.parallelism = b.parallelism;
    }

    /** A builder with no hosts, the discovered transports, {@link #DEFAULT_STEP_TIMEOUT}, no retries. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to derive another. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.transports = transports;
        b.hosts.putAll(hosts);
        b.stepTimeout = stepTimeout;
        b.retry = retry;
        b.listener = listener;
        b.resumeReport = resumeReport;
        b.resumeStep = resumeStep;
        b.runId = runId;
        b.parallelism = parallelism;
        return b;
    }

    /** At most how many steps run at the same time; see {@link Builder#parallelism}. */
    public int parallelism() {
        return parallelism;
    }

    /** The transports that open connections. */
    public Transports transports() {
        return transports;
    }

    /** The hosts by role. */
    public Map<Role, Host> hosts() {
        return hosts;
    }

    /** The time limit of steps that name none, and of each cleanup. */
    public Duration stepTimeout() {
        return stepTimeout;
    }

    /** How repeatable steps are retried. */
    public RetryPolicy retry() {
        return retry;
    }

    /** Who hears about the run. */
    public PipelineListener listener() {
        return listener;
    }

    /** The step a run resumes from, when it resumes. */
    public Optional<String> resumeStep() {
        return Optional.ofNullable(resumeStep);
    }

    /**
     * The id the run takes: the one given to {@link Builder#runId}, else, when resuming, the id of the run resumed
     * (locks, leases and folders on the hosts carry it), else a new one ({@link #newRunId()}).
     */
    public Optional<String> runId() {
        return Optional.ofNullable(runId);
    }

    /** A new run id: the UTC time and 6 random hex digits, {@code 20260821T101500-1a2b3c}. */
    public static String newRunId() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + "-" + HexFormat.of().formatHex(b);
    }

    /** The report of the run that a run resumes, when it resumes. */
    public Optional<RunReport> resumeReport() {
        return Optional.ofNullable(resumeReport);
    }

    /**
     * Runs the pipeline on the calling thread and reports what happened; see the class comment for failures,
     * interruption and cleanups.
     *
     * @throws PipelineException when the run cannot start (a resume point that does not fit); nothing has run
     */
    public RunReport run(Pipeline pipeline) {
        return new Execution(this, pipeline, false).run();
    }

    /**
     * Starts the pipeline on a thread of its own and returns at once with a handle to await or cancel it.
     *
     * @throws PipelineException when the run cannot start (a resume point that does not fit); nothing has run
     */
    public RunHandle start(Pipeline pipeline) {
        Execution execution = new Execution(this, pipeline, false);
        return RunHandle.start(execution, pipeline.name());
    }

    /**
     * The dry run: runs every step and cleanup in planning mode, touching no host, and returns every command
     * it would run. Steps skipped in the pipeline, or done before a resume point, appear as notes.
     *
     * @throws PipelineException when a step fails even in planning mode (e.g. it requires a value no earlier
     *     step stores), or the calling thread is interrupted (its flag is set again)
     */
    public Plan plan(Pipeline pipeline) {
        return new Execution(this, pipeline, true).plan();
    }

    @Override
    public String toString() {
        return "PipelineRunner[hosts=" + hosts + ", stepTimeout=" + stepTimeout + ", retry=" + retry
                + ", parallelism=" + parallelism
                + (resumeStep != null ? ", resume from " + resumeStep + " of run " + resumeReport.runId() : "") + "]";
    }

    /** Builds a {@link PipelineRunner}; every setter validates at once. */
    public static final class Builder {
        private Transports transports;
        private final Map<Role, Host> hosts = new LinkedHashMap<>();
        private Duration stepTimeout = DEFAULT_STEP_TIMEOUT;
        private RetryPolicy retry = RetryPolicy.none();
        private PipelineListener listener = new PipelineListener() { };
        private RunReport resumeReport;
        private String resumeStep;
        private String runId;
        private int parallelism = DEFAULT_PARALLELISM;

        private Builder() {
        }

        /** The transports that open connections; by default those {@link Transports#discover()} finds. */
        public Builder transports(Transports value) {
            this.transports = Objects.requireNonNull(value, "transports");
            return this;
        }

        /** The host that plays {@code role} (replacing an earlier one). */
        public Builder host(Role role, Host host) {
            hosts.put(Objects.requireNonNull(role, "role"), Objects.requireNonNull(host, "host"));
            return this;
        }

        /** The host, given as a URI, that plays {@code role}; see {@link Host#parse}. */
        public Builder host(Role role, String uri) {
            return host(role, Host.parse(uri));
        }

        /** Adds every host of the map by role. */
        public Builder hosts(Map<Role, Host> byRole) {
            byRole.forEach(this::host);
            return this;
        }

        /**
         * The time limit of steps that name none, and of each cleanup.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder stepTimeout(Duration limit) {
            this.stepTimeout = Timeouts.positive("step timeout", limit);
            return this;
        }

        /** How repeatable steps are retried; {@link RetryPolicy#none()} by default. */
        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "retry policy");
            return this;
        }

        /** Who hears about runs; combine several with {@link Listeners#all}. */
        public Builder listener(PipelineListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * Resumes a run: steps before {@code step} are not run (reported SKIPPED, {@code done in run <id>}), and
         * the values they stored are restored from {@code previous}. The pipeline must be the one
         * {@code previous} ran, and each step before {@code step} must be DONE (or SKIPPED) there; the run
         * checks that when it starts.
         */
        public Builder resumeFrom(RunReport previous, String step) {
            this.resumeReport = Objects.requireNonNull(previous, "previous report");
            this.resumeStep = Objects.requireNonNull(step, "step");
            return this;
        }

        /**
         * The run's id, e.g. one a caller recorded before the run started; letters, digits, {@code .}, {@code _} and
         * {@code -} only, as it names folders on the hosts.
         */
        public Builder runId(String id) {
            Objects.requireNonNull(id, "run id");
            if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("run id '" + id + "' may hold only letters, digits, '.', '_'"
                        + " and '-' (at most 64)");
            }
            this.runId = id;
            return this;
        }

        /**
         * At most how many steps run at the same time (among those whose {@link Step#needs() needs} are done);
         * {@link #DEFAULT_PARALLELISM} by default, 1 for one step after another in pipeline order. Which steps
         * touch which host is known only once they run, so the bound is on steps, not per host; the runner's
         * connections are shared (one per host), so the steps running at once share each host's connection.
         *
         * @throws IllegalArgumentException when less than 1
         */
        public Builder parallelism(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, not " + steps);
            }
            this.parallelism = steps;
            return this;
        }

        /** Runs from the first step again. */
        public Builder noResume() {
            this.resumeReport = null;
            this.resumeStep = null;
            return this;
        }

        /** The runner. */
        public PipelineRunner build() {
            return new PipelineRunner(this);
        }
    }
}
