package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.command.CommandException;
import io.crossgen.command.LiteimgCommand;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Timeouts;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Finishes a statelite image on the MN: {@code liteimg NEW}, stdin closed, its output parsed with
 * {@link LiteimgCommand#parseResult(String, String, int)} (an {@code Error:} line fails the step even when
 * liteimg exits 0, as several of its errors do). Then it checks that genimage's statelite boot files are there,
 * {@code kernel} and {@code initrd-statelite.gz} (there is no archive to check), and drops the copies
 * {@link StageImage} kept in {@code <rootimgdir>/.crossgen-prev}, after writing the {@link Provenance} gathered by
 * {@link RecordProvenance} (its subject is the tree's listing digest); when anything fails, the deferred cleanup of
 * {@link StageImage} puts them back. Needs {@link BuildKeys#IMAGE}.
 */
public final class Liteimg implements Step {
    /** The step's name. */
    public static final String NAME = "liteimg";
    static final String VERIFY = Script.load("liteimg-verify.sh");

    private final Duration timeout;

    private Liteimg(Duration timeout) {
        this.timeout = timeout;
    }

    /** The step, bounded by one hour. */
    public static Liteimg defaults() {
        return new Liteimg(Duration.ofHours(1));
    }

    /** A copy bounded by another time. */
    public Liteimg withTimeout(Duration limit) {
        return new Liteimg(Timeouts.positive("timeout", limit));
    }

    /**
     * Needs the image genimage built, its smoke check passed, the provenance gathered meanwhile and the inventory
     * (the statement joins both); after packimage, as the preset orders them.
     */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(Generate.NAME, StageImage.NAME, SmokeCheck.NAME, TakeInventory.NAME,
                RecordProvenance.NAME, Packimage.NAME));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Duration> timeout() {
        return Optional.of(timeout);
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        OsImage image = BuildKeys.image(context);
        String dir = RootimgDir.of(image, SitePaths.of(context).installdir());
        if (StageImage.Finish.of(image) != StageImage.Finish.LITEIMG) {
            context.note("provmethod=netboot: finished with packimage, not liteimg");
            return;
        }
        LiteimgCommand lite = LiteimgCommand.of(image.name());
        ExecResult r = context.exec(BuildRoles.MN, lite.toCommand());
        Command verify = Command.of("sh", "-c", VERIFY, "crossgen-verify", dir);
        Command drop = Command.of("rm", "-rf", "--", dir + "/" + StageImage.KEPT);
        if (context.planning()) {
            context.exec(BuildRoles.MN, verify);
            RecordProvenance.write(context, dir, "rootimg/");
            context.exec(BuildRoles.MN, drop);
            return;
        }
        if (!(r.exit() instanceof Exit.Exited exited)) {
            throw new ExecException(r);
        }
        try {
            lite.parseResult(r.stdout().text(), r.stderr().text(), exited.code());
        } catch (CommandException e) {
            throw BuildException.ofFailedCommand(e, r);
        }
        ExecResult v = context.check(BuildRoles.MN, verify);
        if (!v.stdout().lines().isEmpty()) {
            throw new BuildException("liteimg " + image.name() + " finished but " + String.join("; ",
                    v.stdout().lines()) + " (did genimage finish?)");
        }
        RecordProvenance.write(context, dir, "rootimg/");
        context.check(BuildRoles.MN, drop);
    }

    @Override
    public String intent() {
        return "procedure step 7: make the statelite image on the MN";
    }

    @Override
    public String toString() {
        return NAME;
    }
}
