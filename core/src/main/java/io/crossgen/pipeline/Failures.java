package io.crossgen.pipeline;

import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.RelayException;
import io.crossgen.transport.RelayResult;
import io.crossgen.transport.TransportException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** How the report tells a failure: which step or cleanup, on which host, running what, with which exit. */
final class Failures {
    private static final int MAX_MESSAGE = 4000;

    private Failures() {
    }

    static RunReport.Failure failure(String step, Optional<String> cleanup, Execution.Ending end, StepScope scope) {
        String who = cleanup.map(d -> "cleanup '" + d + "' of step '" + step + "'").orElse("step '" + step + "'");
        Throwable t = end.error();
        Plan.Invocation at = end.running();
        switch (end.kind()) {
            case TIMED_OUT:
                return new RunReport.Failure(step, cleanup, host(at), argv(at),
                        Optional.of(Exit.timedOut(end.limit())), List.of(),
                        bound(who + " timed out after " + end.limit() + where(at)), TimeoutException.class.getName());
            case CANCELLED:
                return new RunReport.Failure(step, cleanup, host(at), argv(at), Optional.empty(), List.of(),
                        bound(who + " was cancelled" + where(at)), CancellationException.class.getName());
            default:
                break;
        }
        ExecResult r = failedCommand(t);
        if (r != null) {
            List<String> tail = r.stderr().lastLines(RunReport.STDERR_TAIL_LINES);
            if (tail.isEmpty()) {
                tail = r.stdout().lastLines(RunReport.STDERR_TAIL_LINES);
            }
            return new RunReport.Failure(step, cleanup, Optional.of(r.host()), r.command().argv(),
                    Optional.of(r.exit()), RunReport.bound(tail), bound(who + " failed: " + describe(t)),
                    t.getClass().getName());
        }
        Plan.Invocation failed = t instanceof TransportException ? scope.failedToRun() : null;
        Optional<Host> host = host(failed);
        if (host.isEmpty()) {
            host = hostOf(t);
        }
        return new RunReport.Failure(step, cleanup, host, argv(failed), Optional.empty(), List.of(),
                bound(who + " failed: " + describe(t)), t.getClass().getName());
    }

    /**
     * The command whose failure {@code t} reports: the result of an {@link ExecException} that is {@code t} or
     * one of its causes (a step may wrap it in an exception of its own layer, with a message of its own), or
     * the failed side of a {@link RelayException} (the target when it failed, else the source); null when no
     * command is involved.
     */
    private static ExecResult failedCommand(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
            if (c instanceof ExecException e && e.result() != null) {
                return e.result();
            }
            if (c instanceof RelayException e && e.result() != null) {
                RelayResult relay = e.result();
                return !relay.target().isSuccess() ? relay.target() : relay.source();
            }
        }
        return null;
    }

    static Throwable causeOf(Execution.Ending end, RunReport.Failure failure) {
        if (end.kind() == Execution.Kind.TIMED_OUT || end.kind() == Execution.Kind.CANCELLED) {
            Throwable marker = end.kind() == Execution.Kind.TIMED_OUT ? new TimeoutException(failure.message())
                    : new CancellationException(failure.message());
            if (end.error() != null) {
                marker.initCause(end.error());
            }
            return marker;
        }
        return end.error();
    }

    private static Optional<Host> host(Plan.Invocation at) {
        return at == null ? Optional.empty() : Optional.of(at.host());
    }

    private static List<String> argv(Plan.Invocation at) {
        return at == null ? List.of() : RunReport.bound(at.command().argv());
    }

    private static String where(Plan.Invocation at) {
        if (at == null) {
            return "";
        }
        String cmd = at.command().toString();
        return " while running `" + (cmd.length() > 300 ? cmd.substring(0, 300) + "..." : cmd) + "` on "
                + at.host().label();
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getName() : m;
    }

    static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    static String bound(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }

    /** The host a transport failure names. */
    static Optional<Host> hostOf(Throwable t) {
        return t instanceof TransportException te ? Optional.of(te.host()) : Optional.empty();
    }
}
