package io.crossgen.build;

import io.crossgen.Advice;
import io.crossgen.CrossgenException;
import io.crossgen.command.CommandException;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;

/**
 * A cross-build step found the hosts or the image unfit for the build: a definition that exists with other
 * attributes, a builder of the wrong architecture, an image locked by another build, an archive that
 * packimage did not write.
 *
 * <p>The message names what was found and what to do about it. Failures of commands themselves surface as
 * {@link io.crossgen.transport.ExecException}, and of hosts as {@link io.crossgen.transport.TransportException};
 * when a step words a command's failure itself (genimage's exit, xCAT's {@code Error:} lines), the
 * {@code BuildException} has the command's {@code ExecException} as its cause, so a run's report still names
 * host, command, exit and stderr tail.
 */
public class BuildException extends CrossgenException {
    private static final long serialVersionUID = 1L;

    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure whose message is {@code problem + "; " + advice.text()}. */
    public BuildException(String problem, Advice advice) {
        super(problem, advice, null);
    }

    /**
     * What xCAT's answer {@code r} means when it reports a failure: a {@code BuildException} with the message of
     * {@code reading} (the parser's verdict, which quotes xCAT) and the host, whose cause is the
     * {@link ExecException} of {@code r}, so that a run's report names host, command, exit and stderr tail, also
     * for an {@code Error:} line printed with exit 0 (liteimg, xCAT clients on errors without a code).
     * {@code reading} is kept as a suppressed exception.
     */
    static BuildException ofFailedCommand(CommandException reading, ExecResult r) {
        BuildException e = new BuildException(reading.getMessage() + " (on " + r.host().label() + ")",
                new ExecException(r));
        e.addSuppressed(reading);
        return e;
    }
}
