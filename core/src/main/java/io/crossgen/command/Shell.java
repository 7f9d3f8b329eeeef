package io.crossgen.command;

import java.util.ArrayList;
import java.util.List;
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
 * <p>Pitfall: a NUL character cannot be passed to any program; {@link Command} refuses such words.
 */
public final class Shell {
    /** Characters that are never special to sh, bash, dash, ksh or zsh in any position of a word. */
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Shell() {
    }

    /**
     * Quotes one word.
     *
     * @return the word itself when it is made of safe characters only, otherwise the word in single quotes
     */
    public static String quote(String word) {
        if (!word.isEmpty() && BARE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * Quotes each word and joins them with single spaces.
     *
     * <p>The first word is also quoted when it holds {@code =}, so a shell never takes it for a variable
     * assignment.
     */
    public static String join(List<String> argv) {
        List<String> words = new ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            String w = argv.get(i);
            words.add(i == 0 && w.indexOf('=') >= 0 ? "'" + w.replace("'", "'\\''") + "'" : quote(w));
        }
        return String.join(" ", words);
    }

    /**
     * Renders a whole command as one shell line: {@code cd DIR && export K=V ... && argv}.
     *
     * <p>The {@code cd} part appears only with a working folder, the {@code export} part only with
     * environment additions. The command's stdin is not part of the line: transports feed it.
     */
    public static String render(Command command) {
        StringBuilder line = new StringBuilder();
        command.workingDirectory().ifPresent(dir -> line.append("cd ").append(quote(dir)).append(" && "));
        if (!command.environment().isEmpty()) {
            line.append("export");
            command.environment().forEach((name, value) -> line.append(' ').append(name).append('=').append(quote(value)));
            line.append(" && ");
        }
        return line.append(join(command.argv())).toString();
    }
}
