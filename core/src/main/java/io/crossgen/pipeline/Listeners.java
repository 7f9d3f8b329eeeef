package io.crossgen.pipeline;

import io.crossgen.command.Command;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Host;
import io.crossgen.transport.StdStream;
import java.io.Flushable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Ready-made {@link PipelineListener}s and the composite that combines them.
 *
 * <pre>{@code
 * PipelineRunner runner = PipelineRunner.builder()
 *         .listener(Listeners.all(Listeners.logging(), Listeners.console()))
 *         ...
 * }</pre>
 *
 * <p>The console listener prints, for JShell users and command-line tools:
 * <pre>
 * ==> mount-install
 * [root@node01] $ mount -t nfs xcatmn:/install /install
 * [root@node01] mount.nfs: timeout set for ...
 * [root@node01] exit 0 in 0.4 s
 * &lt;== mount-install DONE in 0.5 s
 * </pre>
 */
public final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    /** A listener that hears nothing. */
    public static PipelineListener none() {
        return new PipelineListener() { };
    }

    /**
     * A listener that passes every event to each of {@code listeners} in order; one that throws is logged and
     * does not keep the others from hearing the event.
     */
    public static PipelineListener all(PipelineListener... listeners) {
        return new Composite(List.of(listeners));
    }

    /** Like {@link #all(PipelineListener...)} from a list. */
    public static PipelineListener all(List<? extends PipelineListener> listeners) {
        return new Composite(List.copyOf(listeners));
    }

    /**
     * A listener that logs through SLF4J (logger {@code io.crossgen.pipeline.run}): steps and commands at INFO,
     * output lines at DEBUG, warnings at WARN, with MDC keys {@code step} and {@code host}.
     */
    public static PipelineListener logging() {
        return new Logging();
    }

    /** A console listener that prints to {@code System.out}; meant for JShell and command-line tools. */
    public static PipelineListener console() {
        return console(System.out);
    }

    /**
     * A listener that prints live progress to {@code out}: steps with their durations, each command line, and
     * each output line prefixed by its host, e.g. {@code [root@node01] line}. Writes are serialised,
     * and each line is flushed as it is written when {@code out} is {@link Flushable} (a {@code PrintWriter} that
     * flushes only on {@code println} would otherwise hold a whole genimage run back); a failing {@code out} is
     * logged once and then ignored.
     */
    public static PipelineListener console(Appendable out) {
        return console(out, Failures::describe);
    }

    /**
     * Like {@link #console(Appendable)}, with each failure of a step or cleanup worded by {@code describe}
     * instead of by its message: for a front end that words {@link io.crossgen.Advice} in its own terms.
     */
    public static PipelineListener console(Appendable out, Function<Throwable, String> describe) {
        return new Console(Objects.requireNonNull(out, "out"), Objects.requireNonNull(describe, "describe"));
    }

    /**
     * A console that shows the build, not the plumbing: each step's end with its duration (and its start once it
     * shows something), xCAT's procedure commands ({@link Command#procedure()}) with their first
     * {@value QuietConsole#SHOWN_LINES} output lines, the output a step follows itself (genimage's), notes,
     * warnings, cleanups and the run's end. crossgen's helper scripts, manifests and probes are left out: pair it
     * with {@link #console(Appendable)} writing to a log file to keep them. With {@code terminal}, the package
     * manager's {@code k/N} lines (dnf, yum, zypper, apt) become one progress line rewritten in place (packages
     * done/total, elapsed time, the current line); without it every line is printed as it comes.
     */
    public static PipelineListener quietConsole(Appendable out, Function<Throwable, String> describe,
                                                boolean terminal) {
        return new QuietConsole(Objects.requireNonNull(out, "out"), Objects.requireNonNull(describe, "describe"),
                terminal);
    }

    /**
     * Wraps a listener so that nothing it throws reaches the run, and events reach it one at a time: steps that
     * run at once tell their events from several threads, and a listener need not be thread-safe.
     */
    static PipelineListener guard(PipelineListener listener) {
        return new Composite(List.of(listener), true);
    }

    private static final class Composite implements PipelineListener {
        private final List<PipelineListener> listeners;
        private final boolean serial;

        Composite(List<PipelineListener> listeners) {
            this(listeners, false);
        }

        Composite(List<PipelineListener> listeners, boolean serial) {
            listeners.forEach(l -> Objects.requireNonNull(l, "listener"));
            this.listeners = listeners;
            this.serial = serial;
        }

        private void each(String event, Consumer<PipelineListener> call) {
            if (serial) {
                synchronized (this) {
                    tell(event, call);
                }
            } else {
                tell(event, call);
            }
        }

        private void tell(String event, Consumer<PipelineListener> call) {
            for (PipelineListener l : listeners) {
                try {
                    call.accept(l);
                } catch (RuntimeException e) {
                    LOG.warn("listener {} failed on {}; the run goes on", l.getClass().getName(), event, e);
                }
            }
        }

        @Override
        public void runStarted(String pipeline, boolean planning) {
            each("runStarted", l -> l.runStarted(pipeline, planning));
        }

        @Override
        public void stepStarted(String step) {
            each("stepStarted", l -> l.stepStarted(step));
        }

        @Override
        public void stepFinished(String step, StepStatus status, Duration duration, Optional<Throwable> failure) {
            each("stepFinished", l -> l.stepFinished(step, status, duration, failure));
        }

        @Override
        public void commandStarted(String step, Host host, Command command) {
            each("commandStarted", l -> l.commandStarted(step, host, command));
        }

        @Override
        public void commandFinished(String step, ExecResult result) {
            each("commandFinished", l -> l.commandFinished(step, result));
        }

        @Override
        public void outputLine(String step, Host host, StdStream stream, String line) {
            each("outputLine", l -> l.outputLine(step, host, stream, line));
        }

        @Override
        public void bytesTransferred(String step, Host from, Host to, long total) {
            each("bytesTransferred", l -> l.bytesTransferred(step, from, to, total));
        }

        @Override
        public void warning(String step, String message) {
            each("warning", l -> l.warning(step, message));
        }

        @Override
        public void note(String step, String text) {
            each("note", l -> l.note(step, text));
        }

        @Override
        public void cleanupStarted(String step, String description) {
            each("cleanupStarted", l -> l.cleanupStarted(step, description));
        }

        @Override
        public void cleanupFinished(String step, String description, StepStatus status, Duration duration,
                                    Optional<Throwable> failure) {
            each("cleanupFinished", l -> l.cleanupFinished(step, description, status, duration, failure));
        }

        @Override
        public void progress(RunReport soFar) {
            each("progress", l -> l.progress(soFar));
        }

        @Override
        public void runFinished(RunReport report) {
            each("runFinished", l -> l.runFinished(report));
        }
    }

    private static final class Logging implements PipelineListener {
        private static final Logger RUN = LoggerFactory.getLogger("io.crossgen.pipeline.run");

        private static void with(String step, Host host, Runnable log) {
            String oldStep = MDC.get("step");
            String oldHost = MDC.get("host");
            MDC.put("step", step);
            if (host != null) {
                MDC.put("host", host.label());
            }
            try {
                log.run();
            } finally {
                restore("step", oldStep);
                restore("host", oldHost);
            }
        }

        private static void restore(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }

        @Override
        public void runStarted(String pipeline, boolean planning) {
            RUN.info("{} pipeline {}", planning ? "planning" : "running", pipeline);
        }

        @Override
        public void stepStarted(String step) {
            with(step, null, () -> RUN.info("step {} starts", step));
        }

        @Override
        public void stepFinished(String step, StepStatus status, Duration duration, Optional<Throwable> failure) {
            with(step, null, () -> {
                if (failure.isPresent()) {
                    RUN.warn("step {} {} after {}: {}", step, status, Durations.format(duration),
                            Failures.describe(failure.get()));
                } else {
                    RUN.info("step {} {} in {}", step, status, Durations.format(duration));
                }
            });
        }

        @Override
        public void commandStarted(String step, Host host, Command command) {
            with(step, host, () -> RUN.info("{}: $ {}", host.label(), command));
        }

        @Override
        public void commandFinished(String step, ExecResult result) {
            with(step, result.host(), () -> RUN.info("{}: {} in {}", result.host().label(), result.exit().describe(),
                    Durations.format(result.duration())));
        }

        @Override
        public void outputLine(String step, Host host, StdStream stream, String line) {
            with(step, host, () -> RUN.debug("{} {}: {}", host.label(), stream == StdStream.STDERR ? "!" : "|",
                    line));
        }

        @Override
        public void warning(String step, String message) {
            with(step, null, () -> RUN.warn("step {}: {}", step, message));
        }

        @Override
        public void note(String step, String text) {
            with(step, null, () -> RUN.info("step {}: {}", step, text));
        }

        @Override
        public void cleanupFinished(String step, String description, StepStatus status, Duration duration,
                                    Optional<Throwable> failure) {
            with(step, null, () -> {
                if (failure.isPresent()) {
                    RUN.warn("cleanup '{}' {}: {}", description, status, Failures.describe(failure.get()));
                } else {
                    RUN.info("cleanup '{}' {} in {}", description, status, Durations.format(duration));
                }
            });
        }

        @Override
        public void runFinished(RunReport report) {
            RUN.info("run {} of {} {} in {}", report.runId(), report.pipeline(), report.outcome(),
                    Durations.format(report.duration()));
        }
    }

    private static final class Console implements PipelineListener {
        private final Appendable out;
        private final Function<Throwable, String> describe;
        private boolean broken;

        Console(Appendable out, Function<Throwable, String> describe) {
            this.out = out;
            this.describe = describe;
        }

        private synchronized void println(String line) {
            if (broken) {
                return;
            }
            try {
                out.append(line).append('\n');
                if (out instanceof Flushable f) {
                    f.flush();
                }
            } catch (IOException e) {
                broken = true;
                LOG.warn("the console listener cannot write; it stays silent from now on", e);
            }
        }

        @Override
        public void runStarted(String pipeline, boolean planning) {
            println((planning ? "planning " : "running ") + pipeline);
        }

        @Override
        public void stepStarted(String step) {
            println("==> " + step);
        }

        @Override
        public void stepFinished(String step, StepStatus status, Duration duration, Optional<Throwable> failure) {
            if (status == StepStatus.SKIPPED) {
                println("--- " + step + " SKIPPED");
                return;
            }
            println("<== " + step + " " + status + " in " + Durations.format(duration)
                    + failure.map(f -> ": " + describe.apply(f)).orElse(""));
        }

        @Override
        public void commandStarted(String step, Host host, Command command) {
            println("[" + host.label() + "] $ " + command);
        }

        @Override
        public void commandFinished(String step, ExecResult result) {
            println("[" + result.host().label() + "] " + result.exit().describe() + " in "
                    + Durations.format(result.duration()));
        }

        @Override
        public void outputLine(String step, Host host, StdStream stream, String line) {
            println("[" + host.label() + "] " + line);
        }

        @Override
        public void warning(String step, String message) {
            println("    warning: " + message);
        }

        @Override
        public void note(String step, String text) {
            println("    note: " + text);
        }

        @Override
        public void cleanupStarted(String step, String description) {
            println("==> cleanup: " + description + " (" + step + ")");
        }

        @Override
        public void cleanupFinished(String step, String description, StepStatus status, Duration duration,
                                    Optional<Throwable> failure) {
            println("<== cleanup: " + description + " " + status + " in " + Durations.format(duration)
                    + failure.map(f -> ": " + describe.apply(f)).orElse(""));
        }

        @Override
        public void runFinished(RunReport report) {
            println("run " + report.runId() + " of " + report.pipeline() + " " + report.outcome() + " in "
                    + Durations.format(report.duration()));
        }
    }
}
