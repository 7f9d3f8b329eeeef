package io.crossgen;

import java.util.Optional;

/**
 * The root of every exception crossgen throws.
 *
 * <p>Each layer has its own subclass that carries the context a user needs to act on the failure
 * (file and line for definitions, host and exit for commands, step for pipelines). The cause is always
 * kept. Messages are bounded and never contain secrets.
 */
public class CrossgenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Advice advice;

    public CrossgenException(String message) {
        super(message);
        this.advice = null;
    }

    public CrossgenException(String message, Throwable cause) {
        super(message, cause);
        this.advice = null;
    }

    /** An exception whose message is {@code problem + "; " + advice.text()}. */
    public CrossgenException(String problem, Advice advice, Throwable cause) {
        super(problem + "; " + advice.text(), cause);
        this.advice = advice;
    }

    /** What the caller can do about it, when the thrower says; the message ends with its text. */
    public Optional<Advice> advice() {
        return Optional.ofNullable(advice);
    }
}
