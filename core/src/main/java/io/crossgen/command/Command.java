package io.crossgen.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A command to run on some host: an argv list, an optional working folder, environment additions and
 * what it reads on stdin.
 *
 * <p>A command is never a string. Only {@link Shell} turns it into text, once, at the edge (a transport that
 * must hand a shell a line, or a plan printed for a person). Values are immutable; the {@code with*}
 * methods return copies.
 *
 * <pre>{@code
 * Command ls = Command.of("ls", "-l", "/install/netboot")
 *         .withWorkingDirectory("/tmp")
 *         .withEnv("LC_ALL", "C");
 * }</pre>
 *
 * <p>The working folder is a path on the host that runs the command, so it is a string, not a
 * {@link java.nio.file.Path} of this machine.
 */
public final class Command {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<String> argv;
    private final Optional<String> workingDirectory;
    private final Map<String, String> environment;
    private final Stdin stdin;
    private final boolean procedure;
    private final int xcatCalls;
    private final Optional<String> display;

    private Command(Builder b) {
        this.argv = List.copyOf(b.argv);
        this.workingDirectory = Optional.ofNullable(b.workingDirectory);
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.stdin = b.stdin;
        this.procedure = b.procedure;
        this.xcatCalls = b.xcatCalls;
        this.display = Optional.ofNullable(b.display);
    }

    /**
     * A command with the given argv, no working folder, no environment additions and no input.
     *
     * @throws IllegalArgumentException when argv is empty or any word holds a NUL character (no
     *     operating system can pass one)
     */
    public static Command of(String... argv) {
        return builder().addArgs(argv).build();
    }

    /** Like {@link #of(String...)} from a list. */
    public static Command of(List<String> argv) {
        return builder().addArgs(argv).build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code name} is a shell variable name ({@code [A-Za-z_][A-Za-z0-9_]*}). */
    static boolean isEnvName(String name) {
        return ENV_NAME.matcher(name).matches();
    }

    /** A builder that starts from this command. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.argv.addAll(argv);
        b.workingDirectory = workingDirectory.orElse(null);
        b.environment.putAll(environment);
        b.stdin = stdin;
        b.procedure = procedure;
        b.xcatCalls = xcatCalls;
        b.display = display.orElse(null);
        return b;
    }

    /** The argument vector; the first word is the program. Never empty. */
    public List<String> argv() {
        return argv;
    }

    /** The program, {@code argv().get(0)}. */
    public String program() {
        return argv.get(0);
    }

    /** The folder, on the host that runs the command, to start in. */
    public Optional<String> workingDirectory() {
        return workingDirectory;
    }

    /** Environment variables added to the host's own, in the order they were given. */
    public Map<String, String> environment() {
        return environment;
    }

    /** What the command reads on stdin; {@link Stdin#none()} by default. */
    public Stdin stdin() {
        return stdin;
    }

    /** A copy that starts in the given folder. */
    public Command withWorkingDirectory(String folder) {
        return toBuilder().workingDirectory(folder).build();
    }

    /** A copy with one more environment variable (replacing one of the same name). */
    public Command withEnv(String name, String value) {
        return toBuilder().env(name, value).build();
    }

    /** A copy that reads the given input. */
    public Command withStdin(Stdin input) {
        return toBuilder().stdin(input).build();
    }

    /**
     * Whether this is a command of xCAT's own procedure, one an admin would type (lsdef, mkdef, chdef,
     * {@code genimage --dryrun}, the mount of /install, packimage, liteimg), rather than crossgen's plumbing
     * (helper scripts, manifests, probes, locks). The console shows procedure commands and their output and keeps
     * the rest for {@code --verbose} and the log; a plan's summary lists them verbatim. A display marker only: it
     * takes no part in {@link #equals}.
     */
    public boolean procedure() {
        return procedure;
    }

    /** This command marked as one of xCAT's procedure (see {@link #procedure()}). */
    public Command asProcedure() {
        Builder b = toBuilder();
        b.procedure = true;
        return b.build();
    }

