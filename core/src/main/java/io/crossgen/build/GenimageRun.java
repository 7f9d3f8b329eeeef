package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.command.GenimageCommand;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The genimage command a builder runs: the family folder to start in, the argv and the variables to export
 * into its environment, as {@link DryRunGenimage} made them from {@code genimage --dryrun} ({@code --tempfile},
 * the stray {@code 1}s and the options the family's script lacks dropped; see {@link GenimageCommand#replay()}).
 *
 * <p>A plain record, so a resumed run restores it from the previous run's report (a report written before
 * the environment existed restores with none).
 *
 * @param folder the family folder, e.g. {@code /opt/xcat/share/xcat/netboot/rh}
 * @param argv {@code ./genimage} and its words, the image name last
 * @param environment variables exported into genimage's environment ({@code environvar} on a script without
 *     {@code --env}), in order
 */
public record GenimageRun(String folder, List<String> argv, Map<String, String> environment) {

    public GenimageRun {
        Objects.requireNonNull(folder, "folder");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a genimage run needs an argv");
        }
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment == null ? Map.of() : environment));
    }

    /** A run with nothing exported. */
    public GenimageRun(String folder, List<String> argv) {
        this(folder, argv, Map.of());
    }

    /** The run of a parsed or predicted command, as it is (no options dropped). */
    public static GenimageRun of(GenimageCommand command) {
        return new GenimageRun(command.folder(), command.toArgv());
    }

    /** The run of a command made fit for its script. */
    public static GenimageRun of(GenimageCommand.Replay replay) {
        return new GenimageRun(replay.command().folder(), replay.command().toArgv(), replay.environment());
    }

    /** The command: the argv in the folder, with the environment. */
    public Command toCommand() {
        return withEnvironment(Command.of(argv).withWorkingDirectory(folder));
    }

    /** {@code command} with this run's environment added. */
    Command withEnvironment(Command command) {
        Command.Builder b = command.toBuilder();
        environment.forEach(b::env);
        return b.build();
    }
}
