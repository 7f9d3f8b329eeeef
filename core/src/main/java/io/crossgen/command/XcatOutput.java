package io.crossgen.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How xCAT's clients (genimage, packimage, liteimg) print: each line may carry a {@code [host]: } prefix, and a
 * failure is an {@code Error: [host]: message} line, on stderr or stdout, whatever the exit code says.
 */
final class XcatOutput {
    private static final Pattern HOST_PREFIX = Pattern.compile("^\\[[^\\]]*\\]:\\s*");
    private static final Pattern ERROR_LINE = Pattern.compile("^Error:\\s*(?:\\[[^\\]]*\\]:\\s*)?(.*)$");

    private XcatOutput() {
    }

    /** One printed line without surrounding white space and without its {@code [host]: } prefix. */
    static String unprefixed(String line) {
        return HOST_PREFIX.matcher(line.strip()).replaceFirst("").strip();
    }

    /**
     * Throws when an xCAT client's output says it failed: an {@code Error:} line on stderr or stdout, whatever the
     * exit (some clients exit 0 after one), or a non-zero exit without one. {@code what} names the command
     * ({@code packimage img}); {@code hint} may add what to do for an error text.
     */
    static void check(String what, String stdout, String stderr, int exitCode,
            Function<String, Optional<String>> hint) {
        List<String> errors = new ArrayList<>(errorMessages(stderr));
        errors.addAll(errorMessages(stdout));
        if (!errors.isEmpty()) {
            String text = String.join("; ", errors);
            throw new CommandException(what + " failed (exit " + exitCode + "): " + bounded(text)
                    + hint.apply(text).map(h -> " (" + h + ")").orElse(""));
        }
        if (exitCode != 0) {
            String shown = stderr.isBlank() ? stdout : stderr;
            throw new CommandException(what + " failed (exit " + exitCode + ") and printed no 'Error:' line;"
                    + (stderr.isBlank() ? " stdout:" : " stderr:") + CommandException.excerpt(shown));
        }
    }

    /**
     * The messages of {@code Error: [host]: msg} lines; a line that follows an error line and is not one itself
     * continues it (xCAT messages can span lines).
     */
    static List<String> errorMessages(String text) {
        List<StringBuilder> messages = new ArrayList<>();
        for (String raw : text.split("\r?\n|\r", -1)) {
            String line = raw.strip();
            Matcher m = ERROR_LINE.matcher(line);
            if (m.matches()) {
                messages.add(new StringBuilder(m.group(1).strip()));
            } else if (!messages.isEmpty() && !line.isEmpty()) {
                StringBuilder last = messages.get(messages.size() - 1);
                String cont = HOST_PREFIX.matcher(line).replaceFirst("");
                last.append(last.length() == 0 ? "" : " ").append(cont);
            }
        }
        return messages.stream().map(StringBuilder::toString).toList();
    }

    private static String bounded(String text) {
        int max = CommandException.EXCERPT_LINES * CommandException.EXCERPT_LINE_CHARS;
        return text.length() > max ? text.substring(0, max) + "..." : text;
    }
}
