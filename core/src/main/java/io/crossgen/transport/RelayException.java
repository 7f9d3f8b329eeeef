package io.crossgen.transport;

import io.crossgen.CrossgenException;
import java.util.List;

/**
 * A {@link TarRelay} did not succeed: either side exited non-zero, was killed, timed out or lost its status.
 *
 * <p>The message names both hosts and both commands, each side's exit and the last lines of each side's
 * stderr, so the side that failed first is visible even when the other failed as a consequence (a target
 * that died makes the source fail on a broken pipe). {@link #result()} carries both {@link ExecResult}s.
 *
 * <p>Like {@link ExecException}, and for the same reason, not a {@link TransportException}: both commands ran and
 * the failure is their exits; a side that could not be reached or started throws {@code TransportException}.
 */
public class RelayException extends CrossgenException {
    private static final long serialVersionUID = 1L;
    static final int STDERR_LINES = 5;

    private final transient RelayResult result;

    /** A failure described by {@code result}, which must not be a success. */
    public RelayException(RelayResult result) {
        super(describe(result));
        this.result = result;
    }

    /** What both sides did. */
    public RelayResult result() {
        return result;
    }

    private static String describe(RelayResult r) {
        return "tar relay failed after " + r.bytes() + " bytes; source " + side(r.source()) + "; target "
                + side(r.target());
    }

    private static String side(ExecResult r) {
        List<String> tail = r.stderr().lastLines(STDERR_LINES);
        return r.host().label() + ": `" + Exec.brief(r.command()) + "` " + r.exit().describe()
                + (tail.isEmpty() ? "" : ", stderr:\n  " + String.join("\n  ", tail));
    }
}
