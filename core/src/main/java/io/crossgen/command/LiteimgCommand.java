package io.crossgen.command;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * xCAT's {@code liteimg <osimage>}, which finishes a statelite image on the MN: it builds the {@code .default} and
 * {@code .statelite} link trees inside {@code <rootimgdir>/rootimg} from the litefile table; no archive is
 * written, nodes mount the tree over NFS.
 *
 * <pre>{@code
 * LiteimgCommand lite = LiteimgCommand.of("mystateliteimage");
 * String rootimg = lite.parseResult(stdout, stderr, exitCode);   // /install/netboot/.../rootimg
 * }</pre>
 *
 * <p>Pitfalls (xCAT's {@code statelite.pm}): liteimg takes no image lock; it refuses an image whose provmethod
 * does not contain {@code statelite}; several of its errors carry no error code, so the client prints
 * {@code Error: ...} and still exits 0; and it creates {@code rootimg/xcatpost} before anything else, so on a
 * missing tree it makes a nearly empty one and succeeds.
 */
public final class LiteimgCommand {
    private static final Pattern DONE = Pattern.compile("^Modifying (.+) done\\.$");

    private final String imageName;

    private LiteimgCommand(String imageName) {
        this.imageName = imageName;
    }

    /** {@code liteimg NAME}. @throws IllegalArgumentException when the name is blank or starts with {@code -} */
    public static LiteimgCommand of(String imageName) {
        Objects.requireNonNull(imageName, "image name");
        if (imageName.isBlank() || imageName.startsWith("-")) {
            throw new IllegalArgumentException("'" + imageName + "' is not an osimage name");
        }
        return new LiteimgCommand(imageName);
    }

    /** The osimage. */
    public String imageName() {
        return imageName;
    }

    /** The argv: {@code liteimg NAME}. */
    public List<String> toArgv() {
        return List.of("liteimg", imageName);
    }

    /** The command, stdin closed. */
    public Command toCommand() {
        return Command.of(toArgv()).asProcedure().asXcatCall();
    }

    /**
     * Reads what a finished run printed, and returns the tree it modified.
     *
     * <p>Success needs exit 0, no {@code Error:} line (on stdout or stderr, whatever the exit) and the
     * {@code Modifying <rootimg> done.} line that liteimg prints when its link trees are built.
     *
     * @throws CommandException with xCAT's message, e.g. {@code liteimg img failed (exit 1): Please make sure
     *     that osimage.provmethod is set to statelite before calling this command.}; or naming the missing line
     */
    public String parseResult(String stdout, String stderr, int exitCode) {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        String what = "liteimg " + imageName;
        XcatOutput.check(what, stdout, stderr, exitCode, error -> Optional.empty());
        for (String raw : stdout.split("\r?\n|\r", -1)) {
            Matcher m = DONE.matcher(XcatOutput.unprefixed(raw));
            if (m.matches()) {
                return m.group(1).strip();
            }
        }
        throw new CommandException(what + " printed no 'Modifying <rootimg> done.' line; it printed:"
                + CommandException.excerpt(stdout));
    }

    @Override
    public String toString() {
        return String.join(" ", toArgv());
    }
}
