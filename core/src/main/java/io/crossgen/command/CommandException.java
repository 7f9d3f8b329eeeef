package io.crossgen.command;

import io.crossgen.CrossgenException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A command could not be modelled, or xCAT's answer to it says it failed.
 *
 * <p>Thrown when a {@code genimage --dryrun} output holds no command line or an error, when an osimage cannot be
 * turned into a genimage command the way xCAT's plugin would, and when {@code packimage} reports a failure. The
 * message quotes xCAT's own text and, where one is known, what to do about it. Messages are bounded: quoted
 * output is cut to a few lines of limited length.
 */
public class CommandException extends CrossgenException {
    private static final long serialVersionUID = 1L;
    static final int EXCERPT_LINES = 5;
    static final int EXCERPT_LINE_CHARS = 200;

    public CommandException(String message) {
        super(message);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The first non-blank lines of {@code text}, each cut to a bounded length, indented under the message; or
     * {@code " (nothing)"} when the text is blank.
     */
    static String excerpt(String text) {
        List<String> kept = new ArrayList<>();
        int nonBlank = 0;
        for (String line : text.split("\r?\n|\r", -1)) {
            if (line.isBlank()) {
                continue;
            }
            nonBlank++;
            if (kept.size() < EXCERPT_LINES) {
                kept.add(line.length() > EXCERPT_LINE_CHARS ? line.substring(0, EXCERPT_LINE_CHARS) + "..." : line);
            }
        }
        if (kept.isEmpty()) {
            return " (nothing)";
        }
        StringBuilder sb = new StringBuilder();
        for (String line : kept) {
            sb.append("\n  | ").append(line);
        }
        if (nonBlank > kept.size()) {
            sb.append("\n  | ... (").append(nonBlank - kept.size()).append(" more lines)");
        }
        return sb.toString();
    }

    /**
     * Throws when an xCAT client's output says it failed: an {@code Error:} line on stderr or stdout, whatever the
     * exit (some clients exit 0 after one), or a non-zero exit without one. {@code what} names the command
     * ({@code packimage img}); {@code hint} may add what to do for an error text.
     */
    static void checkXcatOutput(String what, String stdout, String stderr, int exitCode,
            Function<String, Optional<String>> hint) {
        List<String> errors = new ArrayList<>(GenimageCommand.errorMessages(stderr));
        errors.addAll(GenimageCommand.errorMessages(stdout));
        if (!errors.isEmpty()) {
            String text = String.join("; ", errors);
            throw new CommandException(what + " failed (exit " + exitCode + "): " + GenimageCommand.bounded(text)
                    + hint.apply(text).map(h -> " (" + h + ")").orElse(""));
        }
        if (exitCode != 0) {
            String shown = stderr.isBlank() ? stdout : stderr;
            throw new CommandException(what + " failed (exit " + exitCode + ") and printed no 'Error:' line;"
                    + (stderr.isBlank() ? " stdout:" : " stderr:") + excerpt(shown));
        }
    }
}
