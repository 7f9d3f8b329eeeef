package io.crossgen.pipeline;

import java.time.Duration;

/** Formats durations for people: {@code 0.3 s}, {@code 12.0 s}, {@code 3 min 4 s}, {@code 1 h 2 min}. */
public final class Durations {
    private Durations() {
    }

    /** {@code d} for people, e.g. {@code 3 min 4 s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 60_000) {
            return String.format("%d.%d s", ms / 1000, (ms % 1000) / 100);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600) / 60 + " min";
    }
}
