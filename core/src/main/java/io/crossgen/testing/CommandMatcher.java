package io.crossgen.testing;

import io.crossgen.command.Command;
import io.crossgen.command.Shell;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Decides whether a command is the one a {@link ScriptedTransport} rule or assertion is about.
 *
 * <p>Use the factories: {@link #argv} (exact argv), {@link #program} (first word), {@link #prefix} (first
 * words), {@link #line} (a regular expression found in the rendered shell line, working folder and
 * environment included), {@link #matching} (any predicate) and {@link #any}. Every matcher describes
 * itself for failure messages.
 *
 * <pre>{@code
 * transport.on("builder", CommandMatcher.program("uname")).reply(0, "ppc64le\n");
 * transport.on(CommandMatcher.line("^genimage .*--dryrun")).reply(0, "...");
 * }</pre>
 */
public interface CommandMatcher {

    /** Whether the command matches. */
    boolean matches(Command command);

    /** A short description for failure messages, e.g. {@code argv [uname, -m]}. */
    String describe();

    /** Commands whose argv is exactly {@code argv}. */
    static CommandMatcher argv(String... argv) {
        List<String> words = List.of(argv);
        return of("argv `" + Shell.join(words) + "`", c -> c.argv().equals(words));
    }

    /** Commands whose argv is exactly {@code argv}. */
    static CommandMatcher argv(List<String> argv) {
        return argv(argv.toArray(String[]::new));
    }

    /** Commands whose program (first word) is {@code program}. */
    static CommandMatcher program(String program) {
        Objects.requireNonNull(program, "program");
        return of("program " + program, c -> c.program().equals(program));
    }

    /** Commands whose argv starts with {@code words}. */
    static CommandMatcher prefix(String... words) {
        List<String> start = List.of(words);
        return of("argv starting `" + Shell.join(start) + "`",
                c -> c.argv().size() >= start.size() && c.argv().subList(0, start.size()).equals(start));
    }

    /**
     * Commands in whose rendered line ({@link Shell#render}) {@code regex} is found; anchor it with {@code ^}
     * and {@code $} to match the whole line.
     */
    static CommandMatcher line(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return of("line /" + regex + "/", c -> pattern.matcher(Shell.render(c)).find());
    }

    /** Commands for which {@code predicate} holds; {@code description} names it in messages. */
    static CommandMatcher matching(String description, Predicate<Command> predicate) {
        return of(description, predicate);
    }

    /** Every command. */
    static CommandMatcher any() {
        return of("any command", c -> true);
    }

    private static CommandMatcher of(String description, Predicate<Command> predicate) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(predicate, "predicate");
        return new CommandMatcher() {
            @Override
            public boolean matches(Command command) {
                return predicate.test(command);
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
