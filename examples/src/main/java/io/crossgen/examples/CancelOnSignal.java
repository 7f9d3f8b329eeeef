package io.crossgen.examples;

import io.crossgen.pipeline.RunHandle;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C and SIGTERM for {@code crossgen run}: cancel the run as {@link RunHandle#cancel()} does, wait for its
 * cleanups and its report, then exit 130 (SIGINT) or 143 (SIGTERM).
 *
 * <p>The waiting is done by a JVM shutdown hook, so every way the JVM is asked to stop (SIGINT, SIGTERM, SIGHUP,
 * {@code System.exit}) cancels the run and waits at most the cleanup budget for the command's thread to have
 * written the report and flushed the console ({@link #reported()}). That thread then calls {@code System.exit},
 * which blocks while the hook runs and never deadlocks with it: the hook waits only for the latch, which is
 * counted down before that call.
 *
 * <p>Why {@code sun.misc.Signal} (module jdk.unsupported): Java has no public API that says which signal started
 * the shutdown, and the JVM's own handler ignores a second Ctrl-C while hooks run (its {@code System.exit} call
 * just blocks). With handlers of our own, the first SIGINT or SIGTERM says what it does and exits with
 * 128 + its number through the hook, and a second Ctrl-C prints the cleanups still to do.
 */
final class CancelOnSignal implements AutoCloseable {
    /** What a signal cancels: a run, or a matrix of runs. */
    interface Cancellable {
        /** Starts cancelling; returns at once. */
        void cancel();

        /** The cleanups not yet done, for a second Ctrl-C. */
        List<String> pendingCleanups();

        /** How messages name it: {@code run 20261202-...}. */
        String name();
    }

    private final Cancellable handle;
    private final PrintWriter err;
    private final Duration budget;
    private final IntConsumer exit;
    private final CountDownLatch reported = new CountDownLatch(1);
    private final AtomicReference<String> signal = new AtomicReference<>();
    private Thread hook;
    private SignalHandler previousInt;
    private SignalHandler previousTerm;

    /** Handles the run's signals; {@code exit} is {@code System::exit} but in tests. Install with {@link #install}. */
    CancelOnSignal(RunHandle handle, PrintWriter err, Duration budget, IntConsumer exit) {
        this(of(Objects.requireNonNull(handle, "handle")), err, budget, exit);
    }

    private CancelOnSignal(Cancellable handle, PrintWriter err, Duration budget, IntConsumer exit) {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.err = Objects.requireNonNull(err, "err");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.exit = Objects.requireNonNull(exit, "exit");
    }

    /** Installs the hook and the SIGINT and SIGTERM handlers for the run of {@code handle}. */
    static CancelOnSignal install(RunHandle handle, PrintWriter err, Duration budget) {
        return install(of(handle), err, budget);
    }

    /** Installs the hook and the SIGINT and SIGTERM handlers for {@code target}. */
    static CancelOnSignal install(Cancellable target, PrintWriter err, Duration budget) {
        CancelOnSignal c = new CancelOnSignal(target, err, budget, System::exit);
        c.hook = new Thread(c::onShutdown, "crossgen-shutdown");
        Runtime.getRuntime().addShutdownHook(c.hook);
        c.previousInt = Signal.handle(new Signal("INT"), c::onSignal);
        c.previousTerm = Signal.handle(new Signal("TERM"), c::onSignal);
        return c;
    }

    private static Cancellable of(RunHandle handle) {
        return new Cancellable() {
            @Override
            public void cancel() {
                handle.cancel();
            }

            @Override
            public List<String> pendingCleanups() {
                return handle.pendingCleanups();
            }

            @Override
            public String name() {
                return "run " + handle.runId();
            }
        };
    }

    /** After a run that no signal stopped: removes the hook and gives the signals back to their handlers. */
    @Override
    public void close() {
        reported();
        if (signal.get() != null) {
            return;
        }
        Signal.handle(new Signal("INT"), previousInt);
        Signal.handle(new Signal("TERM"), previousTerm);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs already; it finds the run done and the report written
        }
    }

    /** Says that the report is written and the console flushed: the hook may let the JVM halt. */
    void reported() {
        reported.countDown();
    }

    /** The signal that cancelled the run, e.g. {@code SIGINT}; empty when none did. */
    Optional<String> signal() {
        return Optional.ofNullable(signal.get());
    }

    /** The first SIGINT or SIGTERM exits with 128 + its number (which runs the hook); a later one says what is left. */
    void onSignal(Signal s) {
        String name = "SIG" + s.getName();
        if (signal.compareAndSet(null, name)) {
            say(name + ": cancelling " + handle.name() + "; its cleanups run now (up to " + budget
                    + "; Ctrl-C again shows what is left)");
            // Each signal is handled on a thread of its own: this one blocks in exit while the hook waits.
            exit.accept(128 + s.getNumber());
            return;
        }
        List<String> left = handle.pendingCleanups();
        say(name + ": still cleaning up" + (left.isEmpty() ? " (nothing left but the report)"
                : ": " + String.join("; ", left)));
    }

    /** The shutdown hook: cancels the run and waits, at most the budget, for its report to be written. */
    void onShutdown() {
        handle.cancel();
        try {
            if (!reported.await(budget.toNanos(), TimeUnit.NANOSECONDS)) {
                List<String> left = handle.pendingCleanups();
                say("the cleanup budget of " + budget + " is used up; exiting without "
                        + (left.isEmpty() ? "the report" : "these cleanups: " + String.join("; ", left)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void say(String line) {
        err.println("crossgen: " + line);
        err.flush();
    }
}
