package io.crossgen.examples.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/** Median, minimum and maximum of a benchmark's samples. */
record Stats(double median, double min, double max, int count) {

    /** The statistics of at least one sample. */
    static Stats of(Collection<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
    }

    /** The same statistics of {@code f(x)} for a monotonic increasing or decreasing {@code f}. */
    Stats map(DoubleUnaryOperator f) {
        double a = f.applyAsDouble(min);
        double b = f.applyAsDouble(max);
        return new Stats(f.applyAsDouble(median), Math.min(a, b), Math.max(a, b), count);
    }

    /** {@code median (min–max)}, each number in {@code format} (e.g. {@code "%.2f"}); for one sample the median. */
    String format(String format) {
        String m = String.format(Locale.ROOT, format, median);
        return count == 1 ? m : m + " (" + String.format(Locale.ROOT, format, min) + "–"
                + String.format(Locale.ROOT, format, max) + ")";
    }
}
