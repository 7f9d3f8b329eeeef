package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.pipeline.Role;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What crossgen runs keep on the hosts, live or stale, and the removal of what an interrupted run left: the image
 * locks on the MN ({@link LockImage}), the builder's {@code /install} lease entries and mount
 * ({@link MountInstall}), the detached genimages and their run folders ({@link Generate}), and mounts under a
 * rootimg. Used from steps, so that connections, timeouts and cleanups are the runner's: {@link #inspect} and
 * {@link #unlock} need the {@link BuildRoles#MN} and {@link BuildRoles#BUILDER} hosts.
 *
 * @param locks the image locks on the MN, with their owners' liveness
 * @param leases the entries of the builder's {@code /install} lease
 * @param crossgenMount the source crossgen mounted at the site's installdir on the builder, empty when none
 * @param installTop the top mount at the site's installdir on the builder ({@code findmnt} line)
 * @param detached the per-run folders of detached genimages on the builder
 * @param rootimgMounts mounts under a rootimg on the builder
 * @param installdir the MN's {@code site.installdir} ({@code /install} on most sites)
 * @param crossgenBind the installdir crossgen showed at {@code /install} by a bind mount, empty when none
 */
public record RunLeftovers(List<Lock> locks, List<RunOwner.Status> leases, Optional<String> crossgenMount,
                           String installTop, List<Detached> detached, List<String> rootimgMounts,
                           String installdir, Optional<String> crossgenBind) {
    static final String STATUS_MN = Script.load("status-mn.sh");
    static final String STATUS_BUILDER = Script.load("process.sh", "lease-entries.sh", "status-builder.sh");
    static final String RUN_ROOT = "/var/tmp/crossgen";

    public RunLeftovers {
        locks = List.copyOf(locks);
        leases = List.copyOf(leases);
        Objects.requireNonNull(crossgenMount, "crossgenMount");
        Objects.requireNonNull(installTop, "installTop");
        detached = List.copyOf(detached);
        rootimgMounts = List.copyOf(rootimgMounts);
        Objects.requireNonNull(installdir, "installdir");
        Objects.requireNonNull(crossgenBind, "crossgenBind");
    }

    /**
     * An image lock.
     *
     * @param dir its folder on the MN
     * @param rootimgdir the image folder it locks, empty when not recorded
     * @param status its owner and whether the owner's processes run
     */
    public record Lock(String dir, String rootimgdir, RunOwner.Status status) {
    }

    /**
     * A detached genimage's run folder on the builder.
     *
     * @param runId the run
     * @param pid its process
     * @param running whether it still runs
     * @param rc its exit code once it ended, empty otherwise
     */
    public record Detached(String runId, long pid, boolean running, String rc) {
    }

    /**
     * Looks at the MN (its locks under {@code <site.installdir>/.crossgen-locks}) and the builder (its mount of
     * the installdir, and of {@code /install} when that is another folder).
     */
    public static RunLeftovers inspect(StepContext context) throws InterruptedException {
        ExecResult mn = context.check(BuildRoles.MN, Command.of("sh", "-c", STATUS_MN, "crossgen-status",
                lockRoot(context)));
        String installdir = SitePaths.of(context).installdir();
        ExecResult builder = context.check(BuildRoles.BUILDER, Command.of("sh", "-c", STATUS_BUILDER, "crossgen-status",
                InstallLease.DEFAULT_DIR, RUN_ROOT, installdir));
        List<Lock> locks = new ArrayList<>();
        String dir = null;
        StringBuilder owner = new StringBuilder();
        for (String line : mn.stdout().lines()) {
            if (line.startsWith("lock=")) {
                dir = line.substring("lock=".length());
                owner.setLength(0);
            } else if (dir != null && line.equals("end")) {
                String text = owner.toString();
                String rootimgdir = text.lines().filter(l -> l.startsWith("rootimgdir=")).map(l -> l.substring(11))
                        .findFirst().orElse("");
                RunOwner o = RunOwner.parse(text).orElse(new RunOwner("?", "", java.util.OptionalLong.empty(), "",
                        java.util.OptionalLong.empty(), "", "", "", ""));
                locks.add(new Lock(dir, rootimgdir, o.status(LockImage.genimage(context, o))));
                dir = null;
            } else if (dir != null) {
                owner.append(line).append('\n');
            }
        }
        String text = builder.stdout().text();
        Optional<String> marker = Optional.empty();
        Optional<String> bound = Optional.empty();
        String top = "";
        List<Detached> detached = new ArrayList<>();
        List<String> mounts = new ArrayList<>();
        for (String line : builder.stdout().lines()) {
            if (line.startsWith("marker=")) {
                marker = Optional.of(line.substring("marker=".length()));
            } else if (line.startsWith("bound=")) {
                bound = Optional.of(line.substring("bound=".length()));
            } else if (line.startsWith("top=")) {
                top = line.substring("top=".length());
            } else if (line.startsWith("detached=")) {
                var f = Preflight.parseFacts(line.replace(' ', '\n'));
                detached.add(new Detached(f.get("detached"), Long.parseLong(f.getOrDefault("pid", "0")),
                        "running".equals(f.get("state")), f.getOrDefault("rc", "")));
            } else if (line.startsWith("rootimg-mount=")) {
                mounts.add(line.substring("rootimg-mount=".length()));
            }
        }
        return new RunLeftovers(locks, InstallLease.parseEntries(text), marker, top, detached, mounts, installdir,
                bound);
    }

    /** The report {@code crossgen status} prints for the hosts. */
    public String describe(String mn, String builder) {
        StringBuilder s = new StringBuilder();
        s.append("locks on ").append(mn).append(":").append(locks.isEmpty() ? " none\n" : "\n");
        for (Lock l : locks) {
            s.append("  ").append(word(l.status())).append("  run ").append(l.status().owner().runId())
                    .append("  image ").append(l.status().owner().image()).append("  ").append(l.rootimgdir())
                    .append("\n    ").append(l.status().describe()).append('\n');
        }
        s.append("/install lease on ").append(builder).append(":").append(leases.isEmpty() ? " no runs\n" : "\n");
        for (RunOwner.Status e : leases) {
            s.append("  ").append(word(e)).append("  run ").append(e.owner().runId()).append("\n    ")
                    .append(e.describe()).append('\n');
        }
        s.append(installdir).append(" on ").append(builder).append(": ").append(crossgenMount.map(m -> "mounted by"
                + " crossgen (" + m + ")").orElse("not mounted by crossgen")).append('\n');
        if (!installdir.equals(Mount.INSTALL) || crossgenBind.isPresent()) {
            s.append("/install on ").append(builder).append(": ").append(crossgenBind.map(m -> "shown by crossgen"
                    + " (a bind mount of " + m + ")").orElse("not shown by crossgen")).append('\n');
        }
        s.append("detached genimages on ").append(builder).append(":").append(detached.isEmpty() ? " none\n" : "\n");
        for (Detached d : detached) {
            s.append("  run ").append(d.runId()).append("  pid ").append(d.pid()).append("  ")
                    .append(d.running() ? "running" : "ended" + (d.rc().isEmpty() ? " (no exit code)"
                            : " (exit " + d.rc() + ")")).append('\n');
        }
        s.append("mounts under a rootimg on ").append(builder).append(":").append(rootimgMounts.isEmpty() ? " none\n"
                : "\n");
        rootimgMounts.forEach(m -> s.append("  ").append(m).append('\n'));
        return s.toString();
    }

    private static String word(RunOwner.Status s) {
        return s.alive() ? "live " : s.stale() ? "stale" : "unknown";
    }

    /** The MN's default lock folder, read once per context ({@link SitePaths#read}). */
    private static String lockRoot(StepContext context) throws InterruptedException {
        SitePaths site = context.get(BuildKeys.SITE).orElse(null);
        if (site == null) {
            site = SitePaths.read(context);
            context.put(BuildKeys.SITE, site);
        }
        return LockImage.defaultRoot(site);
    }

    /**
     * Removes what the run holding {@code image}'s lock left: mounts under its rootimg, its {@code /install} lease
     * entry (unmounting {@code /install} when crossgen mounted it and no other run uses it), its run folder, its
     * stage ({@link StageImage#undo}: the image tree back in place, the previous boot files as they were, the
     * osimage's rootimgdir pointed back), its lock. Refuses while its controller or genimage runs or cannot be checked, unless {@code force}, which stops
     * its genimage (and its controller, when it runs on this host) first.
     *
     * @return what was done, one line each
     * @throws BuildException when something of the run is alive and {@code force} is off, or nothing of
     *     {@code image} is locked
     */
    public static List<String> unlock(StepContext context, String image, boolean force, Unmount release)
            throws InterruptedException {
        RunLeftovers found = inspect(context);
        String root = lockRoot(context);
        Lock lock = found.locks().stream().filter(l -> l.status().owner().image().equals(image)).findFirst()
                .orElseThrow(() -> new BuildException("no crossgen lock of image " + image + " on the MN ("
                        + root + "); `crossgen status` lists what is left"));
        RunOwner.Status status = lock.status();
        String runId = status.owner().runId();
        List<String> done = new ArrayList<>();
        if (!status.stale()) {
            if (!force) {
                throw new BuildException("run " + runId + " of image " + image + " is not stale (" + status.describe()
                        + "); nothing was removed. Wait for it, or `crossgen resume " + runId + "` once it is gone;"
                        + " `crossgen unlock " + image + " --force` stops it and removes its state");
            }
            context.warn("--force: stopping run " + runId + " although " + status.describe());
            if (status.owner().genimagePid().isPresent()) {
                context.exec(BuildRoles.BUILDER, DetachedRun.stop(RUN_ROOT + "/" + runId));
                done.add("stopped genimage pid " + status.owner().genimagePid().getAsLong());
            }
            if (status.controller() == RunOwner.Liveness.ALIVE) {
                ProcessHandle.of(status.owner().controllerPid().getAsLong()).ifPresent(ProcessHandle::destroy);
                done.add("stopped controller pid " + status.owner().controllerPid().getAsLong());
            }
        }
        String dir = lock.rootimgdir();
        if (!dir.isEmpty()) {
            // genimage ran in the stage of a netboot rebuild (StageImage), or in place for a statelite one
            for (String rootimg : List.of(dir + "/rootimg", dir + "/" + StageImage.STAGE + "/rootimg")) {
                List<String> left = DetachedRun.leftoverMounts(String.join("\n", found.rootimgMounts()), rootimg);
                if (!left.isEmpty()) {
                    Generate.unmountLeftovers(context, rootimg);
                    left.forEach(m -> done.add("unmounted " + m + " on the builder"));
                }
            }
        }
        boolean leased = found.leases().stream().anyMatch(e -> e.owner().runId().equals(runId));
        release.release(context, runId);
        if (leased) {
            done.add("removed run " + runId + "'s /install lease entry on the builder");
        }
        context.check(BuildRoles.BUILDER, Command.of("rm", "-rf", "--", RUN_ROOT + "/" + runId));
        if (!dir.isEmpty()) {
            done.addAll(StageImage.undo(context, image, dir));
        }
        context.check(BuildRoles.MN, LockImage.release(lock.dir(), runId));
        done.add("removed the lock " + lock.dir() + " on the MN");
        return done;
    }
}
