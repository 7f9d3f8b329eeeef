package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.command.GenimageCommand;
import java.util.List;
import java.util.Objects;

/**
 * The genimage command a builder runs: the family folder to start in and the argv, as
 * {@link DryRunGenimage} read it from {@code genimage --dryrun} (with {@code --tempfile} and the stray
 * {@code 1}s dropped).
 *
 * <p>A plain record, so a resumed run restores it from the previous run's report.
 *
 * @param folder the family folder, e.g. {@code /opt/xcat/share/xcat/netboot/rh}
 * @param argv {@code ./genimage} and its words, the image name last
 */
public record GenimageRun(String folder, List<String> argv) {

    public GenimageRun {
        Objects.requireNonNull(folder, "folder");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a genimage run needs an argv");
        }
    }

    /** The run of a parsed or predicted command. */
    public static GenimageRun of(GenimageCommand command) {
        return new GenimageRun(command.folder(), command.toArgv());
    }

    /** The command: the argv in the folder. */
    public Command toCommand() {
        return Command.of(argv).withWorkingDirectory(folder);
    }
}
