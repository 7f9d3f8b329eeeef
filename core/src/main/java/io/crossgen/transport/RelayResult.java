package io.crossgen.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A finished {@link TarRelay}: how many bytes and entries went across, how long it took, and how each side
 * ended.
 *
 * <p>A plain value: tests construct one directly.
 *
 * <pre>{@code
 * RelayResult r = relay.run(mn, builder);
 * log.info("{} MiB, {} entries in {} s", r.bytes() >> 20, r.entries().orElse(-1), r.duration().toSeconds());
 * }</pre>
 *
 * @param bytes the size of the tar stream that went across
 * @param entries the files, folders and links in the stream, when the stream could be followed
 * @param duration from the start of the source to the end of both sides
 * @param source how {@code tar -c} ended (its stdout is the stream, so only its size is kept)
 * @param target how {@code tar -x} ended
 */
public record RelayResult(long bytes, OptionalLong entries, Duration duration, ExecResult source,
        ExecResult target) {

    public RelayResult {
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }

    /** Whether both sides exited with status 0. */
    public boolean isSuccess() {
        return source.isSuccess() && target.isSuccess();
    }

    /** Bytes per second over the whole run. */
    public double bytesPerSecond() {
        double seconds = duration.toNanos() / 1e9;
        return seconds <= 0 ? 0 : bytes / seconds;
    }
}
