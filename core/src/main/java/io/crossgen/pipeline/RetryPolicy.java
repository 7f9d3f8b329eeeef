package io.crossgen.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a {@link Step#repeatable() repeatable} step is tried when it fails, and how long to wait between
 * tries.
 *
 * <p>Only steps that declare themselves repeatable are retried, and only after a failure: a step that timed
 * out or was cancelled is not tried again. The wait doubles after each try: {@code backoff}, {@code 2 x
 * backoff}, {@code 4 x backoff}, ... A cancel ends the wait at once.
 *
 * <pre>{@code
 * RetryPolicy.of(3, Duration.ofSeconds(2));   // try up to 3 times, waiting 2 s, then 4 s
 * }</pre>
 *
 * @param attempts how many times a step is tried in all, at least 1
 * @param backoff the wait before the second try
 */
public record RetryPolicy(int attempts, Duration backoff) {

    public RetryPolicy {
        Objects.requireNonNull(backoff, "backoff");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative, not " + backoff);
        }
    }

    /** Every step is tried once. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO);
    }

    /** Up to {@code attempts} tries, waiting {@code backoff} before the second, doubling after. */
    public static RetryPolicy of(int attempts, Duration backoff) {
        return new RetryPolicy(attempts, backoff);
    }

    /** The wait after failed try number {@code attempt} (from 1). */
    public Duration backoffAfter(int attempt) {
        int doublings = Math.min(Math.max(0, attempt - 1), 20);
        return backoff.multipliedBy(1L << doublings);
    }
}
