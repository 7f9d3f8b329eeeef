package io.crossgen.pipeline;

import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A step of a run (or a cleanup) failed, timed out or was cancelled; the fields say where and how.
 *
 * <p>The message reads {@code step 'mount-install' failed: root@node01: `mount -t nfs mn:/install /install`
 * failed with exit 32; last stderr:\n  mount.nfs: access denied by server}. The cause, when the exception comes
 * from a live run, is the original exception ({@link io.crossgen.transport.ExecException},
 * {@link io.crossgen.transport.TransportException}, ...); failures of cleanups are attached as suppressed
 * exceptions. An exception rebuilt from a report read back from JSON has no cause.
 */
public class StepFailedException extends PipelineException {
    private static final long serialVersionUID = 1L;

    private final transient RunReport.Failure failure;

    public StepFailedException(RunReport.Failure failure, Throwable cause) {
        super(Objects.requireNonNull(failure, "failure").message(), cause);
        this.failure = failure;
    }

    /** The failure as the report records it. */
    public RunReport.Failure failure() {
        return failure;
    }

    /** The step that failed (for a cleanup: the step that deferred it). */
    public String step() {
        return failure.step();
    }

    /** The host the failing command ran on, when a command failed. */
    public Optional<Host> host() {
        return failure.host();
    }

    /** The argv of the failing command; empty when no command was involved. */
    public List<String> command() {
        return failure.argv();
    }

    /** How the failing command ended, when known. */
    public Optional<Exit> exit() {
        return failure.exit();
    }

    /** The last lines of the failing command's stderr (or stdout when stderr was empty). */
    public List<String> stderrTail() {
        return failure.stderrTail();
    }
}
