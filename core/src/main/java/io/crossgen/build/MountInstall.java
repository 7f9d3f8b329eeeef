package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.pipeline.Role;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Makes the MN's {@code /install} the builder's {@code /install}, read-write, and proves it.
 *
 * <p>Order: look at what is mounted at {@code /install} ({@code findmnt}; mounts stack, the last line is the
 * top); reuse an identical existing mount (then nothing is unmounted at the end: crossgen never unmounts what
 * it did not mount); otherwise mount with the {@link Mount} strategy and, right after, defer {@link Unmount}.
 * Then a probe file {@code /install/.crossgen-probe-<run id>} written on the builder must be read back on the
 * MN, which proves both read-write access and that the two folders are one; the probe is removed.
 * Stores {@link BuildKeys#MOUNT_STATE}.
 *
 * <pre>{@code
 * MountInstall.of(Mount.nfs(), "xcatmn")
 * }</pre>
 */
public final class MountInstall implements Step {
    /** The step's name. */
    public static final String NAME = "mount-install";
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9\\[][A-Za-z0-9._:\\[\\]-]*");
    static final String PROBE_WRITE = "printf '%s\\n' \"$1\" > \"$2\"";

    private final Mount mount;
    private final String managementNode;

    private MountInstall(Mount mount, String managementNode) {
        this.mount = Objects.requireNonNull(mount, "mount");
        this.managementNode = checkHostName(managementNode);
    }

    /**
     * The step for a strategy and the name the builder knows the MN by.
     *
     * @throws IllegalArgumentException when the name is not a host name or address
     */
    public static MountInstall of(Mount mount, String managementNode) {
        return new MountInstall(mount, managementNode);
    }

    /** The strategy. */
    public Mount mount() {
        return mount;
    }

    /** The name the builder knows the MN by. */
    public String managementNode() {
        return managementNode;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        String runId = BuildKeys.runId(context);
        Optional<MountPoint> existing = topMount(context);
        if (mount.equals(Mount.none())) {
            context.put(BuildKeys.MOUNT_STATE, "shared");
            context.note("/install is shared already (Mount.none()): nothing to mount");
        } else if (existing.isPresent() && existing.get().isNetwork()) {
            MountPoint m = existing.get();
            Optional<String> refusal = refusal(m, mount, managementNode);
            if (refusal.isPresent()) {
                throw new BuildException(refusal.get());
            }
            context.put(BuildKeys.MOUNT_STATE, "reused");
            context.note("/install is already " + m.source() + " (" + m.fstype() + "): reused, and left mounted");
        } else {
            for (Command c : mount.mountCommands(managementNode)) {
                context.check(Role.BUILDER, c);
            }
            context.put(BuildKeys.MOUNT_STATE, "mounted");
            Unmount unmount = Unmount.of(mount, managementNode);
            context.defer("unmount /install on the builder", unmount::run);
        }
        probe(context, runId);
    }

    /**
     * Why an existing network mount at {@code /install} cannot be used: it is another server's export, or the
     * MN's export mounted read-only. Empty when it can be reused. A local file system at {@code /install} (a
     * disk, a bind mount) is no obstacle: the MN's export is mounted on top of it and unmounted at the end.
     */
    static Optional<String> refusal(MountPoint top, Mount mount, String managementNode) {
        if (!mount.isMountOf(top, managementNode)) {
            return Optional.of("/install on the builder is already a mount of " + top.source() + " (" + top.fstype()
                    + "), not of " + managementNode + ":/install; unmount it, or use Mount.none() if it is the MN's"
                    + " /install under another name");
        }
        if (!top.readWrite()) {
            return Optional.of("/install on the builder is the MN's export but mounted read-only (" + top.options()
                    + "); remount it read-write");
        }
        return Optional.empty();
    }

    /** The mount on top at {@code /install}, if any; in a dry run, none. */
    static Optional<MountPoint> topMount(StepContext context) throws InterruptedException {
        ExecResult r = context.exec(Role.BUILDER, Command.of("findmnt", "-rn", "-o", "TARGET,SOURCE,FSTYPE,OPTIONS",
                "--target", Mount.INSTALL));
        if (!r.isSuccess()) {
            return Optional.empty();
        }
        List<MountPoint> all = MountPoint.parseAll(r.stdout().text());
        if (all.isEmpty()) {
            return Optional.empty();
        }
        MountPoint top = all.get(all.size() - 1);
        return top.target().equals(Mount.INSTALL) ? Optional.of(top) : Optional.empty();
    }

    private void probe(StepContext context, String runId) throws InterruptedException {
        String path = Mount.INSTALL + "/.crossgen-probe-" + runId;
        ExecResult written = context.exec(Role.BUILDER, Command.of("sh", "-c", PROBE_WRITE, "crossgen-probe", runId,
                path));
        if (!written.isSuccess()) {
            throw new BuildException("/install on the builder is not writable (writing " + path + " failed: "
                    + String.join(" ", written.stderr().lastLines(3)) + "); genimage writes the image there:"
                    + " mount it read-write");
        }
        try {
            ExecResult seen = context.exec(Role.MN, Command.of("cat", path));
            if (!context.planning() && (!seen.isSuccess() || !seen.stdout().text().strip().equals(runId))) {
                throw new BuildException("the probe file " + path + " written on the builder is not visible on the"
                        + " MN: the builder's /install is not the MN's /install; check the mount source ("
                        + managementNode + ":/install)", seen.isSuccess() ? null : new ExecException(seen));
            }
        } finally {
            context.exec(Role.BUILDER, Command.of("rm", "-f", path));
        }
    }

    static String checkHostName(String name) {
        Objects.requireNonNull(name, "management node name");
        if (!HOST_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a host name or address");
        }
        return name;
    }

    @Override
    public String toString() {
        return NAME + "(" + mount + ", " + managementNode + ")";
    }
}
