package io.crossgen.transport;

import io.crossgen.command.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a tree from one host to another as one tar stream: {@code tar -c} on the source piped, through this
 * JVM, into {@code tar -x} on the target. Either side may be any transport, and the two hosts need no trust
 * between them.
 *
 * <pre>{@code
 * TarRelay relay = TarRelay.of("/install/netboot/rhels8/ppc64le/compute", "/install/netboot/rhels8/ppc64le/compute",
 *         Duration.ofHours(1));
 * plan.add(builder.host(), relay.sourceCommand());        // a dry run shows both sides
 * plan.add(mn.host(), relay.targetCommand());
 * RelayResult r = relay.run(builder, mn, bytes -> listener.bytesCopied(bytes));
 * }</pre>
 *
 * <p>What is kept: regular files with their content and modes, folders (empty ones too), symbolic links as
 * links (absolute or relative, to files or folders, dangling or not, never followed), hard links within the
 * stream, modification times, and any byte in a name (spaces, newlines, quotes, non-ASCII). Ownership is kept
 * by number when the target runs as root. The commands, and why:
 * <ul>
 *   <li>source: {@code tar -c -f - --format=gnu --numeric-owner -C ROOT -- PATHS} (or {@code .} for the whole
 *   root). GNU format stores names byte for byte (pax would recode them through the locale and fail on names
 *   that are not valid in it) and has no limit on name length. {@code --numeric-owner}: an image tree carries
 *   its own {@code /etc/passwd}, so user names mapped through the hosts' databases could silently change owners;
 *   uid and gid numbers are what the image means. {@code --} keeps a path that starts with {@code -} a path.</li>
 *   <li>target: {@code sh -c 'mkdir -p -- "$1" && shift && exec "$@"' crossgen-relay ROOT tar -x -f - -p
 *   --numeric-owner -C ROOT}: the root is created when missing; {@code -p} applies the stored modes without the
 *   umask.</li>
 * </ul>
 * Both run with {@code LC_ALL=C}, so their messages are in English.
 *
 * <p>Failure: both exits are checked; when either is not 0 a {@link RelayException} carries both results and
 * both stderr tails. A side that dies cancels the other. The whole relay is bounded by the timeout, after
 * which both process trees are cancelled. Interruption cancels both and throws {@link InterruptedException}.
 * With {@link #withTargetLock} the extraction holds {@code flock(1)} on a file of the target, so relays into one
 * tree take turns. Pitfalls: the target is extracted over what is already there (files are replaced, nothing is removed);
 * extended attributes, ACLs and SELinux labels are not copied; with {@link #withPaths} the parent folders of
 * the paths are created on the target with default modes.
 */
public final class TarRelay {
    private static final Logger LOG = LoggerFactory.getLogger(TarRelay.class);
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(10);
    private static final int STDERR_CAPTURE = 64 * 1024;
    static final String TARGET_SCRIPT = "mkdir -p -- \"$1\" && shift && exec \"$@\"";
    /** As {@link #TARGET_SCRIPT}, the extraction under {@code flock} of {@code $2} where the target has flock. */
    static final String LOCKED_TARGET_SCRIPT = "mkdir -p -- \"$1\" \"${2%/*}\" && l=$2 && shift 2 &&"
            + " if command -v flock >/dev/null 2>&1; then exec flock \"$l\" \"$@\"; fi; exec \"$@\"";

    private final String sourceRoot;
    private final String targetRoot;
    private final List<String> paths;
    private final Duration timeout;
    private final Optional<String> targetLock;

    private TarRelay(String sourceRoot, String targetRoot, List<String> paths, Duration timeout,
            Optional<String> targetLock) {
        this.sourceRoot = sourceRoot;
        this.targetRoot = targetRoot;
        this.paths = List.copyOf(paths);
        this.timeout = timeout;
        this.targetLock = targetLock;
    }

    /**
     * A relay of the whole tree under {@code sourceRoot} into {@code targetRoot}, bounded by {@code timeout}.
     *
     * @throws IllegalArgumentException when a root is empty or the timeout not positive
     */
    public static TarRelay of(String sourceRoot, String targetRoot, Duration timeout) {
        return new TarRelay(checkRoot(sourceRoot, "source root"), checkRoot(targetRoot, "target root"), List.of(),
                Timeouts.positive("timeout", timeout), Optional.empty());
    }

    /**
     * A copy that relays only the given paths, relative to the source root (folders with their content).
     *
     * @throws IllegalArgumentException when a path is empty, absolute or has a {@code ..} part
     */
    public TarRelay withPaths(List<String> relativePaths) {
        for (String p : relativePaths) {
            Objects.requireNonNull(p, "path");
            if (p.isEmpty() || p.startsWith("/")) {
                throw new IllegalArgumentException("relay paths are relative to the source root, not '" + p + "'");
            }
            for (String part : p.split("/", -1)) {
                if (part.equals("..")) {
                    throw new IllegalArgumentException("relay path '" + p + "' leaves the source root through ..");
                }
            }
        }
        return new TarRelay(sourceRoot, targetRoot, relativePaths, timeout, targetLock);
    }

    /**
     * A copy whose extraction holds {@code flock(1)} on {@code lockFile} (created with its folder when missing) on
     * the target, so that relays into the same tree from several builds take turns: two {@code tar -x} writing
     * the same symbolic link at once fail with "Cannot create symlink ... File exists". A target without
     * {@code flock} extracts without it.
     *
     * @throws IllegalArgumentException when the path is not absolute
     */
    public TarRelay withTargetLock(String lockFile) {
        if (!Objects.requireNonNull(lockFile, "lock file").startsWith("/") || lockFile.endsWith("/")) {
            throw new IllegalArgumentException("the target lock is an absolute file path, not '" + lockFile + "'");
        }
        return new TarRelay(sourceRoot, targetRoot, paths, timeout, Optional.of(lockFile));
    }

    /** A copy bounded by another timeout. */
    public TarRelay withTimeout(Duration limit) {
        return new TarRelay(sourceRoot, targetRoot, paths, Timeouts.positive("timeout", limit), targetLock);
    }

    /** The folder on the source host whose content is sent. */
    public String sourceRoot() {
        return sourceRoot;
    }

    /** The folder on the target host the content lands in. */
    public String targetRoot() {
        return targetRoot;
    }

    /** The paths sent, relative to the source root; empty for the whole tree. */
    public List<String> paths() {
        return paths;
    }

    /** The limit for the whole relay. */
    public Duration timeout() {
        return timeout;
    }

    /** The command run on the source host; its stdout is the tar stream. */
    public Command sourceCommand() {
        Command.Builder b = Command.builder()
                .addArgs("tar", "-c", "-f", "-", "--format=gnu", "--numeric-owner", "-C", sourceRoot, "--")
                .env("LC_ALL", "C");
        if (paths.isEmpty()) {
            b.addArgs(".");
        } else {
            b.addArgs(paths);
        }
        return b.build();
    }

    /** The command run on the target host; it reads the tar stream on stdin. */
    public Command targetCommand() {
        Command.Builder b = Command.builder();
        targetLock.ifPresentOrElse(l -> b.addArgs("sh", "-c", LOCKED_TARGET_SCRIPT, "crossgen-relay", targetRoot, l),
                () -> b.addArgs("sh", "-c", TARGET_SCRIPT, "crossgen-relay", targetRoot));
        return b.addArgs("tar", "-x", "-f", "-", "-p", "--numeric-owner", "-C", targetRoot)
                .env("LC_ALL", "C")
                .build();
    }

    /** Like {@link #run(Connection, Connection, LongConsumer)} without progress. */
    public RelayResult run(Connection source, Connection target) throws InterruptedException {
        return run(source, target, bytes -> { });
    }

    /**
     * Runs the relay.
     *
     * @param progress gets the bytes relayed so far, after each chunk (up to 64 KiB), from the copying thread;
     *     must be quick; a progress that throws is logged once and otherwise ignored
     * @return what went across, when both sides exited 0
     * @throws RelayException when either side did not exit 0 (timeouts included), with both results
     * @throws TransportException when a side cannot be started or the stream breaks in this JVM
     * @throws InterruptedException when interrupted; both process trees have been cancelled
     */
    public RelayResult run(Connection source, Connection target, LongConsumer progress) throws InterruptedException {
        Objects.requireNonNull(progress, "progress");
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Command srcCmd = sourceCommand();
        Command dstCmd = targetCommand();
        LOG.debug("relay {}:{} -> {}:{}", source.host().label(), sourceRoot, target.host().label(), targetRoot);
        RemoteProcess src = source.start(srcCmd);
        RemoteProcess dst;
        try {
            dst = target.start(dstCmd);
        } catch (RuntimeException | InterruptedException e) {
            src.close();
            throw e;
        }
        try (src; dst) {
            closeQuietly(src.stdin());
            OutputPump srcErr = OutputPump.start(src.stderr(), StdStream.STDERR, OutputListener.NONE, STDERR_CAPTURE,
                    source.host());
            OutputPump dstOut = OutputPump.start(dst.stdout(), StdStream.STDOUT, OutputListener.NONE, STDERR_CAPTURE,
                    target.host());
            OutputPump dstErr = OutputPump.start(dst.stderr(), StdStream.STDERR, OutputListener.NONE, STDERR_CAPTURE,
                    target.host());
            Copier copier = Copier.start(src, dst, progress, source.host().label() + "->" + target.host().label());
            Exit srcExit;
            Exit dstExit;
            try {
                boolean copied = copier.await(remaining(deadline));
                Optional<Exit> s = copied ? src.waitFor(remaining(deadline)) : Optional.empty();
                Optional<Exit> d = copied && s.isPresent() ? dst.waitFor(remaining(deadline)) : Optional.empty();
                if (s.isEmpty() || d.isEmpty()) {
                    LOG.warn("relay {} -> {} did not end within {}; cancelling both sides", source.host().label(),
                            target.host().label(), timeout);
                    src.cancel();
                    dst.cancel();
                    srcExit = s.orElse(Exit.timedOut(timeout));
                    dstExit = d.orElse(Exit.timedOut(timeout));
                } else {
                    srcExit = s.get();
                    dstExit = d.get();
                }
                copier.await(DRAIN_GRACE);
                srcErr.awaitEnd(DRAIN_GRACE);
                dstOut.awaitEnd(DRAIN_GRACE);
                dstErr.awaitEnd(DRAIN_GRACE);
            } catch (InterruptedException e) {
                src.cancel();
                dst.cancel();
                throw e;
            } finally {
                copier.stop();
                srcErr.stop();
                dstOut.stop();
                dstErr.stop();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            long bytes = copier.bytes;
            long entries = copier.counter.entries();
            ExecResult srcResult = new ExecResult(source.host(), srcCmd, srcExit, took,
                    Output.truncated("", "", bytes), srcErr.output());
            ExecResult dstResult = new ExecResult(target.host(), dstCmd, dstExit, took, dstOut.output(),
                    dstErr.output());
            RelayResult result = new RelayResult(bytes, entries < 0 ? OptionalLong.empty() : OptionalLong.of(entries),
                    took, srcResult, dstResult);
            if (!result.isSuccess()) {
                throw new RelayException(result);
            }
            if (copier.failure != null) {
                // Both sides say success, yet this JVM could not move the bytes: do not trust the copy.
                throw new TransportException.Io(target.host(), "tar relay stream broke: " + copier.failure,
                        copier.failure);
            }
            LOG.debug("relay {} -> {}: {} bytes, {} entries in {} ms", source.host().label(), target.host().label(),
                    bytes, entries, took.toMillis());
            return result;
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            LOG.debug("closing the source's stdin failed: {}", e.toString());
        }
    }

    /** Moves the stream from the source's stdout to the target's stdin, counting bytes and entries. */
    private static final class Copier implements Runnable {
        private final RemoteProcess src;
        private final RemoteProcess dst;
        private final LongConsumer progress;
        private final Thread thread;
        final TarEntryCounter counter = new TarEntryCounter();
        volatile long bytes;
        volatile IOException failure;
        private boolean progressFailed;

        private Copier(RemoteProcess src, RemoteProcess dst, LongConsumer progress, String name) {
            this.src = src;
            this.dst = dst;
            this.progress = progress;
            this.thread = new Thread(this, "crossgen-relay-" + name);
            this.thread.setDaemon(true);
        }

        static Copier start(RemoteProcess src, RemoteProcess dst, LongConsumer progress, String name) {
            Copier c = new Copier(src, dst, progress, name);
            c.thread.start();
            return c;
        }

        @Override
        public void run() {
            byte[] buf = new byte[64 * 1024];
            InputStream in = src.stdout();
            OutputStream out = dst.stdin();
            long total = 0;
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    failure = e;
                    dst.cancel(); // before closing its input: a cut stream must not be taken as complete
                    closeQuietly(out);
                    return;
                }
                if (n < 0) {
                    break;
                }
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    // The target ended or closed its input; the source would block on a full pipe: stop it.
                    failure = e;
                    src.cancel();
                    return;
                }
                counter.accept(buf, 0, n);
                total += n;
                bytes = total;
                report(total);
            }
            try {
                out.close();
            } catch (IOException e) {
                failure = e;
            }
        }

        private void report(long total) {
            try {
                progress.accept(total);
            } catch (RuntimeException e) {
                if (!progressFailed) {
                    progressFailed = true;
                    LOG.warn("relay progress listener failed; its later failures are not logged", e);
                }
            }
        }

        boolean await(Duration limit) throws InterruptedException {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(limit.toNanos())));
            return !thread.isAlive();
        }

        void stop() {
            if (thread.isAlive()) {
                thread.interrupt();
            }
        }
    }

    private static String checkRoot(String root, String what) {
        Objects.requireNonNull(root, what);
        if (root.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return root;
    }

    @Override
    public String toString() {
        return "TarRelay[" + sourceRoot + " -> " + targetRoot + (paths.isEmpty() ? "" : ", " + paths.size()
                + " paths") + "]";
    }
}
