package io.crossgen.pipeline;

import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a run did: each step's status, duration, hosts, commands and exits, warnings and notes; each cleanup's
 * outcome; the failure with its context; and the values steps handed on, for a resumed run.
 *
 * <p>A plain value: equal reports are equal, {@link #toJson()} and {@link #fromJson(String)} round-trip it
 * exactly (a report read back has no live {@link Throwable}, so {@link #requireSuccess()} then throws without a
 * cause). Memory is bounded: a step keeps at most {@value #MAX_COMMANDS_PER_STEP} commands (later ones are
 * counted), a command its argv, exit, duration and the last {@value #STDERR_TAIL_LINES} lines of stderr.
 *
 * <p>Failure semantics: {@link PipelineRunner#run} returns a report whatever happened; {@link #failure()} is the
 * first thing that went wrong (the step that failed, timed out or was cancelled, or, when every step succeeded,
 * the first cleanup that failed). Cleanup failures never replace a step's failure: they are listed in
 * {@link #cleanups()}.
 *
 * <pre>{@code
 * RunReport report = runner.run(pipeline);
 * log.info("{}", report.summary());
 * Files.writeString(Path.of("run.json"), report.toJson());
 * report.requireSuccess();     // throws StepFailedException naming step, host, command, exit, stderr tail
 * }</pre>
 */
public final class RunReport {
    /** The most commands a step report keeps; later commands are only counted. */
    public static final int MAX_COMMANDS_PER_STEP = 500;
    /** Lines of stderr kept per command and in a failure. */
    public static final int STDERR_TAIL_LINES = 10;

    /** How a run ended. */
    public enum Outcome {
        /** Every step that was to run is DONE, and every cleanup too. */
        SUCCEEDED,
        /** A step failed or timed out, or a cleanup failed. */
        FAILED,
        /** The run was cancelled or its thread interrupted. */
        CANCELLED
    }

    /**
     * A command that ran.
     *
     * @param host where
     * @param argv what
     * @param exit how it ended; {@link Exit.Unknown} when it could not start or was interrupted
     * @param duration how long it took
     * @param stderrTail its last lines of stderr
     */
    public record CommandRecord(Host host, List<String> argv, Exit exit, Duration duration, List<String> stderrTail) {
        public CommandRecord {
            Objects.requireNonNull(host, "host");
            argv = List.copyOf(argv);
            Objects.requireNonNull(exit, "exit");
            Objects.requireNonNull(duration, "duration");
            stderrTail = List.copyOf(stderrTail);
        }
    }

    /**
     * What went wrong, where.
     *
     * @param step the step (for a cleanup: the step that deferred it)
     * @param cleanup the cleanup's description, when a cleanup failed
     * @param host the host of the failing command, when one failed
     * @param argv the failing command; empty when none was involved
     * @param exit how the failing command ended, when known
     * @param stderrTail its last lines of stderr (or stdout when stderr was empty)
     * @param message a bounded, readable account, as {@link StepFailedException} carries it
     * @param type the class of the original exception
     */
    public record Failure(String step, Optional<String> cleanup, Optional<Host> host, List<String> argv,
                          Optional<Exit> exit, List<String> stderrTail, String message, String type) {
        public Failure {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(cleanup, "cleanup");
            Objects.requireNonNull(host, "host");
            argv = List.copyOf(argv);
            Objects.requireNonNull(exit, "exit");
            stderrTail = List.copyOf(stderrTail);
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * One step of the run.
     *
     * @param name the step
     * @param status how it ended
     * @param duration how long it ran, all attempts and backoffs included
     * @param attempts how many times it was tried (0 when skipped)
     * @param hosts the hosts it ran commands on, in order of first use
     * @param commands the commands it ran, at most {@link #MAX_COMMANDS_PER_STEP}
     * @param commandsDropped how many more commands it ran that are not kept
     * @param warnings what it warned about
     * @param notes what it noted, and why it was skipped
     * @param failure why it failed, timed out or was cancelled
     * @param roundTrips how many commands it started on hosts, all attempts included: those of {@code commands}
     *     and those started on a connection directly (a file written, each side of a relay, a poll)
     * @param xcatCalls how many xCAT client commands those ran ({@link io.crossgen.command.Command#xcatCalls()})
     */
    public record StepReport(String name, StepStatus status, Duration duration, int attempts, List<Host> hosts,
                             List<CommandRecord> commands, int commandsDropped, List<String> warnings,
                             List<String> notes, Optional<Failure> failure, int roundTrips, int xcatCalls) {
        public StepReport {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(duration, "duration");
            hosts = List.copyOf(hosts);
            commands = List.copyOf(commands);
            warnings = List.copyOf(warnings);
            notes = List.copyOf(notes);
            Objects.requireNonNull(failure, "failure");
            counts(roundTrips, xcatCalls);
        }

        /** A step that started nothing on any host (skipped, or stopped before it ran). */
        public StepReport(String name, StepStatus status, Duration duration, int attempts, List<Host> hosts,
                          List<CommandRecord> commands, int commandsDropped, List<String> warnings,
                          List<String> notes, Optional<Failure> failure) {
            this(name, status, duration, attempts, hosts, commands, commandsDropped, warnings, notes, failure, 0, 0);
        }
    }

    /**
     * One deferred cleanup, in the order they ran (last deferred first).
     *
     * @param step the step that deferred it
     * @param description what it undoes
     * @param status DONE, FAILED, or CANCELLED when its time ran out
     * @param duration how long it ran
     * @param commands the commands it ran
     * @param failure why it failed
     * @param roundTrips how many commands it started on hosts (see {@link StepReport#roundTrips()})
     * @param xcatCalls how many xCAT client commands those ran
     */
    public record CleanupReport(String step, String description, StepStatus status, Duration duration,
                                List<CommandRecord> commands, Optional<Failure> failure, int roundTrips,
                                int xcatCalls) {
        public CleanupReport {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(duration, "duration");
            commands = List.copyOf(commands);
            Objects.requireNonNull(failure, "failure");
            counts(roundTrips, xcatCalls);
        }

        /** A cleanup whose round trips are not counted (0). */
        public CleanupReport(String step, String description, StepStatus status, Duration duration,
                             List<CommandRecord> commands, Optional<Failure> failure) {
            this(step, description, status, duration, commands, failure, 0, 0);
        }
    }

    private static void counts(int roundTrips, int xcatCalls) {
        if (roundTrips < 0 || xcatCalls < 0) {
            throw new IllegalArgumentException("round trips and xCAT calls are counts, not " + roundTrips + " and "
                    + xcatCalls);
        }
    }

    /**
     * A value a step stored with {@link StepContext#put}, as saved for a resumed run.
     *
     * @param key the key's name
     * @param type the key's type, a class name
     * @param step the step that stored it
     * @param json the value as JSON; empty when Jackson could not write it and read it back, in which case a
     *     resumed run cannot restore it
     */
    public record SavedValue(String key, String type, String step, Optional<String> json) {
        public SavedValue {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(json, "json");
        }
    }

    private final String runId;
    private final String pipeline;
    private final Instant started;
    private final Duration duration;
    private final Outcome outcome;
    private final List<StepReport> steps;
    private final List<CleanupReport> cleanups;
    private final Optional<Failure> failure;
    private final List<SavedValue> values;
    private final transient Throwable cause;
    private final transient List<Throwable> cleanupCauses;

    /** A report; used by the runner and by tests that need one. */
    public RunReport(String runId, String pipeline, Instant started, Duration duration, Outcome outcome,
                     List<StepReport> steps, List<CleanupReport> cleanups, Optional<Failure> failure,
                     List<SavedValue> values) {
        this(runId, pipeline, started, duration, outcome, steps, cleanups, failure, values, null, List.of());
    }

    RunReport(String runId, String pipeline, Instant started, Duration duration, Outcome outcome,
              List<StepReport> steps, List<CleanupReport> cleanups, Optional<Failure> failure,
              List<SavedValue> values, Throwable cause, List<Throwable> cleanupCauses) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.started = Objects.requireNonNull(started, "started");
        this.duration = Objects.requireNonNull(duration, "duration");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.steps = List.copyOf(steps);
        this.cleanups = List.copyOf(cleanups);
        this.failure = Objects.requireNonNull(failure, "failure");
        this.values = List.copyOf(values);
        this.cause = cause;
        this.cleanupCauses = List.copyOf(cleanupCauses);
        if (outcome != Outcome.SUCCEEDED && failure.isEmpty()) {
            throw new IllegalArgumentException("a " + outcome + " run needs a failure");
        }
    }

    /** A short random id naming this run in logs, notes and resumed runs. */
    public String runId() {
        return runId;
    }

    /** The pipeline's name. */
    public String pipeline() {
        return pipeline;
    }

    /** When the run started. */
    public Instant started() {
        return started;
    }

    /** How long the run took, cleanups included. */
    public Duration duration() {
        return duration;
    }

    /** How the run ended. */
    public Outcome outcome() {
        return outcome;
    }

    /** Whether the run {@link Outcome#SUCCEEDED}. */
    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }

    /** Every step of the pipeline, in order, with its status. */
    public List<StepReport> steps() {
        return steps;
    }

    /** The report of the step of that name. */
    public Optional<StepReport> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The cleanups in the order they ran. */
    public List<CleanupReport> cleanups() {
        return cleanups;
    }

    /** The first thing that went wrong; empty for a successful run. */
    public Optional<Failure> failure() {
        return failure;
    }

    /** The values steps stored, as saved for {@link PipelineRunner.Builder#resumeFrom}. */
    public List<SavedValue> values() {
        return values;
    }

    /**
     * Returns this report when the run succeeded.
     *
     * @throws StepFailedException describing {@link #failure()}, with the original exception as cause when the
     *     report comes from a live run, and cleanup failures as suppressed exceptions
     */
    public RunReport requireSuccess() {
        if (failure.isPresent()) {
            StepFailedException e = new StepFailedException(failure.get(), cause);
            cleanupCauses.stream().filter(c -> c != cause).forEach(e::addSuppressed);
            throw e;
        }
        return this;
    }

    /** The report as JSON, readable with {@link #fromJson(String)}. */
    public String toJson() {
        return JsonCodec.write(this);
    }

    /**
     * Reads a report written by {@link #toJson()}.
     *
     * @throws PipelineException when the text is not such a report (the message says which field is wrong)
     */
    public static RunReport fromJson(String json) {
        return JsonCodec.readReport(json);
    }

    /**
     * A compact table of the run.
     *
     * <pre>
     * run 3f9c2a1e of seed: FAILED in 2.1 s, 5 round trips, 2 xCAT calls
     *   #  step             status     time  cmds  trips  xcat  hosts
     *   1  copy-definition  DONE      0.1 s     2      3     2  local
     *   2  mount-install    FAILED    2.0 s     1      1     0  root@node01
     *   3  generate         SKIPPED       -     0      0     0
     *   cleanup  unmount /install (mount-install)  DONE  0.1 s
     * failure: step 'mount-install' failed: ...
     * </pre>
     *
     * <p>{@code cmds} counts the commands the step ran (those of {@link StepReport#commands()}), {@code trips} every
     * command it started on a host ({@link StepReport#roundTrips()}), {@code xcat} the xCAT client commands among
     * them ({@link StepReport#xcatCalls()}); the first line's totals include the cleanups. When there are several
     * cleanups and all are DONE, they take one line: {@code cleanups  all 6 DONE in 0.4 s}.
     */
    public String summary() {
        StringBuilder s = new StringBuilder();
        int trips = steps.stream().mapToInt(StepReport::roundTrips).sum()
                + cleanups.stream().mapToInt(CleanupReport::roundTrips).sum();
        int xcat = steps.stream().mapToInt(StepReport::xcatCalls).sum()
                + cleanups.stream().mapToInt(CleanupReport::xcatCalls).sum();
        s.append("run ").append(runId).append(" of ").append(pipeline).append(": ").append(outcome)
                .append(" in ").append(Durations.format(duration)).append(", ").append(trips)
                .append(trips == 1 ? " round trip, " : " round trips, ").append(xcat)
                .append(xcat == 1 ? " xCAT call" : " xCAT calls").append('\n');
        int width = Math.max(4, steps.stream().mapToInt(r -> r.name().length()).max().orElse(4));
        s.append(String.format("  %2s  %-" + width + "s  %-9s %7s  %4s  %5s  %4s  %s%n", "#", "step", "status", "time",
                "cmds", "trips", "xcat", "hosts"));
        for (int i = 0; i < steps.size(); i++) {
            StepReport r = steps.get(i);
            String time = r.status() == StepStatus.SKIPPED ? "-" : Durations.format(r.duration());
            String hosts = r.hosts().stream().map(Host::label).collect(Collectors.joining(", "));
            s.append(String.format("  %2d  %-" + width + "s  %-9s %7s  %4d  %5d  %4d  %s", i + 1, r.name(), r.status(),
                    time, r.commands().size() + r.commandsDropped(), r.roundTrips(), r.xcatCalls(), hosts)
                    .stripTrailing()).append('\n');
        }
        boolean allDone = cleanups.size() > 1 && cleanups.stream().allMatch(c -> c.status() == StepStatus.DONE);
        if (allDone) {   // one line: the cleanups that went wrong are the ones a reader needs to see
            s.append("  cleanups  all ").append(cleanups.size()).append(" DONE in ").append(Durations.format(
                    cleanups.stream().map(CleanupReport::duration).reduce(Duration.ZERO, Duration::plus)))
                    .append('\n');
        }
        for (CleanupReport c : allDone ? List.<CleanupReport>of() : cleanups) {
            s.append("  cleanup  ").append(c.description()).append(" (").append(c.step()).append(")  ")
                    .append(c.status()).append("  ").append(Durations.format(c.duration())).append('\n');
            c.failure().ifPresent(f -> s.append("    ").append(firstLine(f.message())).append('\n'));
        }
        failure.ifPresent(f -> s.append("failure: ").append(f.message()).append('\n'));
        return s.toString();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl) + " ...";
    }

    /** {@link #summary()}. */
    @Override
    public String toString() {
        return summary();
    }

    /** Data equality; the live exceptions are not compared. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RunReport r && runId.equals(r.runId) && pipeline.equals(r.pipeline)
                && started.equals(r.started) && duration.equals(r.duration) && outcome == r.outcome
                && steps.equals(r.steps) && cleanups.equals(r.cleanups) && failure.equals(r.failure)
                && values.equals(r.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(runId, pipeline, started, duration, outcome, steps, cleanups, failure, values);
    }

    static List<String> bound(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            out.add(l.length() > 500 ? l.substring(0, 500) + "..." : l);
        }
        return out;
    }
}
