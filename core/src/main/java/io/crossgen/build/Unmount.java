package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Gives back a run's use of the builder's {@code /install}, and unmounts it when that was the last use of a mount
 * crossgen made.
 *
 * <p>{@link MountInstall} takes the run's use of a lease on the builder's {@code /install} that every crossgen run
 * there shares, and defers this step's release of it. In one script under the lease's lock this removes the run
 * from the users; then, only when no other run is left, crossgen made the mount (its marker is there) and the
 * mount on top at {@code /install} still is the marker's source, it runs the strategy's unmount command. The
 * guard matters: mounts stack, and a bare {@code umount /install} with nothing of ours on top removes whatever is
 * below (TESTBED.md trap 2). So when the mount vanished or something else is on top, it warns and unmounts
 * nothing; the admin's own mount of the MN's export is never unmounted; and while other runs use crossgen's
 * mount, it is left for the last of them. A failed unmount (e.g. {@code target is busy}) fails the step and
 * keeps the marker, so that the next release tries again.
 *
 * <p>As an ordinary step it gives back the use of the run id in {@link BuildKeys#RUN_ID} (set it before the run
 * to release an earlier run's use, e.g. of a run killed before its cleanups), and, like the deferred release,
 * unmounts crossgen's mount when no run uses it any more, even when that id held no use (then it only notes
 * so). {@link Mount#none()} mounts nothing, so this does nothing.
 *
 * <p>On a site whose {@code site.installdir} is another folder ({@link SitePaths} of the context), the last
 * release unmounts crossgen's bind mount at {@code /install} first, then the installdir, each only when it is
 * crossgen's and still on top.
 *
 * <pre>{@code
 * pipeline.append(Unmount.of(Mount.nfs(), "xcatmn"));
 * }</pre>
 */
public final class Unmount implements Step {
    /** The step's name. */
    public static final String NAME = "unmount-install";

    private final Mount mount;
    private final String managementNode;
    private final String leaseDir;

    private Unmount(Mount mount, String managementNode, String leaseDir) {
        this.mount = Objects.requireNonNull(mount, "mount");
        this.managementNode = Host.checkName(managementNode);
        this.leaseDir = InstallLease.checkDir(leaseDir);
    }

    /** The step that undoes {@code mount} of the MN known as {@code managementNode}. */
    public static Unmount of(Mount mount, String managementNode) {
        return new Unmount(mount, managementNode, InstallLease.DEFAULT_DIR);
    }

    /** A copy that keeps the lease in another folder of the builder (for tests; every run must agree on it). */
    Unmount withLeaseDir(String folder) {
        return new Unmount(mount, managementNode, folder);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean repeatable() {
        return true;
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        release(context, BuildKeys.runId(context));
    }

    /** Gives back {@code runId}'s use; see the class comment. */
    void release(StepContext context, String runId) throws InterruptedException {
        SitePaths site = SitePaths.of(context);
        String target = site.installdir();
        Optional<Command> umount = mount.unmountCommand(target);
        if (umount.isEmpty()) {
            return;
        }
        List<String> stale = new ArrayList<>();
        if (!context.planning()) {
            ExecResult listed = context.exec(BuildRoles.BUILDER, InstallLease.list(leaseDir));
            for (RunOwner.Status s : InstallLease.parseEntries(listed.stdout().text())) {
                if (!s.owner().runId().equals(runId) && s.stale()) {
                    stale.add(s.owner().runId());
                }
            }
        }
        ExecResult r = context.exec(BuildRoles.BUILDER, InstallLease.release(leaseDir, runId, mount, managementNode, site,
                stale));
        String paths = site.defaultInstalldir() ? target : "/install and " + target;
        if (context.planning()) {
            context.note(paths + (site.defaultInstalldir() ? " is" : " are") + " unmounted only when no other"
                    + " crossgen run on the builder still uses " + (site.defaultInstalldir() ? "it" : "them")
                    + ", and crossgen mounted " + (site.defaultInstalldir() ? "it" : "them"));
            return;
        }
        Map<String, String> answer = Preflight.parseFacts(r.stdout().text());
        InstallLease.checkLease(answer, r, leaseDir);
        String action = answer.getOrDefault("action", "");
        if ("failed".equals(answer.get("view-action"))) {
            throw InstallLease.failure(r, Command.of("umount", Mount.INSTALL));
        }
        if (action.equals("failed")) {
            throw InstallLease.failure(r, umount.get());
        }
        r.requireSuccess();
        List<String> reclaimed = r.stdout().lines().stream().filter(l -> l.startsWith("reclaimed="))
                .map(l -> l.substring("reclaimed=".length())).toList();
        if (!reclaimed.isEmpty()) {
            context.warn("reclaimed the /install lease " + (reclaimed.size() == 1 ? "entry" : "entries")
                    + " of stale crossgen " + (reclaimed.size() == 1 ? "run " : "runs ") + String.join(", ", reclaimed)
                    + " on the builder (controller and genimage gone)");
        }
        boolean registered = "yes".equals(answer.get("registered"));
        if (!site.defaultInstalldir()) {
            releasedView(context, answer, target);
        }
        Optional<MountPoint> top = MountPoint.parse(answer.getOrDefault("top", ""));
        String source = top.map(MountPoint::source).orElse("nothing");
        switch (action) {
            case "unmounted":
                context.note(registered ? "unmounted " + target + " on the builder (no other crossgen run used it)"
                        : "unmounted " + target + " on the builder: crossgen's mount, which no run used any more");
                return;
            case "in-use":
                int others = Integer.parseInt(answer.getOrDefault("others", "0"));
                context.note(paths + " on the builder " + (site.defaultInstalldir() ? "is" : "are") + " in use by "
                        + others + " other crossgen " + (others == 1 ? "run" : "runs") + ": left mounted for the last"
                        + " of them");
                return;
            case "not-ours":
                context.note(target + " on the builder is " + source + ", not crossgen's mount: left alone");
                return;
            case "nothing":
            case "vanished":
                if (registered) {
                    context.warn(target + " on the builder is no longer mounted; nothing to unmount");
                } else {
                    context.note("run " + runId + " did not use " + paths + " on the builder; nothing to unmount");
                }
                return;
            case "covered":
                context.warn(target + " on the builder is now a mount of " + source
                        + ", not the one crossgen made; left alone");
                return;
            default:
                throw new BuildException("the lease script for " + target + " on the builder gave no answer (stdout: "
                        + String.join(" | ", r.stdout().lastLines(5)) + ")", new ExecException(r));
        }
    }

    /** What the release did to {@code /install} on a site whose installdir is another folder. */
    private static void releasedView(StepContext context, Map<String, String> answer, String target) {
        String source = MountPoint.parse(answer.getOrDefault("view-top", "")).map(MountPoint::source)
                .orElse("nothing");
        switch (answer.getOrDefault("view-action", "")) {
            case "unmounted":
                context.note("unmounted /install on the builder (crossgen's bind mount of " + target + ")");
                return;
            case "vanished":
                context.warn("/install on the builder is no longer crossgen's bind mount of " + target
                        + "; nothing to unmount there");
                return;
            case "covered":
                context.warn("/install on the builder is now a mount of " + source + ", not the bind mount of "
                        + target + " crossgen made; left alone");
                return;
            case "not-ours":
                context.note("/install on the builder is " + source + ", not crossgen's bind mount: left alone");
                return;
            default:
                return;
        }
    }

    @Override
    public String intent() {
        return "procedure step 6: unmount /install on the builder";
    }

    @Override
    public String toString() {
        return NAME + "(" + mount + ", " + managementNode + ")";
    }
}
