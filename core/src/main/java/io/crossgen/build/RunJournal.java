package io.crossgen.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.RunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's record of its runs, written as they go, so that a run killed without its cleanups (kill -9, a
 * lost controller) can be resumed or cleaned up: one folder per run under {@link #base()}
 * ({@code $XDG_STATE_HOME/crossgen/runs/<run id>/}, by default {@code ~/.local/state/crossgen/runs/...}) holding
 * {@code run.json} (an {@link Entry}: image, hosts, the command line, the controller, the state) and
 * {@code report.json}: the run's {@link RunReport}, rewritten after every step and every value a step stores
 * ({@link PipelineListener#progress}), so that it always reads as a run that failed in its current step; a
 * resumed run reads it back ({@code CrossBuild.resume}). The steps' values in it say what was locked
 * ({@link BuildKeys#LOCK_DIR}), mounted ({@link BuildKeys#LEASE_ENTRY}, {@link BuildKeys#MOUNT_STATE}) and
 * started ({@link BuildKeys#GENIMAGE_PROCESS}). Files are replaced atomically.
 *
 * <pre>{@code
 * RunJournal journal = RunJournal.defaults();
 * RunReport report = build.run(Listeners.all(Listeners.console(), journal.recorder(entry)));
 * }</pre>
 */
public final class RunJournal {
    private static final Logger LOG = LoggerFactory.getLogger(RunJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path base;

    private RunJournal(Path base) {
        this.base = base;
    }

    /** The journal in {@code folder} (tests use a folder of their own). */
    public static RunJournal at(Path folder) {
        return new RunJournal(Objects.requireNonNull(folder, "folder"));
    }

    /** The journal in {@code $XDG_STATE_HOME/crossgen/runs}, or {@code ~/.local/state/crossgen/runs}. */
    public static RunJournal defaults() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path state = xdg != null && xdg.startsWith("/") ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return at(state.resolve("crossgen").resolve("runs"));
    }

    /** The folder of the runs' folders. */
    public Path base() {
        return base;
    }

    /**
     * A run as the journal knows it.
     *
     * @param runId the run ({@link BuildKeys#RUN_ID})
     * @param image the new image
     * @param managementNode the MN's URI
     * @param builder the builder's URI
     * @param command the command line that started the run, to rebuild it for a resume
     * @param controllerHost the host of the controller process
     * @param controllerPid its pid
     * @param controllerStart when it started
     * @param state {@code running}, {@code succeeded}, {@code failed} or {@code cancelled}
     * @param updated when this was last written
     */
    public record Entry(String runId, String image, String managementNode, String builder, List<String> command,
                        String controllerHost, long controllerPid, String controllerStart, String state,
                        String updated) {
        public Entry {
            InstallLease.checkRunId(runId);
            command = List.copyOf(command);
        }

        /** A running entry with this process as the controller. */
        public static Entry running(String runId, String image, String managementNode, String builder,
                                    List<String> command) {
            RunOwner me = RunOwner.thisProcess(runId, image);
            return new Entry(runId, image, managementNode, builder, command, me.controllerHost(),
                    me.controllerPid().orElse(-1), me.controllerStart(), "running", Instant.now().toString());
        }

        /** This entry in another state. */
        public Entry withState(String value) {
            return new Entry(runId, image, managementNode, builder, command, controllerHost, controllerPid,
                    controllerStart, value, Instant.now().toString());
        }

        /** The controller as an owner, to tell whether it still runs. */
        public RunOwner controller() {
            return new RunOwner(runId, controllerHost, java.util.OptionalLong.of(controllerPid), controllerStart,
                    java.util.OptionalLong.empty(), "", "", image, "");
        }
    }

    /**
     * A listener that writes {@code entry} at once, the report as the run goes, and the final state at its end.
     * A failure to write is logged, never fails the run.
     */
    public PipelineListener recorder(Entry entry) {
        write(entry.runId(), "run.json", entry);
        return new PipelineListener() {
            @Override
            public void progress(RunReport soFar) {
                writeText(entry.runId(), "report.json", soFar.toJson());
            }

            @Override
            public void runFinished(RunReport report) {
                writeText(entry.runId(), "report.json", report.toJson());
                write(entry.runId(), "run.json", entry.withState(report.outcome().name().toLowerCase(
                        java.util.Locale.ROOT)));
            }
        };
    }

    /** Every run of the journal, newest first. */
    public List<Entry> list() {
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> runs = Files.list(base)) {
            for (Path run : runs.sorted(Comparator.reverseOrder()).toList()) {
                read(run.getFileName().toString()).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the runs in " + base, e);
        }
        return out;
    }

    /** The entry of a run, empty when the journal has none. */
    public Optional<Entry> read(String runId) {
        Path file = base.resolve(runId).resolve("run.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Entry.class));
        } catch (IOException e) {
            throw new BuildException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The last report written for a run, empty when none was. */
    public Optional<RunReport> report(String runId) {
        Path file = base.resolve(runId).resolve("report.json");
        try {
            return Files.isRegularFile(file) ? Optional.of(RunReport.fromJson(Files.readString(file)))
                    : Optional.empty();
        } catch (IOException e) {
            throw new BuildException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(String runId, String name, Entry entry) {
        try {
            writeText(runId, name, JSON.writeValueAsString(entry));
        } catch (JsonProcessingException e) {
            LOG.warn("cannot write run {} to the journal: {}", runId, e.toString());
        }
    }

    private void writeText(String runId, String name, String text) {
        Path dir = base.resolve(InstallLease.checkRunId(runId));
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("cannot write {} of run {} in {}: {}", name, runId, dir, e.toString());
        }
    }
}
