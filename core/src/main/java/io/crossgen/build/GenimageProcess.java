package io.crossgen.build;

import java.util.Objects;

/**
 * The detached genimage a run started on its builder.
 *
 * @param builder the builder ({@link io.crossgen.transport.Host#label()})
 * @param runDir its per-run folder there ({@code log}, {@code rc}, {@code pid}, {@code start})
 * @param pid the pid of its process group's leader
 * @param start its start time in clock ticks since the builder booted ({@code /proc/PID/stat}), so that a
 *     reused pid is not taken for it; empty when unknown
 */
public record GenimageProcess(String builder, String runDir, long pid, String start) {
    public GenimageProcess {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(start, "start");
    }
}
