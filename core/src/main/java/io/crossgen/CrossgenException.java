package io.crossgen;

/**
 * The root of every exception crossgen throws.
 *
 * <p>Each layer has its own subclass that carries the context a user needs to act on the failure
 * (file and line for definitions, host and exit for commands, step for pipelines). The cause is always
 * kept. Messages are bounded and never contain secrets.
 */
public class CrossgenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CrossgenException(String message) {
        super(message);
    }

    public CrossgenException(String message, Throwable cause) {
        super(message, cause);
    }
}
