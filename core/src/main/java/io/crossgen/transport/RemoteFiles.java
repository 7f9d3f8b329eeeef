package io.crossgen.transport;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads, writes and inspects files on a host through commands only, so it works over every transport.
 *
 * <p>Each operation is one command: a constant {@code sh -c} script that gets the user's paths as positional
 * parameters ({@code "$1"}), never spliced into the script text, so no path can inject shell code; transports
 * that need a line quote the whole argv with {@link io.crossgen.command.Shell}. Each command gets the timeout
 * of this value and runs with {@code LC_ALL=C}, so the messages quoted in errors are in English. Paths are
 * paths on the host, as strings.
 *
 * <ul>
 *   <li>{@link #write} streams the content into a temporary file beside the target, sets its mode, then renames
 *   it over the target: readers see the old file or the new one, never half of one. Parent folders are
 *   created.</li>
 *   <li>{@link #read} reads at most a given number of bytes and fails clearly when the file is missing, is a
 *   folder or is larger.</li>
 *   <li>{@link #stat} describes a path without following a final symbolic link; empty when nothing is
 *   there.</li>
 * </ul>
 *
 * <pre>{@code
 * RemoteFiles files = RemoteFiles.on(connection, Duration.ofMinutes(1));
 * files.write("/etc/crossgen/build.conf", "arch=ppc64le\n".getBytes(UTF_8), 0644);
 * String conf = files.readString("/etc/crossgen/build.conf", 64 * 1024);
 * }</pre>
 *
 * <p>Pitfalls: needs a POSIX shell, {@code cat}, {@code head -c}, {@code mkdir -p}, {@code mv}, {@code chmod}
 * and GNU or BusyBox {@code stat -c} on the host. The temporary file of a write lives in the target's folder
 * ({@code .crossgen-write.PID}) and is removed when the write fails. Ownership is that of the user the
 * connection runs as (root with {@code ?sudo=true}).
 */
public final class RemoteFiles {
    static final int IS_DIRECTORY = 64;
    static final int NOT_FOUND = 65;

    static final String WRITE_SCRIPT = String.join("\n",
            "set -e",
            "target=$1 mode=$2",
            "if [ -d \"$target\" ]; then echo \"$target is a directory\" >&2; exit " + IS_DIRECTORY + "; fi",
            "case $target in */*) dir=${target%/*}; dir=${dir:-/} ;; *) dir=. ;; esac",
            "mkdir -p -- \"$dir\"",
            "tmp=$dir/.crossgen-write.$$",
            "rm -f -- \"$tmp\"",
            "trap 'rm -f -- \"$tmp\"' EXIT",
            "(umask 077 && set -C && : > \"$tmp\")",
            "cat > \"$tmp\"",
            "chmod \"$mode\" \"$tmp\"",
            "mv -f -- \"$tmp\" \"$target\"",
            "trap - EXIT");

    static final String READ_SCRIPT = String.join("\n",
            "f=$1 max=$2",
            "if [ ! -e \"$f\" ]; then exit " + NOT_FOUND + "; fi",
            "if [ -d \"$f\" ]; then exit " + IS_DIRECTORY + "; fi",
            "exec head -c \"$max\" -- \"$f\"");

    static final String STAT_SCRIPT = String.join("\n",
            "f=$1",
            "if [ ! -e \"$f\" ] && [ ! -L \"$f\" ]; then exit " + NOT_FOUND + "; fi",
            "stat -c '%f %s %Y' -- \"$f\" || exit",
            "if [ -L \"$f\" ]; then readlink -- \"$f\"; fi");

    private final Exec exec;

    private RemoteFiles(Exec exec) {
        this.exec = exec;
    }

    /**
     * File operations on {@code connection}, each command for at most {@code timeout}.
     *
     * @throws IllegalArgumentException when the timeout is not positive
     */
    public static RemoteFiles on(Connection connection, Duration timeout) {
        return new RemoteFiles(Exec.on(connection, timeout).withCaptureLimit(64 * 1024));
    }

    /** A copy whose commands get another timeout. */
    public RemoteFiles withTimeout(Duration timeout) {
        return new RemoteFiles(exec.withTimeout(timeout));
    }

    /**
     * Writes {@code content} to {@code path} atomically with mode {@code 0644}.
     *
     * @see #write(String, Stdin, int)
     */
    public void write(String path, byte[] content) throws InterruptedException {
        write(path, Stdin.bytes(content), 0644);
    }

    /**
     * Writes {@code content} to {@code path} atomically with the given mode.
     *
     * @see #write(String, Stdin, int)
     */
    public void write(String path, byte[] content, int mode) throws InterruptedException {
        write(path, Stdin.bytes(content), mode);
    }

    /**
     * Streams {@code content} (bytes, a local file, a stream) into {@code path}: a temporary file beside it,
     * {@code chmod}, then a rename over it. Parent folders are created as needed.
     *
     * @param mode permission bits, {@code 0..07777}, e.g. {@code 0755}
     * @throws IllegalArgumentException when the path is empty or the mode out of range
     * @throws RemoteFileException when the path is a folder ({@code IS_A_DIRECTORY}) or the write fails
     *     ({@code FAILED}, with the {@link ExecException} as cause); the target is then unchanged
     * @throws TransportException when the content cannot be read or the host cannot be used
     * @throws InterruptedException when interrupted; the write is cancelled and the target unchanged
     */
    public void write(String path, Stdin content, int mode) throws InterruptedException {
        checkPath(path);
        Objects.requireNonNull(content, "content");
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode must be within 0..07777, not 0" + Integer.toOctalString(mode));
        }
        Command cmd = Command.builder().addArgs("sh", "-c", WRITE_SCRIPT, "crossgen-write", path,
                Integer.toOctalString(mode)).env("LC_ALL", "C").stdin(content).build();
        ExecResult r = exec.run(cmd);
        if (!r.isSuccess()) {
            throw failure("write", path, r);
        }
    }

    /**
     * Reads a whole file.
     *
     * @param maxBytes the most bytes to accept; a larger file fails rather than being cut
     * @throws RemoteFileException when the file is missing ({@code NOT_FOUND}), a folder
     *     ({@code IS_A_DIRECTORY}), larger than {@code maxBytes} ({@code TOO_LARGE}) or unreadable
     *     ({@code FAILED})
     * @throws InterruptedException when interrupted; the read is cancelled
     */
    public byte[] read(String path, long maxBytes) throws InterruptedException {
        checkPath(path);
        if (maxBytes < 0 || maxBytes >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBytes must be within 0.." + (Integer.MAX_VALUE - 9) + ", not "
                    + maxBytes);
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        Command cmd = Command.of("sh", "-c", READ_SCRIPT, "crossgen-read", path, Long.toString(maxBytes + 1))
                .withEnv("LC_ALL", "C");
        ExecResult r = exec.run(cmd, content);
        if (!r.isSuccess()) {
            throw failure("read", path, r);
        }
        if (content.size() > maxBytes) {
            throw new RemoteFileException(exec.host(), "read", path, RemoteFileException.Reason.TOO_LARGE,
                    "larger than the limit of " + maxBytes + " bytes", null);
        }
        return content.toByteArray();
    }

    /** {@link #read} decoded as UTF-8. */
    public String readString(String path, long maxBytes) throws InterruptedException {
        return new String(read(path, maxBytes), StandardCharsets.UTF_8);
    }

    /**
     * Creates a folder and its missing parents ({@code mkdir -p}); an existing folder is fine.
     *
     * @throws RemoteFileException ({@code FAILED}) when it cannot, e.g. a file is in the way
     * @throws InterruptedException when interrupted
     */
    public void mkdirs(String path) throws InterruptedException {
        checkPath(path);
        ExecResult r = exec.run(Command.of("mkdir", "-p", "--", path).withEnv("LC_ALL", "C"));
        if (!r.isSuccess()) {
            throw failure("create folder", path, r);
        }
    }

    /**
     * Describes what is at {@code path}, without following a final symbolic link.
     *
     * @return empty when nothing is there (or the caller may not see it)
     * @throws RemoteFileException ({@code FAILED}) when {@code stat} fails or prints what cannot be parsed
     * @throws InterruptedException when interrupted
     */
    public Optional<FileStat> stat(String path) throws InterruptedException {
        checkPath(path);
        ExecResult r = exec.run(Command.of("sh", "-c", STAT_SCRIPT, "crossgen-stat", path).withEnv("LC_ALL", "C"));
        if (r.exit() instanceof Exit.Exited e && e.code() == NOT_FOUND) {
            return Optional.empty();
        }
        if (!r.isSuccess()) {
            throw failure("stat", path, r);
        }
        String text = r.stdout().text();
        int nl = text.indexOf('\n');
        String[] fields = (nl < 0 ? text : text.substring(0, nl)).trim().split(" ");
        try {
            if (fields.length != 3) {
                throw new IllegalArgumentException("expected 3 fields");
            }
            int raw = Integer.parseInt(fields[0], 16);
            long size = Long.parseLong(fields[1]);
            Instant modified = Instant.ofEpochSecond(Long.parseLong(fields[2]));
            FileStat.Type type = typeOf(raw);
            Optional<String> target = Optional.empty();
            if (type == FileStat.Type.SYMLINK) {
                String rest = nl < 0 ? "" : text.substring(nl + 1);
                target = Optional.of(rest.endsWith("\n") ? rest.substring(0, rest.length() - 1) : rest);
            }
            return Optional.of(new FileStat(path, type, size, raw & 07777, modified, target));
        } catch (IllegalArgumentException e) {
            throw new RemoteFileException(exec.host(), "stat", path, RemoteFileException.Reason.FAILED,
                    "cannot parse what stat printed: " + text.lines().findFirst().orElse(""), e);
        }
    }

    private static FileStat.Type typeOf(int raw) {
        switch (raw & 0170000) {
            case 0100000:
                return FileStat.Type.FILE;
            case 0040000:
                return FileStat.Type.DIRECTORY;
            case 0120000:
                return FileStat.Type.SYMLINK;
            default:
                return FileStat.Type.OTHER;
        }
    }

    private RemoteFileException failure(String operation, String path, ExecResult r) {
        RemoteFileException.Reason reason = RemoteFileException.Reason.FAILED;
        String detail;
        if (r.exit() instanceof Exit.Exited e && e.code() == NOT_FOUND) {
            reason = RemoteFileException.Reason.NOT_FOUND;
            detail = "no such file";
        } else if (r.exit() instanceof Exit.Exited e && e.code() == IS_DIRECTORY) {
            reason = RemoteFileException.Reason.IS_A_DIRECTORY;
            detail = "it is a directory";
        } else {
            String said = String.join(" | ", r.stderr().lastLines(3));
            detail = r.exit().describe() + (said.isEmpty() ? "" : ": " + said);
        }
        return new RemoteFileException(exec.host(), operation, path, reason, detail, new ExecException(r));
    }

    private static void checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path must not be empty");
        }
    }
}
