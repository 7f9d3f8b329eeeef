package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.command.Shell;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The lease on the builder's {@code /install} that every crossgen run on that builder shares: the shell scripts
 * that take and give back a run's use of the mount, and how their answers read.
 *
 * <p>Several builds may run on one builder at once ({@link BuildMatrix} with a per-builder limit above 1). They
 * all need the MN's export at {@code /install}, and none may unmount it while another still writes an image
 * through it. So the mount belongs to the builder, not to a run: its state lives on the builder in a folder
 * ({@value #DEFAULT_DIR} by default, on tmpfs: cleared at boot, like the mounts it describes), and every change to
 * it is made under {@code flock} on {@code <dir>/lock} (util-linux), in one {@code sh -c} script:
 * <ul>
 *   <li>{@code users/<run id>}: one empty file per run that uses the mount;</li>
 *   <li>{@code mounted}: present when crossgen made the mount, holding its source ({@code xcatmn:/install}).</li>
 *   <li>{@code bound}: present when crossgen bind-mounted the site's installdir at {@code /install}, holding the
 *   installdir.</li>
 * </ul>
 * On a site whose {@code site.installdir} is not {@code /install} (say {@code /xcatinstall}), the MN's export of
 * it is mounted at {@code /xcatinstall} and shown at {@code /install} by a bind mount of {@code /xcatinstall}, the
 * view: the builder's genimage script reads {@code /install} whatever the site says, while the image's rootimgdir
 * is under the installdir. A bind rather than a second network mount: one connection and one cache, so the two
 * paths can never disagree (two sshfs mounts cache attributes apart), one thing to lose when the server goes away,
 * and one credential; the view is looked at before anything is mounted, taken and given back under the same lock
 * and by the same scripts, and unmounted before the installdir.
 * {@link #ACQUIRE} registers the run, then looks at the top mount of {@code /install}: the MN's export is used
 * (crossgen's when the marker is there, else the admin's, which crossgen never unmounts); another network file
 * system is refused (the run deregistered first); otherwise (nothing, or a local file system) the marker is
 * written and the strategy's mount commands run, and on their failure marker and registration are removed
 * again. {@link #RELEASE} deregisters the run and unmounts only when no run is left, the marker is there and
 * the top mount still is the marker's source. Both print {@code key=value} lines ({@code top}, {@code found},
 * {@code marker}, {@code registered}, {@code others}, {@code action}, {@code failed}, {@code lease}); the mount
 * and unmount commands' own output goes to stderr, so it cannot be mistaken for an answer.
 *
 * <p>Each {@code users/<run id>} file holds the run's owner lines ({@link RunOwner}: controller host, pid and start
 * time, and, once started, its genimage's pid and start time). A run that dies without its cleanup (the JVM
 * killed) leaves its file; the next release counts it as gone once it is stale (controller and genimage both
 * gone), removes it and warns ("reclaimed"), so the mount does not stay forever.
 *
 * <p>Pitfalls: the mount and unmount commands run with the lock's descriptor closed ({@code 9>&-}): sshfs stays
 * behind as a daemon and would otherwise hold the lock for as long as the mount lives. A mount made by a crossgen
 * without the lease has no marker, so it counts as the admin's. The scripts are the resources
 * {@code lease-common.sh}, {@code lease-acquire.sh} and {@code lease-release.sh}.
 */
final class InstallLease {
    /** Where the lease lives on the builder. */
    static final String DEFAULT_DIR = "/run/crossgen/install";
    /** How long a script waits for the lock before it gives up. */
    static final int LOCK_WAIT_SECONDS = 600;
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
    private static final Pattern DIR = Pattern.compile("/[A-Za-z0-9._/-]*");
    private static final Pattern FSTYPE = Pattern.compile("[a-z0-9._]+");

    /**
     * Arguments: lease folder, run id, target (the site's installdir, {@code /install} on most sites), source
     * ({@code xcatmn:/install}), the run's owner lines ({@link RunOwner#lines()}), the view ({@code /install} when
     * the target is another folder, else empty), the unmount command as a shell line, the probes' content, the probe
     * file under {@code /install}, the one under the target when that is another folder (else empty), then each
     * mount command as a shell line. Exit 0: the run is registered, the source is mounted at the target and shows
     * at the view, and the probe files are written ({@code probe=written}) or not ({@code probe=failed} and
     * {@code probe-path=}, the shell's message on stderr; the lock is let go before they are written);
     * otherwise the run is not registered and nothing changed ({@code action=refused} or
     * {@code view-action=refused}, exit 3; {@code action=failed} with {@code failed=<n>}, the exit of the n-th
     * mount command; {@code view-action=failed}, the exit of the bind mount, after undoing a mount it made).
     */
    static final String ACQUIRE = leaseScript("probe-common.sh", "lease-acquire.sh");

    /**
     * Arguments: lease folder, run id, target, source, the unmount command as a shell line, the view or empty,
     * then the ids of stale runs whose entries are removed too ({@code reclaimed=<id>} each). The view is
     * unmounted before the target. Exit 0 unless an unmount failed ({@code view-action=failed} or
     * {@code action=failed}, its exit; the markers stay, so a later release tries again) or the lock could not be
     * taken.
     */
    static final String RELEASE = leaseScript("lease-release.sh");

    /** Argument: lease folder. Prints each entry: {@code entry=<id>}, its owner lines, {@code genimage=}, {@code end}. */
    static final String LIST = Script.load("process.sh", "lease-entries.sh", "lease-list.sh");

    private InstallLease() {
    }

    /**
     * The command that takes {@code runId}'s use of the MN's export of the site's installdir at the same path,
     * shown at {@code /install} too when the installdir is another folder, then writes {@code probe}'s files on
     * the builder.
     */
    static Command acquire(String dir, String runId, Mount mount, String managementNode, SitePaths site,
            String owner, MountInstall.Probe probe) {
        String target = site.installdir();
        List<String> paths = probe.builderPaths();
        List<String> argv = new ArrayList<>(List.of("sh", "-c", ACQUIRE, "crossgen-mount-acquire", checkDir(dir),
                checkRunId(runId), target, source(managementNode, target), owner, view(site),
                Shell.render(unmount(mount, target)), probe.content(), paths.get(0),
                paths.size() > 1 ? paths.get(1) : ""));
        for (Command c : mount.mountCommands(managementNode, target)) {
            argv.add(Shell.render(c));
        }
        return Command.of(argv);
    }

    /**
     * The command that gives back {@code runId}'s use, and unmounts (the view {@code /install} first, then the
     * installdir) when it was the last and crossgen mounted.
     */
    static Command release(String dir, String runId, Mount mount, String managementNode, SitePaths site,
            List<String> stale) {
        String target = site.installdir();
        List<String> argv = new ArrayList<>(List.of("sh", "-c", RELEASE, "crossgen-mount-release", checkDir(dir),
                checkRunId(runId), target, source(managementNode, target), Shell.render(unmount(mount, target)),
                view(site)));
        stale.forEach(id -> argv.add(checkRunId(id)));
        return Command.of(argv);
    }

    /** How the lease scripts bind the installdir at {@code /install} (for messages and failures). */
    static Command bind(SitePaths site) {
        return Command.of("mount", "--bind", site.installdir(), Mount.INSTALL);
    }

    /** The builder's {@code /install} when the site's installdir is another folder, else empty (no view). */
    static String view(SitePaths site) {
        return site.defaultInstalldir() ? "" : Mount.INSTALL;
    }

    private static Command unmount(Mount mount, String target) {
        return mount.unmountCommand(target).orElseThrow(() -> new IllegalArgumentException(mount
                + " unmounts nothing"));
    }

    /** The command that lists the lease's entries; read its answer with {@link #parseEntries}. */
    static Command list(String dir) {
        return Command.of("sh", "-c", LIST, "crossgen-lease-list", checkDir(dir));
    }

    /**
     * The entries of a {@link #LIST} (or builder status) answer with their liveness; an entry without owner lines
     * (written by an older crossgen) has an unknown controller.
     */
    static List<RunOwner.Status> parseEntries(String stdout) {
        List<RunOwner.Status> out = new ArrayList<>();
        String id = null;
        StringBuilder lines = new StringBuilder();
        RunOwner.Liveness genimage = RunOwner.Liveness.UNKNOWN;
        for (String line : stdout.split("\n")) {
            if (line.startsWith("entry=")) {
                id = line.substring("entry=".length());
                lines.setLength(0);
                genimage = RunOwner.Liveness.UNKNOWN;
            } else if (id != null && line.startsWith("genimage=")) {
                String g = line.substring("genimage=".length());
                genimage = g.equals("running") ? RunOwner.Liveness.ALIVE : RunOwner.Liveness.GONE;
            } else if (id != null && line.equals("end")) {
                RunOwner owner = RunOwner.parse(lines.toString()).orElse(new RunOwner(id, "", java.util.OptionalLong
                        .empty(), "", java.util.OptionalLong.empty(), "", "", "", ""));
                out.add(owner.status(genimage));
                id = null;
            } else if (id != null) {
                lines.append(line).append('\n');
            }
        }
        return out;
    }

    /** {@code xcatmn:/install}: the source the MN's export shows in findmnt, user and trailing slash aside. */
    static String source(String managementNode, String installdir) {
        return managementNode + ":" + installdir;
    }

    /**
     * Fails with a message of what the lease itself could not do (flock missing, the lock held too long, the
     * folder not writable); does nothing when the script got past the lock.
     *
     * @throws BuildException naming the cause, with the script's result as the cause's
     */
    static void checkLease(Map<String, String> answer, ExecResult r, String dir) {
        String lease = answer.getOrDefault("lease", "");
        switch (lease) {
            case "no-flock":
                throw new BuildException("flock (util-linux) is missing on the builder; crossgen takes " + dir
                        + "/lock with it to share /install between the runs on the builder: install util-linux",
                        new ExecException(r));
            case "busy":
                throw new BuildException("waited " + LOCK_WAIT_SECONDS + " s for " + dir + "/lock on the builder,"
                        + " held by another crossgen run (a mount or unmount of /install that hangs?)",
                        new ExecException(r));
            case "no-state":
                throw new BuildException("cannot keep the /install lease in " + dir + " on the builder: "
                        + String.join(" ", r.stderr().lastLines(3)), new ExecException(r));
            default:
                break;
        }
    }

    /**
     * The failure of a command the script ran on the builder: the script's exit and stderr, the command's argv,
     * so that the report names the command that failed rather than the script.
     */
    static ExecException failure(ExecResult script, Command inner) {
        return new ExecException(new ExecResult(script.host(), inner, script.exit(), script.duration(),
                Output.empty(), script.stderr()));
    }

    static String checkRunId(String runId) {
        if (!RUN_ID.matcher(runId).matches()) {
            throw new BuildException("run id '" + runId + "' cannot name a file of the /install lease; use letters,"
                    + " digits, '.', '_' and '-'");
        }
        return runId;
    }

    static String checkDir(String dir) {
        if (!DIR.matcher(dir).matches() || dir.length() < 2 || dir.endsWith("/")) {
            throw new IllegalArgumentException("lease folder '" + dir + "' must be an absolute path of letters,"
                    + " digits, '.', '_', '-' and '/', without a trailing '/'");
        }
        return dir;
    }

    private static String leaseScript(String... files) {
        List<String> all = new ArrayList<>(List.of("lease-common.sh"));
        all.addAll(List.of(files));
        return Script.load(all.toArray(String[]::new)).replace("@NETWORK_TYPES@", networkTypes())
                .replace("@LOCK_WAIT@", Integer.toString(LOCK_WAIT_SECONDS));
    }

    /** MountPoint's network file system types as a {@code case} pattern ({@code 9p|afs|...}). */
    private static String networkTypes() {
        TreeSet<String> types = new TreeSet<>(MountPoint.NETWORK_TYPES);
        for (String t : types) {
            if (!FSTYPE.matcher(t).matches()) {
                throw new IllegalStateException("file system type '" + t + "' is not safe in a case pattern");
            }
        }
        return String.join("|", types);
    }
}
