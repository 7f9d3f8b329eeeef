package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Host;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes the MN's {@code /install} the builder's {@code /install}, read-write, and proves it.
 *
 * <p>The mount belongs to the builder, not to one run: several builds may run on one builder at once
 * ({@link BuildMatrix}), and none may unmount {@code /install} while another still writes an image through it. So
 * this step takes the run's use of a lease on the builder's {@code /install} that every crossgen run there shares
 * (state under {@code /run/crossgen/install}, every change under {@code flock}; util-linux's {@code flock} must be
 * on the builder, which {@link Preflight} checks). In one script under the lock it registers the run and looks at
 * the mount on top at {@code /install} ({@code findmnt}; mounts stack): the MN's export is used as it is (when
 * crossgen mounted it for another run, {@code shared}; when the admin did, {@code reused}: crossgen never unmounts
 * what it did not mount); another server's export is refused; otherwise (nothing, or a local file system) the
 * {@link Mount} strategy's commands mount it ({@code mounted}). Before that script runs, {@link Unmount} is
 * deferred: it gives the run's use back, and the last run using crossgen's mount unmounts it. Then a probe file
 * {@code /install/.crossgen-probe-<run id>-<token>} written on the builder must be read back on the MN, which
 * proves both read-write access and that the two folders are one; the probe is removed. Two round trips: the
 * builder writes the probe at the end of the lease script, once the run holds the lease and the script has let
 * its lock go ({@link Mount#none()}: a probe script of its own), and the MN reads the probe and removes it. When
 * the MN did not see it, the builder removes it (a third round trip, on failure only).
 *
 * <p>Why a {@code <token>}, new for every attempt, and one file per path: a file the MN removes stays in the
 * builder's NFS or sshfs client caches for a while (attributes and names; sshfs 20 s), and a write to that name
 * through the builder's cache then fails ({@code Directory nonexistent}: the client opens a file it believes
 * exists, without creating it). So the builder never writes a name again that the MN removed: every attempt (a
 * retry, or a resumed run, which keeps its run id) has a new token, and the two probes of a site whose installdir
 * is another folder have two names ({@code .site} for the one under the installdir), both written before the MN
 * removes either.
 *
 * <p>On a site whose {@code site.installdir} is another folder (say {@code /xcatinstall}), the MN's export of that
 * folder is mounted at {@code /xcatinstall} and shown at {@code /install} too, by a bind mount under the same
 * lease, because the builder's genimage script reads {@code /install} whatever the site says while the image's
 * rootimgdir is under the installdir ({@link InstallLease} says why a bind); both paths are probed, and the last
 * run unmounts {@code /install} first. An installdir below {@code /install} is refused. Stores
 * {@link BuildKeys#MOUNT_STATE}:
 * {@code mounted}, {@code shared}, {@code reused}, or {@code none} for {@link Mount#none()} (no lease: nothing is
 * mounted or unmounted).
 *
 * <p>The run's {@code /run/crossgen/install/users/<run id>} file holds its {@link RunOwner} lines. A run killed
 * without its cleanups (the JVM killed) leaves that file; once stale (controller and genimage gone) the next
 * release on the builder reclaims it with a warning, and {@code crossgen unlock} removes it.
 *
 * <pre>{@code
 * MountInstall.of(Mount.nfs(), "xcatmn")
 * }</pre>
 */
public final class MountInstall implements Step {
    /** The step's name. */
    public static final String NAME = "mount-install";
    /** The description of the deferred {@link Unmount}. */
    static final String RELEASE = "release /install on the builder (the last crossgen run using it unmounts it)";
    /** Writes the probe files (no lease: {@link Mount#none()}); arguments: the content, then the paths. */
    static final String PROBE_WRITE = Script.load("probe-common.sh", "probe-write.sh");
    /** Reads and removes the probe files on the MN; arguments: the content, then the paths as the MN sees them. */
    static final String PROBE_READ = Script.load("probe-read.sh");

    private final Mount mount;
    private final String managementNode;
    private final String leaseDir;

    private MountInstall(Mount mount, String managementNode, String leaseDir) {
        this.mount = Objects.requireNonNull(mount, "mount");
        this.managementNode = Host.checkName(managementNode);
        this.leaseDir = InstallLease.checkDir(leaseDir);
    }

    /**
     * The step for a strategy and the name the builder knows the MN by.
     *
     * @throws IllegalArgumentException when the name is not a host name or address
     */
    public static MountInstall of(Mount mount, String managementNode) {
        return new MountInstall(mount, managementNode, InstallLease.DEFAULT_DIR);
    }

    /** A copy that keeps the lease in another folder of the builder (for tests; every run must agree on it). */
    MountInstall withLeaseDir(String folder) {
        return new MountInstall(mount, managementNode, folder);
    }

    /** The strategy. */
    public Mount mount() {
        return mount;
    }

    /** The name the builder knows the MN by. */
    public String managementNode() {
        return managementNode;
    }

    /** Needs the site's installdir, the lock held, the builder's /install checked before it is mounted. */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(CopyDefinition.NAME, LockImage.NAME, Preflight.NAME));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        String runId = BuildKeys.runId(context);
        SitePaths site = SitePaths.of(context);
        Probe probe = Probe.of(runId, context.planning() ? "TOKEN" : Probe.newToken(), site);
        ExecResult written;
        if (mount.equals(Mount.none())) {
            context.put(BuildKeys.MOUNT_STATE, "none");
            context.note((site.defaultInstalldir() ? "/install is" : site.installdir() + " and /install are")
                    + " shared already (Mount.none()): nothing to mount");
            written = context.exec(BuildRoles.BUILDER, probe.write());
        } else {
            siteRefusal(site, mount).ifPresent(why -> {
                throw new BuildException(why);
            });
            written = acquire(context, runId, probe);
        }
        if (!context.planning()) {
            checkWritten(context, written);
        }
        readBack(context, probe);
    }

    /**
     * Why a mount strategy cannot serve a site: its {@code site.installdir} lies below {@code /install}, where
     * crossgen would bind it on top of its own mount point. Empty for every other installdir and for
     * {@link Mount#none()}.
     */
    static Optional<String> siteRefusal(SitePaths site, Mount mount) {
        if (mount.equals(Mount.none()) || !site.installdir().startsWith(Mount.INSTALL + "/")) {
            return Optional.empty();
        }
        return Optional.of("site.installdir on the MN is " + site.installdir() + ", below /install: crossgen"
                + " would mount it there and then show it at /install on top of its own mount point; share the"
                + " MN's " + site.installdir() + " on the builder at both " + site.installdir() + " and /install"
                + " yourself and build with Mount.none() (--mount none)");
    }

    /**
     * Defers the release of {@code runId}'s use of the builder's installdir (and {@code /install}), then takes
     * it: afterwards the MN's export of {@code site.installdir} ({@link SitePaths} of the context) is mounted at
     * the same path, read-write, shown at {@code /install} too when that is another folder, and
     * {@link BuildKeys#MOUNT_STATE} says how.
     *
     * <p>The release is deferred first, so that it also runs when this is interrupted while the script runs on
     * the builder (it waits for the lock, then gives back whatever the script got). Once the lease is the run's,
     * the script writes {@code probe}'s files on the builder: the result's {@code probe=} answer says whether it
     * could ({@link #checkWritten}).
     *
     * @return the lease script's result
     */
    ExecResult acquire(StepContext context, String runId, Probe probe) throws InterruptedException {
        InstallLease.checkRunId(runId);
        SitePaths site = SitePaths.of(context);
        Unmount release = Unmount.of(mount, managementNode).withLeaseDir(leaseDir);
        context.defer(RELEASE, c -> release.release(c, runId));
        String target = site.installdir();
        String source = InstallLease.source(managementNode, target);
        boolean view = !site.defaultInstalldir();
        String owner = context.planning() ? "run=" + runId + "\ncontroller-host=<this host>\ncontroller-pid=<pid>"
                : RunOwner.thisProcess(runId, context.get(BuildKeys.IMAGE).map(i -> i.name())
                        .orElse("")).lines();
        ExecResult r = context.exec(BuildRoles.BUILDER, InstallLease.acquire(leaseDir, runId, mount, managementNode, site,
                owner, probe));
        context.put(BuildKeys.LEASE_ENTRY, leaseDir + "/users/" + runId);
        if (context.planning()) {
            context.put(BuildKeys.MOUNT_STATE, "mounted");
            context.note("the MN's " + source + " is mounted at " + target + " unless it is already"
                    + (view ? ", and shown at /install (a bind mount of " + target + ", where the builder's genimage"
                    + " script reads it)" : "") + "; the mount is shared by the crossgen runs on the builder (each"
                    + " registered in " + leaseDir + "/users, changed under flock) and unmounted by the last one,"
                    + " only if crossgen made it");
            return r;
        }
        Map<String, String> answer = Preflight.parseFacts(r.stdout().text());
        InstallLease.checkLease(answer, r, leaseDir);
        if ("refused".equals(answer.get("view-action"))) {
            throw refused(answer.getOrDefault("view-top", ""), site, r);
        }
        String action = answer.getOrDefault("action", "");
        switch (action) {
            case "refused":
                throw refused(answer.getOrDefault("top", ""), site, r);
            case "failed": {
                List<Command> commands = mount.mountCommands(managementNode, target);
                int n = parseIndex(answer.get("failed"), commands.size());
                throw InstallLease.failure(r, commands.get(n - 1));
            }
            case "mounted":
                if ("failed".equals(answer.get("view-action"))) {
                    throw InstallLease.failure(r, InstallLease.bind(site));
                }
                r.requireSuccess();
                context.put(BuildKeys.MOUNT_STATE, "mounted");
                context.note("mounted " + source + " at " + target + "; shared with the other crossgen runs on the"
                        + " builder, and unmounted by the last one");
                break;
            case "shared":
            case "reused": {
                if ("failed".equals(answer.get("view-action"))) {
                    throw InstallLease.failure(r, InstallLease.bind(site));
                }
                r.requireSuccess();
                MountPoint m = usable(answer.getOrDefault("top", ""), "found " + source + " at " + target, site, r);
                context.put(BuildKeys.MOUNT_STATE, action);
                context.note(action.equals("shared")
                        ? target + " is crossgen's mount of " + m.source() + " (" + m.fstype() + "), made for another"
                                + " run on the builder: shared, and unmounted by the last run using it"
                        : target + " is already " + m.source() + " (" + m.fstype() + "): reused, and left mounted");
                break;
            }
            default:
                r.requireSuccess();
                throw new BuildException("the lease script for " + target + " on the builder gave no answer"
                        + " (stdout: " + String.join(" | ", r.stdout().lastLines(5)) + ")", new ExecException(r));
        }
        if (view) {
            noteView(context, answer, site, r);
        }
        return r;
    }

    /** The note on {@code /install} of a site whose installdir is another folder: bound, shared or reused. */
    private void noteView(StepContext context, Map<String, String> answer, SitePaths site, ExecResult r) {
        String target = site.installdir();
        String viewAction = answer.getOrDefault("view-action", "");
        switch (viewAction) {
            case "bound":
                context.note("showed " + target + " at /install (a bind mount), where the builder's genimage script"
                        + " reads it; unmounted before " + target + " by the last run using them");
                return;
            case "shared":
            case "reused": {
                MountPoint m = usable(answer.getOrDefault("view-top", ""), "found "
                        + InstallLease.source(managementNode, target) + " at /install", site, r);
                context.note(viewAction.equals("shared")
                        ? "/install is crossgen's bind mount of " + target + ", made for another run on the builder:"
                                + " shared, and unmounted by the last run using it"
                        : "/install is already " + m.source() + " (" + m.fstype() + "): reused, and left mounted");
                return;
            }
            default:
                throw new BuildException("the lease script for /install on the builder gave no answer on it (stdout: "
                        + String.join(" | ", r.stdout().lastLines(5)) + ")", new ExecException(r));
        }
    }

    /** The refusal of the mount a lease script found at a path ({@code top}). */
    private BuildException refused(String top, SitePaths site, ExecResult r) {
        MountPoint m = MountPoint.parse(top).orElseThrow(() -> new BuildException("the lease script refused a"
                + " mount on the builder without saying what is mounted there", new ExecException(r)));
        return new BuildException(refusal(m, mount, managementNode, site.installdir()).orElse(m.target()
                + " on the builder is already a mount of " + m.source() + " (" + m.fstype() + "), not of "
                + InstallLease.source(managementNode, site.installdir())));
    }

    /** The mount a lease script found and reuses, refused when it is read-only. */
    private MountPoint usable(String top, String what, SitePaths site, ExecResult r) {
        MountPoint m = MountPoint.parse(top).orElseThrow(() -> new BuildException("the lease script " + what
                + " on the builder without saying how it is mounted", new ExecException(r)));
        Optional<String> refusal = refusal(m, mount, managementNode, site.installdir());
        if (refusal.isPresent()) {
            throw new BuildException(refusal.get());
        }
        return m;
    }

    private static int parseIndex(String text, int size) {
        try {
            int n = Integer.parseInt(text == null ? "" : text.strip());
            if (n >= 1 && n <= size) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new BuildException("the lease script named mount command '" + text + "', not one of 1.." + size);
    }

    /**
     * Why an existing network mount at {@code top.target()} (the installdir, or {@code /install}) cannot be used:
     * it is not the MN's export of {@code installdir}, or it is mounted read-only. Empty when it can be reused. A
     * local file system there (a disk, a bind mount) is no obstacle: the MN's export is mounted on top of it, and
     * unmounted by the last run using it.
     */
    static Optional<String> refusal(MountPoint top, Mount mount, String managementNode, String installdir) {
        if (!mount.isMountOf(top, managementNode, installdir)) {
            return Optional.of(top.target() + " on the builder is already a mount of " + top.source() + " ("
                    + top.fstype() + "), not of " + managementNode + ":" + installdir + "; unmount it, or use"
                    + " Mount.none() if it is the MN's " + installdir + " under another name");
        }
        if (!top.readWrite()) {
            return Optional.of(top.target() + " on the builder is the MN's export but mounted read-only ("
                    + top.options() + "); remount it read-write");
        }
        return Optional.empty();
    }

    /**
     * Fails unless the builder wrote every probe file, as the lease (or probe) script's {@code probe=} answer says;
     * a failed write names the folder and the shell's message. The script removed the files it wrote before.
     */
    private static void checkWritten(StepContext context, ExecResult r) {
        Map<String, String> answer = Preflight.parseFacts(r.stdout().text());
        switch (answer.getOrDefault("probe", "")) {
            case "written":
                return;
            case "failed": {
                String path = answer.getOrDefault("probe-path", "");
                String dir = path.lastIndexOf('/') > 0 ? path.substring(0, path.lastIndexOf('/')) : "/";
                throw new BuildException(dir + " on the builder " + context.host(BuildRoles.BUILDER).label()
                        + " is not writable (writing " + path + " failed: " + String.join(" ", r.stderr().lastLines(3))
                        + "); genimage writes the image there: mount it read-write");
            }
            default:
                throw new BuildException("the script that writes the probe files on the builder gave no answer on"
                        + " them (stdout: " + String.join(" | ", r.stdout().lastLines(5)) + ")",
                        r.isSuccess() ? null : new ExecException(r));
        }
    }

    /**
     * Reads the probe files back on the MN, which removes each one it saw; the builder removes the others (on a
     * failure only) before this fails naming the first one the MN did not see.
     */
    private void readBack(StepContext context, Probe probe) throws InterruptedException {
        List<String> left = new ArrayList<>(probe.builderPaths());
        try {
            ExecResult seen = context.exec(BuildRoles.MN, probe.read());
            if (context.planning()) {
                left.clear();
                return;
            }
            Map<String, String> answer = Preflight.parseFacts(seen.stdout().text());
            BuildException failure = null;
            for (int i = 0; i < probe.builderPaths().size(); i++) {
                String state = answer.getOrDefault("probe." + (i + 1), "");
                if (state.equals("seen")) {
                    left.remove(probe.builderPaths().get(i));
                } else if (!state.equals("kept") && failure == null) {
                    failure = unseen(context, probe, i, state, seen);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            if (!left.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f", "--"));
                rm.addAll(left);
                context.exec(BuildRoles.BUILDER, Command.of(rm));
            }
        }
    }

    /** The failure of the {@code i}-th probe file, which the MN did not see ({@code missing}) or read otherwise. */
    private BuildException unseen(StepContext context, Probe probe, int i, String state, ExecResult seen) {
        String path = probe.builderPaths().get(i);
        String mnPath = probe.mnPaths().get(i);
        String builderDir = path.substring(0, path.lastIndexOf('/'));
        String mnDir = mnPath.substring(0, mnPath.lastIndexOf('/'));
        String as = mnPath.equals(path) ? "" : " as " + mnPath;
        String what = state.equals("other") ? " holds another text on the MN " + context.host(BuildRoles.MN).label()
                + as : " is not visible on the MN " + context.host(BuildRoles.MN).label() + as;
        return new BuildException("the probe file " + path + " written on the builder "
                + context.host(BuildRoles.BUILDER).label() + what + ": the builder's " + builderDir + " is not the MN's "
                + mnDir + "; check the mount source (" + managementNode + ":" + mnDir + ")",
                seen.isSuccess() ? null : new ExecException(seen));
    }

    /**
     * The probe files of one attempt: their content ({@code <run id>-<token>}) and paths on the builder
     * ({@code /install/.crossgen-probe-<run id>-<token>}, and, when the site's installdir is another folder, the
     * same name with {@code .site} under it) and on the MN (both under the site's installdir).
     */
    record Probe(String content, List<String> builderPaths, List<String> mnPaths) {
        Probe {
            builderPaths = List.copyOf(builderPaths);
            mnPaths = List.copyOf(mnPaths);
            if (builderPaths.isEmpty() || builderPaths.size() > 2 || builderPaths.size() != mnPaths.size()) {
                throw new IllegalArgumentException("one or two probe files, each on both hosts: " + builderPaths
                        + ", " + mnPaths);
            }
        }

        /** The probes of {@code runId}'s attempt {@code token} on {@code site}. */
        static Probe of(String runId, String token, SitePaths site) {
            String name = "/.crossgen-probe-" + InstallLease.checkRunId(runId) + "-" + token;
            if (site.defaultInstalldir()) {
                return new Probe(runId + "-" + token, List.of(Mount.INSTALL + name), List.of(site.installdir() + name));
            }
            return new Probe(runId + "-" + token, List.of(Mount.INSTALL + name, site.installdir() + name + ".site"),
                    List.of(site.installdir() + name, site.installdir() + name + ".site"));
        }

        /** A token no earlier attempt had (8 random hex digits). */
        static String newToken() {
            return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        }

        /** The command that writes the files on the builder without a lease ({@link Mount#none()}). */
        Command write() {
            List<String> argv = new ArrayList<>(List.of("sh", "-c", PROBE_WRITE, "crossgen-probe", content));
            argv.addAll(builderPaths);
            return Command.of(argv);
        }

        /** The command that reads them on the MN and removes those it saw. */
        Command read() {
            List<String> argv = new ArrayList<>(List.of("sh", "-c", PROBE_READ, "crossgen-probe-read", content));
            argv.addAll(mnPaths);
            return Command.of(argv);
        }
    }

    @Override
    public String intent() {
        return "procedure step 3: mount the MN's /install on the builder";
    }

    @Override
    public String toString() {
        return NAME + "(" + mount + ", " + managementNode + ")";
    }
}
