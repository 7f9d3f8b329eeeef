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
 * </ul>
 * {@link #ACQUIRE} registers the run, then looks at the top mount of {@code /install}: the MN's export is used
 * (crossgen's when the marker is there, else the admin's, which crossgen never unmounts); another network file
 * system is refused (the run deregistered first); otherwise (nothing, or a local file system) the marker is
 * written and the strategy's mount commands run, and on their failure marker and registration are removed
 * again. {@link #RELEASE} deregisters the run and unmounts only when no run is left, the marker is there and
 * the top mount still is the marker's source. Both print {@code key=value} lines ({@code top}, {@code found},
 * {@code marker}, {@code registered}, {@code others}, {@code action}, {@code failed}, {@code lease}); the mount
 * and unmount commands' own output goes to stderr, so it cannot be mistaken for an answer.
 *
 * <p>Pitfalls: the mount and unmount commands run with the lock's descriptor closed ({@code 9>&-}): sshfs stays
 * behind as a daemon and would otherwise hold the lock for as long as the mount lives. A run that dies without
 * its cleanup (the JVM killed) leaves its {@code users/<run id>} file, and the mount then stays until that file
 * is removed by hand and another run ends, or until the builder reboots. A mount made by a crossgen without the
 * lease has no marker, so it counts as the admin's.
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
     * Sets {@code top} (the last line of findmnt for {@code $target}) and {@code found}: {@code none} (nothing
     * mounted at the target itself), {@code same} (the source, without user and trailing slashes, is
     * {@code $1}), {@code network} (another server's file system) or {@code local}. Prints {@code top=}.
     */
    private static final String LOOK = String.join("\n",
            "look() {",
            "  want=$1",
            "  top=$(findmnt -rn -o TARGET,SOURCE,FSTYPE,OPTIONS --target \"$target\" 2>/dev/null | tail -n 1)",
            "  printf 'top=%s\\n' \"$top\"",
            "  set -f; set -- $top; set +f",
            "  t=${1-}; s=${2-}; f=${3-}; r=$s",
            "  case ${r%%@*} in *:*|\"$r\") ;; *) r=${r#*@} ;; esac",
            "  while :; do case $r in *:/) break ;; ?*/) r=${r%/} ;; *) break ;; esac; done",
            "  if [ -z \"$t\" ] || [ \"$t\" != \"$target\" ]; then found=none",
            "  elif [ -n \"$want\" ] && [ \"$r\" = \"$want\" ]; then found=same",
            "  else case $s in *:*) found=network ;; *) case $f in " + networkTypes() + ") found=network ;;"
                    + " *) found=local ;; esac ;; esac",
            "  fi",
            "}");

    /** Takes the lock on {@code $d} (the lease folder); {@code lease=} says why not. */
    private static final String LOCK = String.join("\n",
            "command -v flock >/dev/null 2>&1 || { echo lease=no-flock; exit 4; }",
            "mkdir -p \"$d/users\" && true >>\"$d/lock\" && exec 9>>\"$d/lock\" || { echo lease=no-state; exit 2; }",
            "flock -w " + LOCK_WAIT_SECONDS + " 9 || { echo lease=busy; exit 5; }");

    /**
     * Arguments: lease folder, run id, target ({@code /install}), source ({@code xcatmn:/install}), then each
     * mount command as a shell line. Exit 0: the run is registered and the source is mounted at the target;
     * otherwise the run is not registered and nothing changed ({@code action=refused}, exit 3;
     * {@code action=failed} with {@code failed=<n>}, the exit of the n-th mount command).
     */
    static final String ACQUIRE = String.join("\n",
            "# the MN export at $target is shared by every crossgen run on this host: register this run,",
            "# and mount unless the export is on top already (all under flock)",
            "d=$1; run=$2; target=$3; src=$4; shift 4",
            LOOK,
            LOCK,
            "true > \"$d/users/$run\" || { echo lease=no-state; exit 2; }",
            "look \"$src\"",
            "echo \"found=$found\"",
            "if [ -e \"$d/mounted\" ]; then echo marker=yes; else echo marker=no; fi",
            "case $found in",
            "  same) if [ \"$(cat \"$d/mounted\" 2>/dev/null)\" = \"$src\" ]; then echo action=shared; else echo action=reused;"
                    + " fi; exit 0 ;;",
            "  network) rm -f \"$d/users/$run\"; echo action=refused; exit 3 ;;",
            "esac",
            "printf '%s\\n' \"$src\" > \"$d/mounted\" || { rm -f \"$d/users/$run\"; echo lease=no-state; exit 2; }",
            "i=0",
            "for c in \"$@\"; do",
            "  i=$((i + 1))",
            "  sh -c \"$c\" 9>&- 1>&2 || { rc=$?; rm -f \"$d/mounted\" \"$d/users/$run\"; echo action=failed;"
                    + " echo \"failed=$i\"; exit \"$rc\"; }",
            "done",
            "echo action=mounted");

    /**
     * Arguments: lease folder, run id, target, source, the unmount command as a shell line. Exit 0 unless the
     * unmount failed ({@code action=failed}, its exit; the marker stays, so a later release tries again) or the
     * lock could not be taken.
     */
    static final String RELEASE = String.join("\n",
            "# deregister this run; the last run unmounts $target, and only the mount crossgen made",
            "d=$1; run=$2; target=$3; src=$4; umnt=$5",
            LOOK,
            LOCK,
            "if [ -e \"$d/users/$run\" ]; then rm -f \"$d/users/$run\"; echo registered=yes; else echo registered=no;"
                    + " fi",
            "n=0; for u in \"$d/users\"/*; do [ -e \"$u\" ] && n=$((n + 1)); done",
            "echo \"others=$n\"",
            "if [ -e \"$d/mounted\" ]; then echo marker=yes; look \"$(cat \"$d/mounted\")\"; else echo marker=no;"
                    + " look \"$src\"; fi",
            "echo \"found=$found\"",
            "if [ \"$n\" -gt 0 ]; then echo action=in-use; exit 0; fi",
            "if [ ! -e \"$d/mounted\" ]; then",
            "  if [ \"$found\" = same ]; then echo action=not-ours; else echo action=nothing; fi; exit 0",
            "fi",
            "case $found in",
            "  same) sh -c \"$umnt\" 9>&- 1>&2 || { rc=$?; echo action=failed; exit \"$rc\"; }",
            "    rm -f \"$d/mounted\"; echo action=unmounted ;;",
            "  none) rm -f \"$d/mounted\"; echo action=vanished ;;",
            "  *) echo action=covered ;;",
            "esac");

    private InstallLease() {
    }

    /** The command that takes {@code runId}'s use of the MN's export at {@code /install}. */
    static Command acquire(String dir, String runId, Mount mount, String managementNode) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", ACQUIRE, "crossgen-mount-acquire", checkDir(dir),
                checkRunId(runId), Mount.INSTALL, source(managementNode)));
        for (Command c : mount.mountCommands(managementNode)) {
            argv.add(Shell.render(c));
        }
        return Command.of(argv);
    }

    /** The command that gives back {@code runId}'s use, and unmounts when it was the last and crossgen mounted. */
    static Command release(String dir, String runId, Mount mount, String managementNode) {
        Command umount = mount.unmountCommand().orElseThrow(() -> new IllegalArgumentException(mount
                + " unmounts nothing"));
        return Command.of("sh", "-c", RELEASE, "crossgen-mount-release", checkDir(dir), checkRunId(runId),
                Mount.INSTALL, source(managementNode), Shell.render(umount));
    }

    /** {@code xcatmn:/install}: the source the MN's export shows in findmnt, user and trailing slash aside. */
    static String source(String managementNode) {
        return managementNode + ":" + Mount.INSTALL;
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
