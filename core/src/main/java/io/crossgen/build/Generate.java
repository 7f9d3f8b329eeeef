package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.Exec;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.Output;
import io.crossgen.transport.StdStream;
import io.crossgen.transport.Timeouts;
import io.crossgen.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the genimage command of {@link DryRunGenimage} on the builder, in its family folder, with its
 * environment ({@link GenimageRun#environment()}, exported before the detached start so genimage inherits it),
 * and follows it to its end.
 *
 * <p>The command is the one the MN printed, without {@code --tempfile} (the MN's hand-over file) and without
 * the stray {@code 1} xCAT writes after {@code --ignorekernelchk} and {@code --noupdate} (which the builder's
 * script would take for the image name, XCAT.md 1.5). It runs detached from the connection ({@code setsid},
 * stdin from {@code /dev/null}, output to a log in a per-run folder {@code /var/tmp/crossgen/<run id>/}), so a
 * dropped SSH session does not kill a 40-minute build: the step follows the log by byte offset, a bounded wait
 * per poll, and when a poll fails on the transport it retries with backoff and carries on from the offset
 * already seen. Output lines reach the listener as they come. The limit is long (3 hours by default). When the
 * run's folder holds a genimage that still runs (a resumed run whose controller was killed), the step attaches to
 * it instead of starting another, and follows its log from the start. The genimage's pid and start time go to
 * {@link BuildKeys#GENIMAGE_PROCESS} and to the run's lock owner and lease entry; on success its run folder is
 * removed by a deferred cleanup.
 *
 * <p>Before starting, the step defers two cleanups: one that unmounts whatever genimage left mounted under
 * {@code <rootimgdir>/rootimg} (proc, sys, dev, dev/pts, run: xCAT issues #1767, #5640), deepest first, so that
 * the later unmount of {@code /install} is not "target is busy" (deferred after {@link MountInstall}'s, it runs
 * before it); and one that stops genimage if the step ends before genimage does (cancelled, timed out).
 * Needs {@link BuildKeys#GENIMAGE} and {@link BuildKeys#IMAGE}.
 */
public final class Generate implements Step {
    /** The step's name. */
    public static final String NAME = "generate";
    /** The default limit of a genimage run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(3);
    static final int MAX_CHUNK = 256 * 1024;
    /**
     * How long a poll keeps gathering output once some came (unless the run ends, which answers within 150 ms):
     * a genimage that prints without pause costs at most about three polls a second, and a line reaches the
     * listener at most this much later.
     */
    static final int SETTLE_MILLIS = 300;
    private static final int TAIL_LINES = 20;
    private static final Logger LOG = LoggerFactory.getLogger(Generate.class);
    private static final String OWNER_APPEND = Script.load("owner-append.sh");

    private final Duration timeout;
    private final Duration pollWait;
    private final int retries;
    private final Duration backoff;
    private final String runRoot;

    private Generate(Duration timeout, Duration pollWait, int retries, Duration backoff, String runRoot) {
        this.timeout = timeout;
        this.pollWait = pollWait;
        this.retries = retries;
        this.backoff = backoff;
        this.runRoot = runRoot;
    }

    /** Three hours, polls that wait up to 5 s for news, 5 retries of a failed poll from 2 s backoff. */
    public static Generate defaults() {
        return new Generate(DEFAULT_TIMEOUT, Duration.ofSeconds(5), 5, Duration.ofSeconds(2), "/var/tmp/crossgen");
    }

    /** A copy with another limit for the whole genimage run. */
    public Generate withTimeout(Duration limit) {
        return new Generate(Timeouts.positive("timeout", limit), pollWait, retries, backoff, runRoot);
    }

    /** A copy whose polls wait up to {@code wait} (whole seconds, at least 1) for new output. */
    public Generate withPollWait(Duration wait) {
        return new Generate(timeout, Timeouts.positive("poll wait", wait), retries, backoff, runRoot);
    }

    /** A copy that retries a failed poll {@code times} times, waiting {@code first}, then twice as long each time. */
    public Generate withRetries(int times, Duration first) {
        if (times < 0) {
            throw new IllegalArgumentException("retries must not be negative, not " + times);
        }
        return new Generate(timeout, pollWait, times, Timeouts.positive("retry backoff", first), runRoot);
    }

    /** A copy that keeps its per-run folders below another folder of the builder. */
    public Generate withRunFolder(String folder) {
        Objects.requireNonNull(folder, "folder");
        if (!folder.startsWith("/") || folder.length() < 2) {
            throw new IllegalArgumentException("run folder '" + folder + "' must be an absolute path");
        }
        return new Generate(timeout, pollWait, retries, backoff, PackageLists.normalize(folder));
    }

    /** Needs everything that prepares the builder and the genimage line. */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(DryRunGenimage.NAME, LockImage.NAME, Preflight.NAME,
                CopyNetboot.NAME, CopyExternalFiles.NAME, MountInstall.NAME, StageImage.NAME));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Duration> timeout() {
        return Optional.of(timeout);
    }

    /** The rootimg genimage builds: in the stage ({@link BuildKeys#STAGE}) when there is one. */
    static String rootimg(StepContext context, OsImage image) {
        return context.get(BuildKeys.STAGE)
                .orElseGet(() -> RootimgDir.of(image, SitePaths.of(context).installdir())) + "/rootimg";
    }

    /** The command as the builder runs it: {@code --tempfile F} and the stray {@code 1}s dropped. */
    static List<String> builderArgv(List<String> argv) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String w = argv.get(i);
            if (w.equals("--tempfile") && i + 1 < argv.size()) {
                i++;
                continue;
            }
            if (w.startsWith("--tempfile=")) {
                continue;
            }
            out.add(w);
            if ((w.equals("--ignorekernelchk") || w.equals("--noupdate")) && i + 1 < argv.size() - 1
                    && argv.get(i + 1).equals("1")) {
                i++;
            }
        }
        return out;
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        GenimageRun genimage = context.require(BuildKeys.GENIMAGE);
        OsImage image = BuildKeys.image(context);
        String rootimg = rootimg(context, image);
        String runDir = runRoot + "/" + BuildKeys.runId(context);
        List<String> argv = builderArgv(genimage.argv());

        context.defer("unmount what genimage left mounted under " + rootimg, c -> unmountLeftovers(c, rootimg));
        AtomicBoolean ended = new AtomicBoolean();
        context.defer("stop genimage if it still runs", c -> {
            if (!ended.get()) {
                c.exec(BuildRoles.BUILDER, DetachedRun.stop(runDir));
            }
        });
        ExecResult started = context.check(BuildRoles.BUILDER,
                genimage.withEnvironment(DetachedRun.start(runDir, genimage.folder(), argv)));
        if (!context.planning()) {
            record(context, runDir, started);
        }
        if (context.planning()) {
            context.note("genimage runs detached (setsid) in " + genimage.folder() + ": "
                    + genimage.withEnvironment(Command.of(argv).withWorkingDirectory(genimage.folder()))
                    + "; output in " + runDir
                    + "/log, followed by offset (a dropped connection is resumed), exit code in " + runDir + "/rc");
            context.exec(BuildRoles.BUILDER,
                    DetachedRun.follow(runDir, 0, seconds(pollWait), MAX_CHUNK, SETTLE_MILLIS));
            ended.set(true);
            return;
        }
        long t0 = System.nanoTime();
        Ending end = follow(context, runDir);
        ended.set(true);
        if (end.rc() == 0) {
            context.defer("remove genimage's run folder " + runDir + " on the builder",
                    c -> c.exec(BuildRoles.BUILDER, Command.of("rm", "-rf", "--", runDir)));
        }
        if (end.rc() != 0) {
            Host builder = context.host(BuildRoles.BUILDER);
            // The command's own account, so that the report names host, argv, exit and last lines.
            ExecResult genimageRun = new ExecResult(builder,
                    genimage.withEnvironment(Command.of(argv).withWorkingDirectory(genimage.folder())),
                    Exit.exited(end.rc()), Duration.ofNanos(System.nanoTime() - t0), Output.empty(),
                    Output.of(end.lastLines().isEmpty() ? "" : String.join("\n", end.lastLines()) + "\n"));
            throw new BuildException("genimage failed with exit " + end.rc() + " on " + builder.label() + " (log: "
                    + runDir + "/log); last lines:\n  " + String.join("\n  ", end.lastLines()),
                    new ExecException(genimageRun));
        }
    }

    /**
     * Records the started (or re-attached) genimage: under {@link BuildKeys#GENIMAGE_PROCESS}, and in this run's
     * lock owner on the MN and lease entry on the builder, so that a later run can tell whether it still runs.
     */
    private static void record(StepContext context, String runDir, ExecResult started) throws InterruptedException {
        var answer = Preflight.parseFacts(started.stdout().text());
        String pid = answer.getOrDefault("pid", "");
        if (!pid.matches("[0-9]+")) {
            LOG.warn("genimage's start on the builder printed no pid; its liveness cannot be recorded");
            return;
        }
        Host builder = context.host(BuildRoles.BUILDER);
        String start = answer.getOrDefault("start", "");
        GenimageProcess p = new GenimageProcess(builder.label(), runDir, Long.parseLong(pid), start);
        if ("attached".equals(answer.get("action"))) {
            context.note("genimage pid " + pid + " of this run still runs on " + builder.label()
                    + ": attached to it (its log is followed from the start)");
        }
        String lines = RunOwner.genimageLines(p.pid(), start, builder.label());
        Optional<String> lock = context.get(BuildKeys.LOCK_DIR);
        if (lock.isPresent()) {
            context.exec(BuildRoles.MN, appendOwner(lock.get() + "/owner", lines));
        }
        Optional<String> lease = context.get(BuildKeys.LEASE_ENTRY);
        if (lease.isPresent()) {
            context.exec(BuildRoles.BUILDER, appendOwner(lease.get(), lines));
        }
        context.put(BuildKeys.GENIMAGE_PROCESS, p);
    }

    static Command appendOwner(String file, String lines) {
        return Command.of("sh", "-c", OWNER_APPEND, "crossgen-owner", file, lines);
    }

    /** How the followed run ended. */
    private record Ending(int rc, List<String> lastLines) {
    }

    private Ending follow(StepContext context, String runDir) throws InterruptedException {
        Host builder = context.host(BuildRoles.BUILDER);
        Deque<String> last = new ArrayDeque<>();
        StringBuilder partial = new StringBuilder();
        long offset = 0;
        int failures = 0;
        int silentDeaths = 0;
        while (true) {
            Duration left = Duration.between(Instant.now(), context.deadline());
            Duration pollLimit = pollWait.plusSeconds(60);
            if (left.compareTo(pollLimit) < 0) {
                pollLimit = left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
            }
            Optional<DetachedRun.Poll> poll;
            String problem;
            try {
                ExecResult r = Exec.on(context.connection(BuildRoles.BUILDER), pollLimit)
                        .withCaptureLimit(MAX_CHUNK * 2 + 4096)
                        .run(DetachedRun.follow(runDir, offset, seconds(pollWait), MAX_CHUNK, SETTLE_MILLIS));
                poll = r.isSuccess() ? DetachedRun.parse(r.stdout().text()) : Optional.empty();
                problem = r.exit().describe();
            } catch (TransportException e) {
                poll = Optional.empty();
                problem = e.getMessage();
            }
            if (poll.isEmpty()) {
                failures++;
                if (failures > retries) {
                    throw new BuildException("lost genimage on " + builder.label() + " after " + retries
                            + " retries (" + problem + "); it may still run: see " + runDir + "/log there");
                }
                Duration wait = backoff.multipliedBy(1L << Math.min(failures - 1, 6));
                context.warn("following genimage on " + builder.label() + " failed (" + problem + "); retrying in "
                        + (wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms")
                        + " from byte " + offset);
                Thread.sleep(wait.toMillis());
                continue;
            }
            failures = 0;
            DetachedRun.Poll p = poll.get();
            emit(context, builder, p.chunk(), partial, last);
            offset = p.end();
            if (p.finished()) {
                if (partial.length() > 0) {
                    line(context, builder, partial.toString(), last);
                    partial.setLength(0);
                }
                return new Ending(p.rc().getAsInt(), List.copyOf(last));
            }
            if (p.rc().isEmpty() && !p.alive()) {
                if (++silentDeaths >= 3) {
                    throw new BuildException("genimage on " + builder.label() + " ended without an exit code (killed,"
                            + " or the builder restarted); see " + runDir + "/log there; last lines:\n  "
                            + String.join("\n  ", last));
                }
            } else {
                silentDeaths = 0;
            }
        }
    }

    private static void emit(StepContext context, Host host, String chunk, StringBuilder partial, Deque<String> last) {
        int start = 0;
        for (int nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
            partial.append(chunk, start, nl);
            line(context, host, partial.toString(), last);
            partial.setLength(0);
            start = nl + 1;
        }
        partial.append(chunk, start, chunk.length());
    }

    private static void line(StepContext context, Host host, String line, Deque<String> last) {
        context.listener().outputLine(context.step(), host, StdStream.STDOUT, line);
        last.addLast(line);
        if (last.size() > TAIL_LINES) {
            last.removeFirst();
        }
    }

    /** Unmounts, deepest first, whatever is mounted at or below {@code rootimg} on the builder. */
    static void unmountLeftovers(StepContext context, String rootimg) throws InterruptedException {
        ExecResult r = context.exec(BuildRoles.BUILDER, DetachedRun.listMounts());
        List<String> mounts = DetachedRun.leftoverMounts(r.stdout().text(), rootimg);
        if (mounts.isEmpty()) {
            return;
        }
        context.warn("genimage left " + mounts.size() + " mounts under " + rootimg + ": " + String.join(", ", mounts)
                + "; unmounting them");
        List<String> argv = new ArrayList<>(List.of("umount"));
        argv.addAll(mounts);
        ExecResult u = context.exec(BuildRoles.BUILDER, Command.of(argv));
        if (!u.isSuccess()) {
            LOG.warn("umount of leftovers failed ({}); trying lazy unmounts", u.exit().describe());
            List<String> lazy = new ArrayList<>(List.of("umount", "-l"));
            lazy.addAll(mounts);
            context.exec(BuildRoles.BUILDER, Command.of(lazy));
        }
    }

    static int seconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }

    @Override
    public String intent() {
        return "procedure step 5: run the printed genimage line on the builder (step 6, the unmount of /install,"
                + " is a cleanup)";
    }

    @Override
    public String toString() {
        return NAME;
    }
}
