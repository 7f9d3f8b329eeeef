package io.crossgen.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a run stands while its steps run, several at once: the reports of the steps that ended and the steps that
 * run, and the report a run killed now would leave ({@link PipelineListener#progress}), told to the listener
 * under one lock, so that progress is told in the order it was made.
 */
final class RunProgress {
    private final Pipeline pipeline;
    private final String runId;
    private final boolean planning;
    private final PipelineListener listener;
    private final Values values;
    private final Map<String, RunReport.StepReport> reports = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private Instant started = Instant.now();

    RunProgress(Pipeline pipeline, String runId, boolean planning, PipelineListener listener, Values values) {
        this.pipeline = pipeline;
        this.runId = runId;
        this.planning = planning;
        this.listener = listener;
        this.values = values;
    }

    /** The run starts now; returns the time. */
    synchronized Instant start() {
        started = Instant.now();
        return started;
    }

    /** A step starts: the progress says so. */
    synchronized void starting(String step) {
        running.add(step);
        tell();
    }

    /** A step ended (or will not run); with {@code tell}, the progress says so. */
    synchronized void finished(String step, RunReport.StepReport report, boolean tell) {
        running.remove(step);
        reports.put(step, report);
        if (tell) {
            tell();
        }
    }

    /** The reports of the steps that ended, in pipeline order. */
    synchronized List<RunReport.StepReport> snapshot() {
        return pipeline.stepNames().stream().filter(reports::containsKey).map(reports::get).toList();
    }

    /**
     * Tells the listener how the run would read if it stopped now: the steps that ended as they ended, those
     * running FAILED ("interrupted"; the first in pipeline order is the run's failure), the others SKIPPED.
     * Nothing while no step runs, or in a dry run.
     */
    synchronized void tell() {
        List<String> now = pipeline.stepNames().stream().filter(running::contains).toList();
        if (planning || now.isEmpty()) {
            return;
        }
        List<RunReport.StepReport> steps = new ArrayList<>();
        RunReport.Failure first = null;
        for (String name : pipeline.stepNames()) {
            RunReport.StepReport ended = reports.get(name);
            if (ended != null) {
                steps.add(ended);
                continue;
            }
            boolean runs = now.contains(name);
            RunReport.Failure failure = !runs ? null : new RunReport.Failure(name, Optional.empty(), Optional.empty(),
                    List.of(), Optional.empty(), List.of(), "run " + runId + " was interrupted in step '" + name
                    + "': its process ended before the step did", "interrupted");
            first = first == null ? failure : first;
            steps.add(new RunReport.StepReport(name, runs ? StepStatus.FAILED : StepStatus.SKIPPED, Duration.ZERO,
                    runs ? 1 : 0, List.of(), List.of(), 0, List.of(),
                    List.of(runs ? "interrupted" : "not run: the run was interrupted"), Optional.ofNullable(failure)));
        }
        listener.progress(new RunReport(runId, pipeline.name(), started, Duration.between(started, Instant.now()),
                RunReport.Outcome.FAILED, steps, List.of(), Optional.of(first), values.saved()));
    }
}
