package io.crossgen.transport;

import java.time.Duration;
import java.util.Objects;

/** The one check of a time limit: every timeout, grace and budget in crossgen is positive. */
public final class Timeouts {
    private Timeouts() {
    }

    /**
     * Checks a time limit.
     *
     * @param what the limit's name in the caller's language ({@code "step timeout"}, {@code "--cleanup-budget"})
     * @param limit the limit
     * @return {@code limit}
     * @throws IllegalArgumentException naming {@code what} when the limit is zero or negative
     */
    public static Duration positive(String what, Duration limit) {
        Objects.requireNonNull(limit, what);
        if (limit.isZero() || limit.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, not " + limit);
        }
        return limit;
    }
}
