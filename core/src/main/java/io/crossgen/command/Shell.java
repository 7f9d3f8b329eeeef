package io.crossgen.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place where an argv becomes text for a POSIX shell.
 *
 * <p>Every word is quoted so that {@code sh -c "$(Shell.join(argv))"} runs exactly {@code argv}: no
 * expansion, no word splitting, no globbing, whatever the word holds. Words made only of characters that no
 * shell treats specially are left bare, so plans stay readable; everything else is put in single quotes,
 * with each embedded {@code '} written as {@code '\''}.
 *
 * <pre>{@code
 * Shell.join(List.of("echo", "it's $HOME"))   // echo 'it'\''s $HOME'
 * }</pre>
 *
 * <p>Three positions get extra care: a word starting with {@code =} is quoted (zsh expands {@code =cmd} to a
 * path); the first word is quoted when it holds {@code =} (a shell would take it for an assignment) or is a
 * reserved word such as {@code if} or {@code time}; and a relative working folder is written {@code ./dir}
 * (so {@code CDPATH} cannot redirect {@code cd} and a leading {@code -} is not an option).
 *
 * <p>Pitfall: a NUL character cannot be passed to any program; {@link Command} refuses such words.
 */
public final class Shell {
    /** Characters that are never special to sh, bash, dash, ksh or zsh in any position of a word. */
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /** Words that sh, bash, ksh or zsh treat as syntax when they stand in command position. */
    private static final Set<String> RESERVED = Set.of("if", "then", "else", "elif", "fi", "do", "done", "case",
            "esac", "while", "until", "for", "in", "function", "select", "time", "coproc", "foreach", "end",
            "repeat", "nocorrect", "noglob");

    private Shell() {
    }

    /**
     * Quotes one word.
     *
     * @return the word itself when it is made of safe characters only, otherwise the word in single quotes
     */
    public static String quote(String word) {
        if (!word.isEmpty() && word.charAt(0) != '=' && BARE.matcher(word).matches()) {
            return word;
        }
        return singleQuoted(word);
    }

    /**
     * Quotes each word and joins them with single spaces.
     *
     * <p>The first word is also quoted when it holds {@code =}, so a shell never takes it for a variable
     * assignment, and when it is a reserved word ({@code if}, {@code time}, ...), so it runs as a program.
     */
    public static String join(List<String> argv) {
        List<String> words = new ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            String w = argv.get(i);
            boolean syntax = i == 0 && (w.indexOf('=') >= 0 || RESERVED.contains(w));
            words.add(syntax ? singleQuoted(w) : quote(w));
        }
        return String.join(" ", words);
    }

    /**
     * Renders a whole command as one shell line: {@code cd DIR && export K=V ... && argv}.
     *
     * <p>The {@code cd} part appears only with a working folder, the {@code export} part only with
     * environment additions. The command's stdin is not part of the line: transports feed it. A relative
     * folder is written {@code ./folder}, so {@code CDPATH} plays no part and {@code cd} never prints.
     */
    public static String render(Command command) {
        StringBuilder line = new StringBuilder();
        command.workingDirectory().ifPresent(dir -> line.append("cd ").append(quote(anchored(dir))).append(" && "));
        if (!command.environment().isEmpty()) {
            line.append("export");
            command.environment().forEach((name, value) -> line.append(' ').append(name).append('=').append(quote(value)));
            line.append(" && ");
        }
        return line.append(join(command.argv())).toString();
    }

    private static String singleQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** A relative folder gets a {@code ./} so that {@code cd} neither consults CDPATH nor reads an option. */
    private static String anchored(String dir) {
        return dir.startsWith("/") || dir.startsWith("./") || dir.startsWith("../") ? dir : "./" + dir;
    }
}