    /**
     * How many xCAT client commands (lsdef, mkdef, chdef, {@code genimage --dryrun}, packimage, liteimg, lsxcatd,
     * ...) this command runs on the MN: 0 for anything else, 1 for such a command, more for a script that runs
     * several. Each costs about a second on a real management node (Perl start, an SSL round trip to xcatd), so
     * reports and plans count them per step. Set where the command is built ({@link #asXcatCalls}); like
     * {@link #procedure()} a marker only: it takes no part in {@link #equals}.
     */
    public int xcatCalls() {
        return xcatCalls;
    }

    /** This command marked as one xCAT client command ({@code asXcatCalls(1)}). */
    public Command asXcatCall() {
        return asXcatCalls(1);
    }

    /**
     * This command marked as running {@code count} xCAT client commands (see {@link #xcatCalls()}).
     *
     * @throws IllegalArgumentException when count is negative
     */
    public Command asXcatCalls(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("a command runs no fewer than 0 xCAT client commands, not " + count);
        }
        Builder b = toBuilder();
        b.xcatCalls = count;
        return b.build();
    }

    /**
     * How the console and a plan's summary show this command to a person, when it differs from
     * {@link #toString()}: a wrapper script that runs procedure commands is shown as those commands. Empty by
     * default. Like {@link #procedure()} a marker only: it takes no part in {@link #equals}, and the full log and
     * a plan's script show the command itself.
     */
    public Optional<String> display() {
        return display;
    }

    /** This command shown to a person as {@code text} (see {@link #display()}). */
    public Command withDisplay(String text) {
        Builder b = toBuilder();
        b.display = Objects.requireNonNull(text, "text");
        return b.build();
    }

    /** A copy whose argv is {@code prefix} followed by this argv (for {@code sudo -n --}, {@code setsid}). */
    public Command withPrefix(List<String> prefix) {
        Builder b = toBuilder();
        b.argv.clear();
        b.addArgs(prefix).addArgs(argv);
        return b.build();
    }

    /** The command as one POSIX shell line, as {@link Shell#render(Command)} gives it. */
    @Override
    public String toString() {
        return Shell.render(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command other
                && argv.equals(other.argv)
                && workingDirectory.equals(other.workingDirectory)
                && environment.equals(other.environment)
                && stdin.equals(other.stdin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(argv, workingDirectory, environment, stdin);
    }

    /** Builds a {@link Command}; {@link #build()} validates. */
    public static final class Builder {
        private final List<String> argv = new ArrayList<>();
        private String workingDirectory;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Stdin stdin = Stdin.none();
        private boolean procedure;
        private int xcatCalls;
        private String display;

        private Builder() {
        }

        /** Appends words to argv. */
        public Builder addArgs(String... words) {
            return addArgs(List.of(words));
        }

        /** Appends words to argv. */
        public Builder addArgs(List<String> words) {
            for (String w : words) {
                argv.add(checkWord(w, "argv word"));
            }
            return this;
        }

        /** Appends an option and its value, e.g. {@code ("--pkglist", "/a,/b")}. */
        public Builder addOption(String option, String value) {
            return addArgs(option, value);
        }

        /** The folder to start in, or {@code null} for the host's default. */
        public Builder workingDirectory(String folder) {
            if (folder != null && folder.isEmpty()) {
                throw new IllegalArgumentException("working directory must not be empty");
            }
            this.workingDirectory = folder == null ? null : checkWord(folder, "working directory");
            return this;
        }

        /** Adds (or replaces) an environment variable. */
        public Builder env(String name, String value) {
            Objects.requireNonNull(name, "name");
            if (!isEnvName(name)) {
                throw new IllegalArgumentException("environment variable name '" + name
                        + "' is not a valid shell name ([A-Za-z_][A-Za-z0-9_]*)");
            }
            environment.put(name, checkWord(value, "value of " + name));
            return this;
        }

        /** What the command reads; {@link Stdin#none()} by default. */
        public Builder stdin(Stdin input) {
            this.stdin = Objects.requireNonNull(input, "stdin");
            return this;
        }

        /**
         * Builds the command.
         *
         * @throws IllegalArgumentException when argv is empty
         */
        public Command build() {
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("a command needs at least a program in argv");
            }
            return new Command(this);
        }

        private static String checkWord(String word, String what) {
            Objects.requireNonNull(word, what);
            if (word.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(what + " contains a NUL character, which no program can receive: "
                        + Shell.quote(word.replace('\0', '?')));
            }
            return word;
        }
    }
}
