package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Role;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Takes crossgen's lock on the image's {@code rootimgdir} on the MN, and defers its release.
 *
 * <p>xCAT's own image lock lives in {@code /var/lock/xcat} of the host that runs genimage or packimage, so it
 * cannot keep a genimage on a builder and a packimage on the MN (or two builders) apart, and only the rh
 * genimage takes it at all (XCAT.md 1.2, issue #2077). This lock is a folder
 * {@code /install/.crossgen-locks/<hash of rootimgdir>} made with {@code mkdir} (atomic, on the MN), holding an
 * {@code owner} file (run id, host, image, rootimgdir, time). A second build of the same rootimgdir fails with
 * a message naming the holder. The deferred release removes the folder only when this run owns it.
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
    /** Where the locks live by default: beside the images, on the MN. */
    public static final String DEFAULT_ROOT = "/install/.crossgen-locks";

    static final String ACQUIRE = String.join("\n",
            "mkdir -p \"$(dirname \"$1\")\" || exit 2",
            "if mkdir \"$1\" 2>/dev/null; then printf '%s\\n' \"$2\" > \"$1/owner\"; echo acquired; exit 0; fi",
            "echo held; cat \"$1/owner\" 2>/dev/null; exit 3");
    static final String RELEASE = String.join("\n",
            "if grep -qx \"run=$2\" \"$1/owner\" 2>/dev/null; then rm -rf -- \"$1\"; echo released;",
            "else echo 'not held by this run'; fi");

    private final String root;

    private LockImage(String root) {
        this.root = root;
    }

    /** The lock under {@link #DEFAULT_ROOT}. */
    public static LockImage defaults() {
        return new LockImage(DEFAULT_ROOT);
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

    @Override
    public String name() {
        return NAME;
    }

    /** The lock folder of a rootimgdir. */
    String lockDir(String rootimgdir) {
        return root + "/" + hash(PackageLists.normalize(rootimgdir));
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        OsImage image = BuildKeys.image(context);
        String rootimgdir = RootimgDir.of(image);
        String dir = lockDir(rootimgdir);
        String runId = BuildKeys.runId(context);
        String owner = "run=" + runId + "\nhost=" + (context.planning() ? "<this host>" : localHostName()) + "\nimage=" + image.name() + "\nrootimgdir="
                + rootimgdir + "\ntime=" + (context.planning() ? "<start of run>" : Instant.now().toString());
        ExecResult r = context.exec(Role.MN, Command.of("sh", "-c", ACQUIRE, "crossgen-lock", dir, owner));
        if (r.exit() instanceof io.crossgen.transport.Exit.Exited e && e.code() == 3) {
            String holder = String.join(", ", r.stdout().lines().stream().skip(1).toList());
            throw new BuildException("the image folder " + rootimgdir + " is locked by another crossgen run ("
                    + (holder.isEmpty() ? "owner unknown" : holder) + "); wait for it to end, or, if that run is"
                    + " gone, remove " + dir + " on the MN");
        }
        r.requireSuccess();
        context.defer("release the lock on " + rootimgdir, c -> c.exec(Role.MN,
                Command.of("sh", "-c", RELEASE, "crossgen-unlock", dir, runId)));
    }

    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    @Override
    public String toString() {
        return NAME + "(" + root + ")";
    }
}
