package io.crossgen.pipeline;

import io.crossgen.CrossgenException;

/**
 * A pipeline could not be built or run as asked: a missing value between steps, a duplicate step name, a
 * step that failed (the cause says why), a timeout, a cancellation.
 */
public class PipelineException extends CrossgenException {
    private static final long serialVersionUID = 1L;

    public PipelineException(String message) {
        super(message);
    }

    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
