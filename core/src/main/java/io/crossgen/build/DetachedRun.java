package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.transport.ShellScripts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command run detached from the connection that started it, in a per-run folder of its host: its output
 * goes to {@code log}, its exit code to {@code rc} (written last, atomically), its process id to {@code pid}.
 *
 * <p>Detached with {@code setsid}, with stdin from {@code /dev/null}: a dropped SSH session does not kill it.
 * {@link #follow} reads the log from a byte offset, waiting a bounded time for news, so a follower that
 * lost its connection resumes where it left off. Package-private: {@link Generate} uses it.
 */
final class DetachedRun {
    /**
     * {@code $1} the run folder, {@code $2} the working folder, the rest the argv. Attaches to the folder's run
     * when it still runs. Prints {@code pid=N}, {@code start=T}, {@code action=started|attached}.
     */
    static final String START = Script.load("process.sh", "detached-start.sh");
    /** Pairs of pid and start time: prints {@code PID running} or {@code PID gone} for each. */
    static final String ALIVE = Script.load("process.sh", "process-alive.sh");

    /**
     * {@code $1} the run folder, {@code $2} the offset, {@code $3} seconds to wait for news, {@code $4} the most
     * bytes to print, {@code $5} milliseconds to keep gathering once news came. Prints a header line, then the
     * log's bytes from the offset. Waits in sleeps of 100 ms doubling to 1 s while nothing happens.
     */
    static final String FOLLOW = Script.load("detached-follow.sh");

    /** {@code $1} the run folder: stops the run's process group if it still runs, TERM first, KILL after 30 s. */
    static final String STOP = ShellScripts.killGroupFunction() + Script.load("detached-stop.sh");

    private static final Pattern HEADER = Pattern.compile("crossgen-follow rc=(\\d*) alive=(yes|no) end=(\\d+) size=(\\d+)");

    private DetachedRun() {
    }

    static Command start(String runDir, String workingDirectory, List<String> argv) {
        List<String> words = new ArrayList<>(List.of("sh", "-c", START, "crossgen-start", runDir, workingDirectory));
        words.addAll(argv);
        return Command.of(words);
    }

    static Command alive(long pid, String start) {
        return Command.of("sh", "-c", ALIVE, "crossgen-alive", Long.toString(pid), start);
    }

    /** Reads an {@link #ALIVE} answer about {@code pid}; {@code UNKNOWN} when it says nothing of it. */
    static RunOwner.Liveness parseAlive(String stdout, long pid) {
        for (String line : stdout.split("\n")) {
            if (line.strip().equals(pid + " running")) {
                return RunOwner.Liveness.ALIVE;
            }
            if (line.strip().equals(pid + " gone")) {
                return RunOwner.Liveness.GONE;
            }
        }
        return RunOwner.Liveness.UNKNOWN;
    }

    static Command follow(String runDir, long offset, int waitSeconds, int maxBytes, int settleMillis) {
        return Command.of("sh", "-c", FOLLOW, "crossgen-follow", runDir, Long.toString(offset),
                Integer.toString(waitSeconds), Integer.toString(maxBytes), Integer.toString(settleMillis));
    }

    static Command stop(String runDir) {
        return Command.of("sh", "-c", STOP, "crossgen-stop", runDir);
    }

    /** One answer of {@link #follow}: the exit code once known, whether the process lives, the new offset. */
    record Poll(OptionalInt rc, boolean alive, long end, long size, String chunk) {

        /** Whether the run ended and everything it wrote has been read. */
        boolean finished() {
            return rc.isPresent() && end >= size;
        }
    }

    /** Reads a follow answer; empty when its header is missing (the command did not run as written). */
    static Optional<Poll> parse(String stdout) {
        int nl = stdout.indexOf('\n');
        String header = nl < 0 ? stdout : stdout.substring(0, nl);
        Matcher m = HEADER.matcher(header.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        OptionalInt rc = m.group(1).isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(m.group(1)));
        return Optional.of(new Poll(rc, m.group(2).equals("yes"), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), nl < 0 ? "" : stdout.substring(nl + 1)));
    }

    /** Lists every mount target on a host, for {@link #leftoverMounts}. */
    static Command listMounts() {
        return Command.of("findmnt", "-rn", "-o", "TARGET");
    }

    /**
     * The mounts at or below {@code folder} in {@code findmnt -rn -o TARGET} output, deepest first (so each
     * can be unmounted in turn).
     */
    static List<String> leftoverMounts(String findmntTargets, String folder) {
        String base = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
        List<String> found = new ArrayList<>();
        for (String line : findmntTargets.split("\n")) {
            String t = MountPoint.decode(line.strip());
            if (!t.isEmpty() && (t.equals(base) || t.startsWith(base + "/"))) {
                found.add(t);
            }
        }
        found.sort(Comparator.comparingLong((String t) -> t.chars().filter(c -> c == '/').count()).reversed()
                .thenComparing(Comparator.reverseOrder()));
        return found;
    }
}
