package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Takes crossgen's lock on the image's {@code rootimgdir} on the MN, and defers its release.
 *
 * <p>xCAT's own image lock lives in {@code /var/lock/xcat} of the host that runs genimage or packimage, so it
 * cannot keep a genimage on a builder and a packimage on the MN (or two builders) apart, and only the rh
 * genimage takes it at all (XCAT.md 1.2, issue #2077). This lock is a folder
 * {@code /install/.crossgen-locks/<hash of rootimgdir>} made with {@code mkdir} (atomic, on the MN), holding an
 * {@code owner} file ({@link RunOwner}: run id, controller host, pid and start time, image, rootimgdir, time;
 * {@link Generate} appends its genimage's pid and start time). A second build of the same rootimgdir fails with
 * a message naming the holder, saying whether its controller and genimage still run, and giving the crossgen
 * command to use ({@code crossgen status}, {@code crossgen resume RUN}, {@code crossgen unlock IMAGE}). A resumed
 * run (same {@link BuildKeys#RUN_ID}) takes its own lock over once its earlier controller is gone. The deferred
 * release removes the folder only when this run owns it. The script is the resource {@code lock-acquire.sh}.
 * Needs {@link BuildKeys#IMAGE}; runs right after {@link CopyDefinition}, before anything touches the image.
 *
 * <pre>{@code
 * LockImage.defaults()                      // under /install/.crossgen-locks
 * LockImage.defaults().withLockRoot("/var/lock/crossgen")
 * }</pre>
 */
public final class LockImage implements Step {
    /** The step's name. */
    public static final String NAME = "lock-image";
    /** Where the locks live by default: beside the images, on the MN ({@code <installdir>/.crossgen-locks}). */
    public static final String DEFAULT_ROOT = "/install/.crossgen-locks";
    private static final String DEFAULT_NAME = ".crossgen-locks";

    /** {@code $1} the lock folder, {@code $2} the owner lines, {@code $3} the run id to take over or empty. */
    static final String ACQUIRE = Script.load("lock-acquire.sh");
    static final String RELEASE = String.join("\n",
            "if grep -qx \"run=$2\" \"$1/owner\" 2>/dev/null; then rm -rf -- \"$1\"; echo released;",
            "else echo 'not held by this run'; fi");

    /** The lock folder, or null for {@code <site.installdir>/.crossgen-locks}. */
    private final String root;

    private LockImage(String root) {
        this.root = root;
    }

    /** The lock under {@code <site.installdir>/.crossgen-locks}: {@link #DEFAULT_ROOT} on most sites. */
    public static LockImage defaults() {
        return new LockImage(null);
    }

    /**
     * A copy that keeps its locks in another folder of the MN (every build that should exclude each other must
     * use the same one).
     *
     * @throws IllegalArgumentException when the folder is not absolute
     */
    public LockImage withLockRoot(String folder) {
        Objects.requireNonNull(folder, "folder");
        if (!folder.startsWith("/") || folder.length() < 2) {
            throw new IllegalArgumentException("lock folder '" + folder + "' must be an absolute path");
        }
        return new LockImage(folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder);
    }

    /** Needs the new image's rootimgdir and the site's installdir. */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(CopyDefinition.NAME));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The folder of the default lock on a site: {@code <installdir>/.crossgen-locks}. */
    static String defaultRoot(SitePaths site) {
        return site.installdir() + "/" + DEFAULT_NAME;
    }

    /** The lock folder of a rootimgdir on a site. */
    String lockDir(String rootimgdir, SitePaths site) {
        String folder = root != null ? root : defaultRoot(site);
        return folder + "/" + hash(PackageLists.normalize(rootimgdir));
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        OsImage image = BuildKeys.image(context);
        String rootimgdir = RootimgDir.of(image, SitePaths.of(context).installdir());
        String dir = lockDir(rootimgdir, SitePaths.of(context));
        String runId = BuildKeys.runId(context);
        String owner = context.planning() ? "run=" + runId + "\ncontroller-host=<this host>\ncontroller-pid=<pid>"
                + "\ncontroller-start=<start>\nimage=" + image.name() + "\ntime=<start of run>\nrootimgdir=" + rootimgdir
                : RunOwner.thisProcess(runId, image.name()).lines() + "\nrootimgdir=" + rootimgdir;
        ExecResult r = context.exec(BuildRoles.MN, acquire(dir, owner, ""));
        if (held(r)) {
            Optional<RunOwner> holder = RunOwner.parse(String.join("\n", r.stdout().lines()));
            if (holder.isPresent() && holder.get().runId().equals(runId)
                    && holder.get().controller() == RunOwner.Liveness.GONE) {
                // This run resumed: its earlier controller is gone, so the lock is taken over.
                r = context.exec(BuildRoles.MN, acquire(dir, owner, runId));
                if (!held(r)) {
                    context.note("took over the lock of run " + runId + " (its earlier controller process is gone)");
                }
            }
            if (held(r)) {
                throw new RefusedException(refusal(context, rootimgdir, dir, image.name(),
                        RunOwner.parse(String.join("\n", r.stdout().lines()))));
            }
        }
        r.requireSuccess();
        context.put(BuildKeys.LOCK_DIR, dir);
        context.defer("release the lock on " + rootimgdir, c -> c.exec(BuildRoles.MN, release(dir, runId)));
    }

    static Command acquire(String dir, String owner, String takeOver) {
        return Command.of("sh", "-c", ACQUIRE, "crossgen-lock", dir, owner, takeOver);
    }

    static Command release(String dir, String runId) {
        return Command.of("sh", "-c", RELEASE, "crossgen-unlock", dir, runId);
    }

    private static boolean held(ExecResult r) {
        return r.exit() instanceof io.crossgen.transport.Exit.Exited e && e.code() == 3;
    }

    /** The refusal: who holds the lock, which of its processes run, and the crossgen command to use. */
    private static String refusal(StepContext context, String rootimgdir, String dir, String image,
                                  Optional<RunOwner> holder) throws InterruptedException {
        String prefix = "the image folder " + rootimgdir + " is locked by ";
        if (holder.isEmpty()) {
            return prefix + "another crossgen run (owner unknown: " + dir + "/owner on the MN is missing or empty);"
                    + " see `" + statusCommand(context) + "`";
        }
        RunOwner o = holder.get();
        RunOwner.Status status = o.status(genimage(context, o));
        String who = prefix + "crossgen run " + o.runId() + (o.image().isEmpty() ? "" : " of image " + o.image())
                + (o.since().isEmpty() ? "" : " since " + o.since()) + " (" + status.describe() + "); ";
        if (status.stale()) {
            return who + "nothing of that run runs any more: finish it with `crossgen resume " + o.runId()
                    + "`, or remove what it left with `crossgen unlock " + image + "`";
        }
        return who + (status.alive() ? "wait for it to end" : "it may still run")
                + "; see `" + statusCommand(context) + "`";
    }

    /** Whether {@code o}'s genimage runs: asked on this run's builder when it ran there, else unknown. */
    static RunOwner.Liveness genimage(StepContext context, RunOwner o) throws InterruptedException {
        if (o.genimagePid().isEmpty()) {
            return RunOwner.Liveness.GONE;
        }
        if (!o.builder().equals(context.host(BuildRoles.BUILDER).label())) {
            return RunOwner.Liveness.UNKNOWN;
        }
        ExecResult r = context.exec(BuildRoles.BUILDER, DetachedRun.alive(o.genimagePid().getAsLong(), o.genimageStart()));
        return DetachedRun.parseAlive(r.stdout().text(), o.genimagePid().getAsLong());
    }

    private static String statusCommand(StepContext context) {
        return "crossgen status --mn " + context.host(BuildRoles.MN) + " --builder " + context.host(BuildRoles.BUILDER);
    }

    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    @Override
    public String intent() {
        return "take crossgen's lock on the new image's rootimgdir, so that no other run builds it at once";
    }

    @Override
    public String toString() {
        return NAME + "(" + (root != null ? root : "<installdir>/" + DEFAULT_NAME) + ")";
    }
}
