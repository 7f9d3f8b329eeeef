package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.pipeline.Role;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import java.util.Objects;
import java.util.Optional;

/**
 * Unmounts the builder's {@code /install}, but only when the mount on top there is still the one the
 * {@link Mount} strategy makes.
 *
 * <p>{@link MountInstall} defers this when, and only when, it mounted. The guard matters: mounts stack, and a
 * bare {@code umount /install} with nothing of ours on top removes whatever is below (TESTBED.md trap 2), so
 * when nothing or something else is on top, this step warns and unmounts nothing. Usable as an ordinary step
 * too, e.g. to unmount after a run that was told to leave the mount.
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

    private Unmount(Mount mount, String managementNode) {
        this.mount = Objects.requireNonNull(mount, "mount");
        this.managementNode = MountInstall.checkHostName(managementNode);
    }

    /** The step that undoes {@code mount} of the MN known as {@code managementNode}. */
    public static Unmount of(Mount mount, String managementNode) {
        return new Unmount(mount, managementNode);
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
        Optional<Command> umount = mount.unmountCommand();
        if (umount.isEmpty()) {
            return;
        }
        if (!context.planning()) {
            Optional<MountPoint> top = MountInstall.topMount(context);
            if (top.isEmpty()) {
                context.warn("/install on the builder is no longer mounted; nothing to unmount");
                return;
            }
            if (!mount.isMountOf(top.get(), managementNode)) {
                context.warn("/install on the builder is now a mount of " + top.get().source()
                        + ", not the one crossgen made; left alone");
                return;
            }
        } else {
            MountInstall.topMount(context);
        }
        context.check(Role.BUILDER, umount.get());
    }

    @Override
    public String toString() {
        return NAME + "(" + mount + ", " + managementNode + ")";
    }
}
