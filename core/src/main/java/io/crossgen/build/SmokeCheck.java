package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import java.util.Optional;
import java.util.Set;

/**
 * Proves, after {@link Generate}, that the rootimg runs its own binaries: on the builder, {@code chroot ROOTIMG
 * /usr/bin/true} must exit 0, and {@code uname -m} run in the chroot (the image's own {@code uname}) must say the
 * image's architecture. A rootimg that cannot execute its binaries (a broken emulation, a missing loader, a
 * wrong-architecture package) is a failed build, not a success. Under emulation the machine inside is the
 * emulated one, and the report says which interpreter ran it ({@link BuildKeys#EMULATOR}).
 *
 * <p>If a genimage died while xCAT's rh script had {@code bin/uname} swapped for its script that only prints
 * the image's arch, the real binary it kept as {@code bin/uname-binary} is asked instead. Needs
 * {@link BuildKeys#IMAGE}.
 */
public final class SmokeCheck implements Step {
    /** The step's name. */
    public static final String NAME = "smoke-check";
    static final String SCRIPT = Script.load("smoke.sh");

    private SmokeCheck() {
    }

    /** The step. */
    public static SmokeCheck defaults() {
        return new SmokeCheck();
    }

    @Override
    public String intent() {
        return "run the image's own binaries under chroot on the builder and check their architecture";
    }

    /** Needs the image genimage built, the emulator preflight found. */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(Generate.NAME, Preflight.NAME));
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
        OsImage image = BuildKeys.image(context);
        String arch = image.osarch().orElseThrow(() -> new BuildException("osimage '" + image.name()
                + "' has no osarch"));
        String rootimg = Generate.rootimg(context, image);
        ExecResult r = context.exec(BuildRoles.BUILDER, Command.of("sh", "-c", SCRIPT, "crossgen-smoke", rootimg));
        Optional<String> emulator = context.get(BuildKeys.EMULATOR);
        String via = emulator.map(e -> " (emulated via " + e + ")").orElse("");
        if (context.planning()) {
            context.note("smoke check: chroot " + rootimg + " /usr/bin/true, then uname -m in the chroot must say "
                    + arch);
            return;
        }
        String builder = context.host(BuildRoles.BUILDER).label();
        if (!(r.exit() instanceof Exit.Exited e && e.code() == 0)) {
            throw new BuildException("the image's binaries do not run on the builder " + builder + via + ": "
                    + describe(r) + "; the rootimg " + rootimg + " cannot execute its own programs");
        }
        String machine = Preflight.parseFacts(r.stdout().text()).getOrDefault("machine", "");
        if (!TargetOs.canonicalArch(machine).equals(TargetOs.canonicalArch(arch))) {
            throw new BuildException("the image is for " + arch + " but its binaries report machine '" + machine
                    + "' under chroot on the builder " + builder + via + "; the rootimg " + rootimg + " holds "
                    + "binaries of another architecture");
        }
        context.note("smoke check: " + rootimg + "/usr/bin/true ran under chroot on the builder; uname -m inside says "
                + machine + via);
    }

    private static String describe(ExecResult r) {
        String err = r.stderr().text().strip();
        return r.exit().describe() + (err.isEmpty() ? "" : ": " + err);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
