package io.crossgen.pipeline;

import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** One run (or dry run) of one pipeline: the per-run state and the order of events. */
final class Execution {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);
    /** How long a step gets to end after its worker was interrupted, before it is left behind. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final PipelineRunner config;
    private final Pipeline pipeline;
    private final boolean planning;
    private final PipelineListener listener;
    private final String runId;
    private final int resumeIndex;
    private final String previousRunId;

    private final Connections connections;
    private final Values values;
    /**
     * The cleanups still to run, in the order they run: by the step that deferred them, last in the plan's order
     * first ({@link StepGraph#order()}, each step after what it needs); of one step, last deferred first.
     */
    private final List<Deferred> deferred = new ArrayList<>();
    /** Each step's place in the plan's order, which orders the cleanups. */
    private final Map<String, Integer> rank = new HashMap<>();
    /** Counted down to stop the running steps: by a cancel, or by the first step that fails. */
    private final CountDownLatch halt = new CountDownLatch(1);
    private volatile boolean cancelled;
    private volatile Deferred runningCleanup;
    private volatile boolean callerInterrupted;
    private final RunProgress progress;

    private record Deferred(String step, String description, Cleanup cleanup, int rank) {
    }

    enum Kind { DONE, FAILED, TIMED_OUT, CANCELLED }

    /** How a step, a cleanup or the connecting ended. */
    record Ending(Kind kind, Throwable error, Plan.Invocation running, Duration limit) {
    }

    Execution(PipelineRunner config, Pipeline pipeline, boolean planning) {
        this.config = Objects.requireNonNull(config, "runner");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.planning = planning;
        this.listener = Listeners.guard(config.listener());
        Optional<RunReport> previous = config.resumeReport();
        this.runId = config.runId().orElseGet(() -> previous.map(RunReport::runId).orElseGet(PipelineRunner::newRunId));
        if (previous.isPresent()) {
            RunReport prev = previous.get();
            String from = config.resumeStep().orElseThrow();
            this.previousRunId = prev.runId();
            this.resumeIndex = checkResume(prev, from);
        } else {
            this.previousRunId = null;
            this.resumeIndex = 0;
        }
        this.values = new Values(planning, previous);
        this.connections = new Connections(config.transports());
        this.progress = new RunProgress(pipeline, runId, planning, listener, values);
        List<String> order = pipeline.graph().order();
        for (int i = 0; i < order.size(); i++) {
            rank.put(order.get(i), i);
        }
    }

    private int checkResume(RunReport prev, String from) {
        String cannot = "cannot resume pipeline '" + pipeline.name() + "' from step '" + from + "': ";
        if (!prev.pipeline().equals(pipeline.name())) {
            throw new PipelineException(cannot + "run " + prev.runId() + " ran pipeline '" + prev.pipeline() + "'");
        }
        List<String> names = pipeline.stepNames();
        int index = names.indexOf(from);
        if (index < 0) {
            throw new PipelineException(cannot + "there is no such step (steps: " + String.join(", ", names) + ")");
        }
        for (int i = 0; i < index; i++) {
            String name = names.get(i);
            Optional<RunReport.StepReport> done = prev.step(name);
            if (done.isEmpty()) {
                throw new PipelineException(cannot + "step '" + name + "' was not part of run " + prev.runId());
            }
            if (!pipeline.doneIn(prev, name)) {
                throw new PipelineException(cannot + "step '" + name + "' is " + done.get().status() + " in run "
                        + prev.runId() + ", not DONE");
            }
        }
        return index;
    }

    String runId() {
        return runId;
    }

    boolean planning() {
        return planning;
    }

    PipelineListener listener() {
        return listener;
    }

    void cancel() {
        cancelled = true;
        halt.countDown();
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Stops the steps that run (they end CANCELLED): the first failure stops the others. */
    void stopSteps() {
        halt.countDown();
    }

    /** The calling thread was interrupted: the run is cancelled, and the thread's flag set again at the end. */
    void callerInterrupted() {
        callerInterrupted = true;
        cancel();
    }

    // ---------------------------------------------------------------- the run

    RunReport run() {
        Instant started = progress.start();
        long t0 = System.nanoTime();
        String previousPipeline = MDC.get("pipeline");
        MDC.put("pipeline", pipeline.name());
        try {
            LOG.info("run {} of pipeline {} starts{}", runId, pipeline.name(),
                    previousRunId == null ? "" : " (resuming run " + previousRunId + ")");
            listener.runStarted(pipeline.name(), false);
            RunReport.Failure failure = null;
            Throwable cause = null;
            RunReport.Outcome outcome = RunReport.Outcome.SUCCEEDED;
            List<Step> steps = pipeline.steps();
            String unreachable = null;
            if (resumeIndex < steps.size()) {
                String first = steps.get(resumeIndex).name();
                Ending reach = connectEveryHost(first);
                if (reach.kind() == Kind.CANCELLED) {
                    cancel();
                } else if (reach.kind() != Kind.DONE) {
                    Throwable t = reach.error() != null ? reach.error()
                            : new TimeoutException("connecting timed out after " + reach.limit());
                    unreachable = "not run: a host could not be reached";
                    String message = Failures.bound("run " + runId + " changed nothing: " + Failures.describe(t));
                    failure = new RunReport.Failure(first, Optional.empty(), Failures.hostOf(t), List.of(),
                            Optional.empty(), List.of(), message, t.getClass().getName());
                    cause = t;
                    outcome = RunReport.Outcome.FAILED;
                    LOG.warn("{}", message);
                }
            }
            StepScheduler.Result result = new StepScheduler(this, pipeline, resumeIndex, previousRunId,
                    config.parallelism()).run(unreachable, new StepScheduler.Result(outcome, failure, cause));
            failure = result.failure();
            cause = result.cause();
            outcome = result.outcome();
            List<RunReport.CleanupReport> cleanups = new ArrayList<>();
            List<Throwable> cleanupCauses = new ArrayList<>();
            runCleanups(cleanups, cleanupCauses, null);
            if (failure == null) {
                for (RunReport.CleanupReport c : cleanups) {
                    if (c.failure().isPresent()) {
                        failure = c.failure().get();
                        cause = cleanupCauses.isEmpty() ? null : cleanupCauses.get(0);
                        outcome = RunReport.Outcome.FAILED;
                        break;
                    }
                }
            }
            connections.closeAll();
            RunReport report = new RunReport(runId, pipeline.name(), started, Duration.ofNanos(System.nanoTime() - t0),
                    outcome, progress.snapshot(), cleanups, Optional.ofNullable(failure), values.saved(), cause,
                    cleanupCauses);
            LOG.info("run {} of pipeline {} {} in {}", runId, pipeline.name(), outcome,
                    Durations.format(report.duration()));
            listener.runFinished(report);
            return report;
        } finally {
            restoreMdc("pipeline", previousPipeline);
            if (callerInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What the run reads like so far. */
    RunProgress progress() {
        return progress;
    }

    /** How a step ended: its report, and the failure's kind and cause. */
    record StepOutcome(RunReport.StepReport report, Kind kind, Throwable cause) {
    }

    /** Runs a step, with its retries, on the calling thread (the step's body runs on a worker of its own). */
    StepOutcome runStep(Step step) {
        String name = step.name();
        Recorder recorder = new Recorder();
        listener.stepStarted(name);
        long t0 = System.nanoTime();
        Duration limit = step.timeout().orElse(config.stepTimeout());
        int maxAttempts = step.repeatable() ? config.retry().attempts() : 1;
        int attempt = 0;
        Ending end;
        StepScope scope;
        while (true) {
            attempt++;
            scope = new StepScope(this, name, limit, recorder);
            StepScope s = scope;
            end = runBounded("step-" + name, scope, () -> step.run(s), true);
            if (end.kind() != Kind.FAILED || attempt >= maxAttempts) {
                break;
            }
            Duration wait = config.retry().backoffAfter(attempt);
            String warning = "attempt " + attempt + " of " + maxAttempts + " failed: "
                    + Failures.firstLine(Failures.describe(end.error())) + "; trying again in "
                    + Durations.format(wait);
            LOG.warn("step {}: {}", name, warning);
            recorder.warn(warning);
            listener.warning(name, warning);
            if (awaitCancel(wait)) {
                end = new Ending(Kind.CANCELLED, null, null, limit);
                break;
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        StepStatus status = switch (end.kind()) {
            case DONE -> StepStatus.DONE;
            case FAILED -> StepStatus.FAILED;
            case TIMED_OUT, CANCELLED -> StepStatus.CANCELLED;
        };
        Optional<RunReport.Failure> failure = end.kind() == Kind.DONE ? Optional.empty()
                : Optional.of(Failures.failure(name, Optional.empty(), end, scope));
        Throwable cause = end.kind() == Kind.DONE ? null : Failures.causeOf(end, failure.get());
        RunReport.StepReport report = new RunReport.StepReport(name, status, took, attempt, recorder.hosts(),
                recorder.commands(), recorder.dropped(), recorder.warnings(), recorder.notes(), failure,
                recorder.roundTrips(), recorder.xcatCalls());
        if (end.kind() == Kind.DONE) {
            LOG.info("step {} done in {}", name, Durations.format(took));
        } else {
            LOG.warn("{}", failure.get().message());
        }
        listener.stepFinished(name, status, took, Optional.ofNullable(cause));
        return new StepOutcome(report, end.kind(), cause);
    }

    /**
     * Connects to every host of the runner before the first step, so that an unknown scheme, an unreachable host,
     * a refused host key or refused credentials stop the run before anything changes on any host. The hosts are
     * connected to at once; the first failure ends the wait (the other attempts are interrupted). Bounded by the
     * step timeout and cancellable like a step.
     */
    private Ending connectEveryHost(String firstStep) {
        List<Host> hosts = config.hosts().values().stream().distinct().toList();
        if (hosts.isEmpty()) {
            return new Ending(Kind.DONE, null, null, config.stepTimeout());
        }
        StepScope scope = new StepScope(this, firstStep, config.stepTimeout(), new Recorder());
        return runBounded("connect", scope, () -> {
            ExecutorService pool = Executors.newFixedThreadPool(hosts.size(), r -> {
                Thread t = new Thread(r, "crossgen-connect");
                t.setDaemon(true);
                return t;
            });
            try {
                CompletionService<Connection> each = new ExecutorCompletionService<>(pool);
                hosts.forEach(h -> each.submit(() -> connection(h)));
                for (int i = 0; i < hosts.size(); i++) {
                    try {
                        each.take().get();
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof Exception x ? x : new ExecutionException(e.getCause());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }, true);
    }


    /** The descriptions of the deferred cleanups that have not ended yet, the running one first. */
    List<String> pendingCleanups() {
        synchronized (deferred) {
            List<String> out = new ArrayList<>();
            Deferred now = runningCleanup;
            if (now != null) {
                out.add(now.description() + " (running)");
            }
            deferred.forEach(d -> out.add(d.description()));
            return out;
        }
    }

    private void runCleanups(List<RunReport.CleanupReport> reports, List<Throwable> causes, List<Plan.Section> plan) {
        List<Deferred> order = new ArrayList<>();
        int number = 0;
        while (true) {
            Deferred d;
            synchronized (deferred) {
                d = deferred.isEmpty() ? null : deferred.remove(0);
                runningCleanup = d;
            }
            if (d == null) {
                break;
            }
            number++;
            order.add(d);
            Recorder recorder = new Recorder();
            listener.cleanupStarted(d.step(), d.description());
            long t0 = System.nanoTime();
            StepScope scope = new StepScope(this, d.step(), config.stepTimeout(), recorder);
            Ending end;
            if (planning) {
                end = runInline(() -> d.cleanup().run(scope));
            } else {
                end = runBounded("cleanup-" + d.step(), scope, () -> d.cleanup().run(scope), false);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (plan != null) {
                if (end.kind() != Kind.DONE) {
                    throw planFailure("cleanup '" + d.description() + "' of step '" + d.step() + "'", end.error());
                }
                plan.add(new Plan.Section(d.step(), number, 0, Optional.of(d.description()), recorder.entries()));
                listener.cleanupFinished(d.step(), d.description(), StepStatus.DONE, took, Optional.empty());
                continue;
            }
            StepStatus status = end.kind() == Kind.DONE ? StepStatus.DONE
                    : end.kind() == Kind.FAILED ? StepStatus.FAILED : StepStatus.CANCELLED;
            Optional<RunReport.Failure> failure = end.kind() == Kind.DONE ? Optional.empty()
                    : Optional.of(Failures.failure(d.step(), Optional.of(d.description()), end, scope));
            Throwable cause = failure.map(f -> Failures.causeOf(end, f)).orElse(null);
            if (cause != null) {
                causes.add(cause);
                LOG.warn("{}", failure.get().message());
            } else {
                LOG.info("cleanup '{}' of step {} done in {}", d.description(), d.step(), Durations.format(took));
            }
            reports.add(new RunReport.CleanupReport(d.step(), d.description(), status, took, recorder.commands(),
                    failure, recorder.roundTrips(), recorder.xcatCalls()));
            listener.cleanupFinished(d.step(), d.description(), status, took, Optional.ofNullable(cause));
        }
    }


    // ---------------------------------------------------------------- the dry run

    Plan plan() {
        String previousPipeline = MDC.get("pipeline");
        MDC.put("pipeline", pipeline.name());
        try {
            listener.runStarted(pipeline.name(), true);
            List<Plan.Section> sections = new ArrayList<>();
            List<Step> steps = pipeline.steps();
            for (String name : pipeline.graph().order()) {
                int i = pipeline.stepNames().indexOf(name);
                Step step = steps.get(i);
                List<String> needs = pipeline.graph().needs(name);
                String skip = pipeline.isSkipped(step.name()) ? "skipped in the pipeline"
                        : i < resumeIndex ? Pipeline.DONE_IN_RUN + previousRunId : null;
                if (skip != null) {
                    sections.add(new Plan.Section(step.name(), i + 1, steps.size(), Optional.empty(),
                            List.of(new Plan.Note(skip, false)), step.intent(), needs));
                    continue;
                }
                Recorder recorder = new Recorder();
                listener.stepStarted(step.name());
                StepScope scope = new StepScope(this, step.name(), config.stepTimeout(), recorder);
                Ending end = runInline(() -> step.run(scope));
                if (end.kind() != Kind.DONE) {
                    throw planFailure("step '" + step.name() + "'", end.error());
                }
                listener.stepFinished(step.name(), StepStatus.DONE, Duration.ZERO, Optional.empty());
                sections.add(new Plan.Section(step.name(), i + 1, steps.size(), Optional.empty(), recorder.entries(),
                        step.intent(), needs));
            }
            List<Plan.Section> cleanups = new ArrayList<>();
            runCleanups(null, null, cleanups);
            for (Plan.Section c : cleanups) {
                sections.add(new Plan.Section(c.step(), c.number(), cleanups.size(), c.cleanup(), c.entries()));
            }
            return new Plan(pipeline.name(), config.hosts(), sections);
        } finally {
            restoreMdc("pipeline", previousPipeline);
        }
    }

    private PipelineException planFailure(String what, Throwable error) {
        if (error instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new PipelineException("planning " + what + " was interrupted", error);
        }
        return new PipelineException("planning " + what + " failed: " + Failures.bound(Failures.describe(error)),
                error);
    }

    // ---------------------------------------------------------------- bounded execution

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private Ending runInline(Body body) {
        try {
            body.run();
            return new Ending(Kind.DONE, null, null, config.stepTimeout());
        } catch (Throwable t) {
            return new Ending(t instanceof InterruptedException ? Kind.CANCELLED : Kind.FAILED, t, null,
                    config.stepTimeout());
        }
    }

    /**
     * Runs {@code body} on a worker thread until it ends, its deadline passes, or (when {@code cancellable})
     * the run is cancelled or the calling thread interrupted; then interrupts the worker and waits for it.
     */
    private Ending runBounded(String label, StepScope scope, Body body, boolean cancellable) {
        Throwable[] error = new Throwable[1];
        CountDownLatch done = new CountDownLatch(1);
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Thread worker = new Thread(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            MDC.put("step", scope.step());
            try {
                body.run();
            } catch (Throwable t) {
                error[0] = t;
            } finally {
                MDC.clear();
                done.countDown();
            }
        }, "crossgen-" + label);
        worker.setDaemon(true);
        Duration limit = scope.limit();
        worker.start();
        Kind stop = null;
        while (done.getCount() > 0) {
            if (cancellable && halt.getCount() == 0) {
                stop = Kind.CANCELLED;
                break;
            }
            long left = scope.deadlineNanos() - System.nanoTime();
            if (left <= 0) {
                stop = Kind.TIMED_OUT;
                break;
            }
            try {
                done.await(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                callerInterrupted = true;
                if (cancellable) {
                    cancel();
                    stop = Kind.CANCELLED;
                    break;
                }
            }
        }
        if (stop != null && done.getCount() > 0) {
            Plan.Invocation running = scope.running();
            worker.interrupt();
            if (!awaitUninterruptibly(done, STOP_GRACE)) {
                LOG.warn("{} did not end within {} of being interrupted; its thread is left behind", label,
                        STOP_GRACE);
            }
            return new Ending(stop, error[0], running, limit);
        }
        Throwable t = error[0];
        if (t == null) {
            return new Ending(Kind.DONE, null, null, limit);
        }
        if (t instanceof InterruptedException) {
            return new Ending(Kind.CANCELLED, t, null, limit);
        }
        return new Ending(Kind.FAILED, t, null, limit);
    }

    private boolean awaitUninterruptibly(CountDownLatch latch, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return latch.await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                callerInterrupted = true;
            }
        }
    }

    /** Waits {@code wait} unless the run is cancelled first; returns whether it was. */
    private boolean awaitCancel(Duration wait) {
        try {
            return halt.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            callerInterrupted = true;
            cancel();
            return true;
        }
    }


    private static void restoreMdc(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    // ---------------------------------------------------------------- what the contexts share

    Host host(Role role, String step) {
        Host host = config.hosts().get(role);
        if (host == null) {
            throw new IllegalArgumentException("step '" + step + "' needs a host for role '" + role
                    + "', but the runner has none (roles: " + (config.hosts().isEmpty() ? "none"
                    : config.hosts().keySet().stream().map(Role::name).collect(Collectors.joining(", "))) + ")");
        }
        return host;
    }



    Connection connection(Host host) throws InterruptedException {
        return connections.get(host);
    }

    <T> void put(Key<T> key, T value, String step) {
        if (values.put(key, value, step)) {
            progress.tell();
        }
    }

    <T> Optional<T> get(Key<T> key) {
        return values.get(key);
    }

    <T> T require(Key<T> key, String step) {
        return values.require(key, step);
    }

    void defer(String step, String description, Cleanup cleanup) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(cleanup, "cleanup");
        // A step's cleanups run before those of the steps it needs, as in reverse order of deferring; between
        // steps that ran at once, the plan's order decides rather than which deferred first, so that a run's cleanups
        // and their order are the same whatever ran beside what.
        Deferred d = new Deferred(step, description, cleanup, rank.getOrDefault(step, Integer.MAX_VALUE));
        synchronized (deferred) {
            int at = 0;
            while (at < deferred.size() && deferred.get(at).rank() > d.rank()) {
                at++;
            }
            deferred.add(at, d);
        }
    }
}
