package io.crossgen.pipeline;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.Output;
import io.crossgen.transport.Timeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.MDC;

/** The {@link StepContext} of one attempt of a step, or of one cleanup. */
final class StepScope implements StepContext {
    private final Execution run;
    private final String step;
    private final Instant deadline;
    private final long deadlineNanos;
    private final Duration limit;
    private final Recorder recorder;
    private volatile Plan.Invocation running;
    private volatile Plan.Invocation failedToRun;

    StepScope(Execution run, String step, Duration limit, Recorder recorder) {
        this.run = run;
        this.step = step;
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
        this.deadline = Instant.now().plus(limit);
        this.recorder = recorder;
    }

    /** The command running now, if any. */
    Plan.Invocation running() {
        return running;
    }

    /** The command whose start or streams failed with an exception, if any. */
    Plan.Invocation failedToRun() {
        return failedToRun;
    }

    /** The time this scope was given. */
    Duration limit() {
        return limit;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    @Override
    public String step() {
        return step;
    }

    @Override
    public String runId() {
        return run.runId();
    }

    @Override
    public Host host(Role role) {
        return run.host(Objects.requireNonNull(role, "role"), step);
    }

    @Override
    public Connection connection(Role role) throws InterruptedException {
        Host host = host(role);
        if (run.planning()) {
            return new PlanningConnection(role, host, recorder);
        }
        return new CountedConnection(run.connection(host), recorder);
    }

    @Override
    public ExecResult exec(Role role, Command command) throws InterruptedException {
        return exec(role, command, Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())));
    }

    @Override
    public ExecResult exec(Role role, Command command, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(command, "command");
        Timeouts.positive("timeout", timeout);
        Host host = host(role);
        Plan.Invocation invocation = new Plan.Invocation(role, host, command);
        PipelineListener listener = run.listener();
        listener.commandStarted(step, host, command);
        if (run.planning()) {
            recorder.plan(invocation);
            recorder.started(command);
            ExecResult r = new ExecResult(host, command, Exit.exited(0), Duration.ZERO, Output.empty(),
                    Output.empty());
            recorder.command(r);
            listener.commandFinished(step, r);
            return r;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new PipelineException("step '" + step + "' has no time left to run `" + command + "` on "
                    + host.label());
        }
        Duration limit = timeout.compareTo(Duration.ofNanos(left)) < 0 ? timeout : Duration.ofNanos(left);
        String previousHost = MDC.get("host");
        MDC.put("host", host.label());
        long started = System.nanoTime();
        running = invocation;
        try {
            Connection connection = run.connection(host);
            recorder.started(command);
            ExecResult r = Exec.on(connection, limit)
                    .withListener((stream, line) -> listener.outputLine(step, host, stream, line))
                    .run(command);
            recorder.command(r);
            listener.commandFinished(step, r);
            return r;
        } catch (InterruptedException e) {
            recorder.command(host, command.argv(), Exit.unknown("interrupted"), since(started), List.of());
            throw e;
        } catch (RuntimeException e) {
            failedToRun = invocation;
            String why = String.valueOf(e.getMessage());
            recorder.command(host, command.argv(), Exit.unknown(why.length() > 300 ? why.substring(0, 300) : why),
                    since(started), List.of());
            throw e;
        } finally {
            running = null;
            if (previousHost == null) {
                MDC.remove("host");
            } else {
                MDC.put("host", previousHost);
            }
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public <T> void put(Key<T> key, T value) {
        run.put(key, value, step);
    }

    @Override
    public <T> Optional<T> get(Key<T> key) {
        return run.get(key);
    }

    @Override
    public <T> T require(Key<T> key) {
        return run.require(key, step);
    }

    @Override
    public void defer(String description, Cleanup cleanup) {
        run.defer(step, description, cleanup);
    }

    @Override
    public void warn(String message) {
        Objects.requireNonNull(message, "message");
        recorder.warn(message);
        run.listener().warning(step, message);
    }

    @Override
    public void note(String text) {
        Objects.requireNonNull(text, "text");
        recorder.note(text);
        run.listener().note(step, text);
    }

    @Override
    public PipelineListener listener() {
        return run.listener();
    }

    @Override
    public boolean planning() {
        return run.planning();
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public String toString() {
        return "StepContext[" + step + (run.planning() ? ", planning]" : "]");
    }
}
