package io.crossgen.build;

import io.crossgen.CrossgenException;

/**
 * A cross-build step found the hosts or the image unfit for the build: a definition that exists with other
 * attributes, a builder of the wrong architecture, an image locked by another build, an archive that
 * packimage did not write.
 *
 * <p>The message names what was found and what to do about it. Failures of commands themselves surface as
 * {@link io.crossgen.transport.ExecException}, and of hosts as {@link io.crossgen.transport.TransportException}.
 */
public class BuildException extends CrossgenException {
    private static final long serialVersionUID = 1L;

    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
