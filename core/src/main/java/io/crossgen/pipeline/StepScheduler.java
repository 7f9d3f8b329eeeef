package io.crossgen.pipeline;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * Starts every step of a run whose needs are done, at most {@code parallelism} at once, each on a thread of its
 * own, and waits for them on the run's thread; after the first step that fails, times out or is cancelled, it
 * starts nothing more, has the steps still running cancelled, and reports the rest SKIPPED. The run's failure is
 * the first step that failed or timed out; when the run was cancelled, the first cancelled step in pipeline order
 * (steps cancelled at once end in any order), or, when no step was running, the first step it did not start.
 *
 * <p>A need is done when the step is DONE, SKIPPED in the pipeline, or done in the run a resumed run resumes.
 * Steps that may start are started in pipeline order; with a parallelism of 1, or steps that declare no needs,
 * the run is strictly sequential.
 */
final class StepScheduler {
    private static final long POLL_MILLIS = 50;

    /** How the steps ended: the run's outcome and its first failure, if any. */
    record Result(RunReport.Outcome outcome, RunReport.Failure failure, Throwable cause) {
    }

    private record Finished(Step step, Execution.StepOutcome outcome) {
    }

    private final Execution run;
    private final Pipeline pipeline;
    private final int resumeIndex;
    private final String previousRunId;
    private final int parallelism;
    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private final Set<String> ended = new HashSet<>();
    private final Set<String> met = new HashSet<>();
    private final Set<String> started = new HashSet<>();

    StepScheduler(Execution run, Pipeline pipeline, int resumeIndex, String previousRunId, int parallelism) {
        this.run = run;
        this.pipeline = pipeline;
        this.resumeIndex = resumeIndex;
        this.previousRunId = previousRunId;
        this.parallelism = parallelism;
    }

    /**
     * Runs the steps; with {@code unreachable} (why no step can run) reports every step SKIPPED with it instead.
     */
    Result run(String unreachable, Result before) {
        Result result = before;
        String stop = unreachable;
        List<Step> steps = pipeline.steps();
        int running = 0;
        String cancelledBefore = null;
        while (ended.size() < steps.size()) {
            if (Thread.interrupted()) {
                run.callerInterrupted();
            }
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                String name = step.name();
                if (ended.contains(name) || started.contains(name)) {
                    continue;
                }
                if (stop != null) {
                    skip(step, stop);
                } else if (!met.containsAll(pipeline.graph().allNeeds(name))) {
                    continue;
                } else if (pipeline.isSkipped(name)) {
                    skip(step, "skipped in the pipeline");
                    met.add(name);
                } else if (i < resumeIndex) {
                    skip(step, Pipeline.DONE_IN_RUN + previousRunId);
                    met.add(name);
                } else if (run.isCancelled()) {
                    stop = "not run: the run was cancelled";
                    // a step still running ends CANCELLED and names the cancel; only without one does this step
                    if (cancelledBefore == null) {
                        cancelledBefore = name;
                    }
                    skip(step, stop);
                } else if (running < parallelism) {
                    start(step);
                    running++;
                } else {
                    continue;
                }
                i = -1;   // a step that ended may let an earlier one start: look again from the first
            }
            if (running == 0) {
                break;
            }
            Finished f;
            try {
                f = finished.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                run.callerInterrupted();
                continue;
            }
            if (f == null) {
                continue;
            }
            running--;
            String name = f.step().name();
            run.progress().finished(name, f.outcome().report(), running > 0);
            ended.add(name);
            if (f.outcome().report().status() == StepStatus.DONE) {
                met.add(name);
            } else if (result.failure() == null) {
                boolean cancelled = f.outcome().kind() == Execution.Kind.CANCELLED;
                result = new Result(cancelled ? RunReport.Outcome.CANCELLED : RunReport.Outcome.FAILED,
                        f.outcome().report().failure().orElseThrow(), f.outcome().cause());
                stop = cancelled ? "not run: the run was cancelled" : "not run: an earlier step failed";
                run.stopSteps();
            } else if (f.outcome().kind() == Execution.Kind.CANCELLED
                    && result.outcome() == RunReport.Outcome.CANCELLED
                    && pipeline.stepNames().indexOf(name) < pipeline.stepNames().indexOf(result.failure().step())) {
                // steps cancelled at once end in any order: the run names the first of them in pipeline order
                result = new Result(RunReport.Outcome.CANCELLED, f.outcome().report().failure().orElseThrow(),
                        f.outcome().cause());
            }
        }
        if (cancelledBefore != null && result.failure() == null) {
            String message = "run " + run.runId() + " was cancelled before step '" + cancelledBefore + "'";
            result = new Result(RunReport.Outcome.CANCELLED, new RunReport.Failure(cancelledBefore, Optional.empty(),
                    Optional.empty(), List.of(), Optional.empty(), List.of(), message,
                    CancellationException.class.getName()), new CancellationException(message));
        }
        return result;
    }

    private void start(Step step) {
        String name = step.name();
        started.add(name);
        run.progress().starting(name);
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Thread t = new Thread(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                finished.add(new Finished(step, run.runStep(step)));
            } finally {
                MDC.clear();
            }
        }, "crossgen-run-" + name);
        t.setDaemon(true);
        t.start();
    }

    private void skip(Step step, String why) {
        String name = step.name();
        ended.add(name);
        run.progress().finished(name, new RunReport.StepReport(name, StepStatus.SKIPPED, Duration.ZERO, 0, List.of(),
                List.of(), 0, List.of(), List.of(why), Optional.empty()), false);
        run.listener().stepFinished(name, StepStatus.SKIPPED, Duration.ZERO, Optional.empty());
    }
}
