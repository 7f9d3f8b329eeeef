package io.crossgen.command;

import io.crossgen.CrossgenException;
import java.util.ArrayList;
import java.util.List;

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
}
