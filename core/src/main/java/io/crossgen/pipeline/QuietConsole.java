package io.crossgen.pipeline;

import io.crossgen.command.Command;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Host;
import io.crossgen.transport.StdStream;
import java.io.Flushable;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console of {@link Listeners#quietConsole}: the build, not the plumbing. Shows steps (a step's
 * {@code ==>} line only once it shows a command or output, its {@code <==} line always), xCAT's procedure commands
 * ({@link Command#procedure()}) with their first output lines, the output a step follows itself (genimage's),
 * notes, warnings, and cleanups after a failure (the report counts the rest). On a terminal, the package manager's {@code k/N} lines become one
 * progress line at the bottom, rewritten in place; elsewhere every line is printed as it is.
 *
 * <p>Steps that run at once: while more than one step runs, each line a step prints starts with the step's name
 * ({@code copy-netboot | [root@node01] $ ...}), so interleaved lines stay readable; a lone step's lines are
 * printed as they are. The progress line names every step running.
 */
final class QuietConsole implements PipelineListener {
    private static final Logger LOG = LoggerFactory.getLogger(QuietConsole.class);
    /** Output lines shown per procedure command; the rest is counted (the full log has them). */
    static final int SHOWN_LINES = 2;
    private static final int WIDTH = 79;
    private static final String CLEAR = "\r\033[K";

    /** A command that runs: whether it is shown, how many of its lines were shown and held back. */
    private static final class Running {
        final boolean shown;
        int lines;
        int held;

        Running(boolean shown) {
            this.shown = shown;
        }
    }

    private final Appendable out;
    private final Function<Throwable, String> describe;
    private final boolean terminal;
    private final Map<String, Running> running = new HashMap<>();
    /** The steps that run, in the order they started. */
    private final Set<String> active = new LinkedHashSet<>();
    /** The steps whose {@code ==>} line is not printed yet. */
    private final Set<String> pending = new HashSet<>();
    private PackageProgress packages = new PackageProgress();
    private long followedSince;
    private String status = "";
    private boolean broken;
    private boolean troubled;
    private PackageProgress.Counter printed;
    private long printedAt;

    QuietConsole(Appendable out, Function<Throwable, String> describe, boolean terminal) {
        this.out = out;
        this.describe = describe;
        this.terminal = terminal;
    }

    private void write(String text) {
        if (broken) {
            return;
        }
        try {
            out.append(text);
            if (out instanceof Flushable f) {
                f.flush();
            }
        } catch (IOException e) {
            broken = true;
            LOG.warn("the console listener cannot write; it stays silent from now on", e);
        }
    }

    /** Prints a line above the progress line, which stays at the bottom. */
    private void println(String line) {
        if (status.isEmpty()) {
            write(line + "\n");
        } else {
            write(CLEAR + line + "\n" + status);
        }
    }

    private void status(String text) {
        if (!terminal) {
            return;
        }
        String shown = text.length() > WIDTH ? text.substring(0, WIDTH - 1) + "…" : text;
        status = shown;
        write(CLEAR + shown);
    }

    private void clearStatus() {
        if (!status.isEmpty()) {
            status = "";
            write(CLEAR);
        }
    }

    private void header(String step) {
        if (pending.remove(step)) {
            println("==> " + step);
        }
    }

    /** A line of a step: with the step's name in front while more than one step runs. */
    private void println(String step, String line) {
        println(active.size() > 1 ? step + " | " + line : line);
    }

    private void stepsStatus() {
        if (!active.isEmpty()) {
            status("==> " + String.join(", ", active) + " ...");
        }
    }

    private static String key(String step, Host host) {
        return step + "\u0000" + host.label();
    }

    @Override
    public synchronized void runStarted(String pipeline, boolean planning) {
        println((planning ? "planning " : "running ") + pipeline);
    }

    @Override
    public synchronized void stepStarted(String step) {
        active.add(step);
        pending.add(step);
        if (active.size() == 1) {
            packages = new PackageProgress();
            printed = null;
            followedSince = 0;
        }
        stepsStatus();
    }

    @Override
    public synchronized void stepFinished(String step, StepStatus s, Duration duration, Optional<Throwable> failure) {
        clearStatus();
        active.remove(step);
        pending.remove(step);
        troubled |= s == StepStatus.FAILED || s == StepStatus.CANCELLED;
        if (s == StepStatus.SKIPPED) {
            println("--- " + step + " SKIPPED");
        } else {
            println("<== " + step + " " + s + " in " + Durations.format(duration)
                    + failure.map(f -> ": " + describe.apply(f)).orElse(""));
        }
        stepsStatus();
    }

    @Override
    public synchronized void commandStarted(String step, Host host, Command command) {
        running.put(key(step, host), new Running(command.procedure()));
        if (command.procedure()) {
            header(step);
            println(step, "[" + host.label() + "] $ " + command.display().orElseGet(command::toString));
        }
    }

    @Override
    public synchronized void commandFinished(String step, ExecResult result) {
        Running r = running.remove(key(step, result.host()));
        if (r == null || !r.shown) {
            return;
        }
        if (r.held > 0) {
            println(step, "[" + result.host().label() + "] ... " + r.held + " more line" + (r.held == 1 ? "" : "s")
                    + " (in the full log)");
        }
        if (!result.isSuccess()) {
            println(step, "[" + result.host().label() + "] " + result.exit().describe() + " in "
                    + Durations.format(result.duration()));
        }
    }

    @Override
    public synchronized void outputLine(String step, Host host, StdStream stream, String line) {
        Running r = running.get(key(step, host));
        if (r != null) {
            if (!r.shown) {
                return;
            }
            if (r.lines++ >= SHOWN_LINES) {
                r.held++;
                return;
            }
            header(step);
            println(step, "[" + host.label() + "] " + line);
            return;
        }
        // output a step follows itself (genimage's log): all of it, its package counters as a progress line
        header(step);
        if (followedSince == 0) {
            followedSince = System.nanoTime();
        }
        Optional<PackageProgress.Counter> counter = packages.read(line);
        if (counter.isEmpty()) {
            println(step, "[" + host.label() + "] " + line);
            return;
        }
        String progress = "[" + host.label() + "] " + counter.get() + ", " + Durations.format(Duration.ofNanos(
                System.nanoTime() - followedSince)) + " | " + line.strip();
        if (terminal) {
            status(progress);
        } else if (worthALine(counter.get())) {
            println(step, progress);
        }
    }

    /**
     * Whether a counter gets a plain line of its own when output is not a terminal: the first of a phase, the
     * last, and one per quarter of the total or per 30 seconds in between.
     */
    private boolean worthALine(PackageProgress.Counter c) {
        long now = System.nanoTime();
        boolean worth = printed == null || !printed.phase().equals(c.phase()) || c.done() == c.total()
                || (c.total() > 0 && (c.done() - printed.done()) * 4L >= c.total())
                || now - printedAt >= Duration.ofSeconds(30).toNanos();
        if (worth) {
            printed = c;
            printedAt = now;
        }
        return worth;
    }

    @Override
    public synchronized void warning(String step, String message) {
        header(step);
        println(step, "    warning: " + message);
    }

    @Override
    public synchronized void note(String step, String text) {
        println(step, "    note: " + text);   // no ==> line for it: the step's <== line follows
    }

    @Override
    public synchronized void cleanupStarted(String step, String description) {
        status("==> cleanup: " + description + " ...");
    }

    @Override
    public synchronized void cleanupFinished(String step, String description, StepStatus s, Duration duration,
                                             Optional<Throwable> failure) {
        clearStatus();
        if (!troubled && s == StepStatus.DONE) {
            return;   // the run's table counts them; after a failure each one is shown
        }
        println("<== cleanup: " + description + " " + s + " in " + Durations.format(duration)
                + failure.map(f -> ": " + describe.apply(f)).orElse(""));
    }

    @Override
    public synchronized void runFinished(RunReport report) {
        clearStatus();   // the run's report, with its outcome, follows
    }
}
