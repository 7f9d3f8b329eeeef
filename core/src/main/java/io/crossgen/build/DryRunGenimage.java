package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.command.CommandException;
import io.crossgen.command.GenimageCommand;
import io.crossgen.command.GenimageDiff;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.Exit;
import io.crossgen.transport.ExecResult;
import java.util.Optional;
import java.util.Set;

/**
 * Asks the MN which genimage command builds the image: {@code genimage --dryrun NEW}, stdin closed, parsed with
 * {@link GenimageCommand#fromDryRun(String, String, int)} ({@code --tempfile} and the stray {@code 1}s after
 * {@code --ignorekernelchk}/{@code --noupdate} dropped, XCAT.md 1.5).
 *
 * <p>The answer is compared with {@link GenimageCommand#predict(OsImage, java.util.Optional)}, and any
 * difference is a warning (a newer xCAT, a site-table setting). The prediction takes {@code site.timezone} from
 * {@link SitePaths} (read with the installdir in {@link CopyDefinition}'s one lsdef of the site), so a sles image's
 * {@code --timezone} is predicted as genimage.pm prints it. In a dry run the predicted command is used.
 *
 * <p>The builder does not run the line verbatim: options the family's script lacks (xCAT prints {@code --env}
 * and {@code --driverupdatesrc} for every family, XCAT.md 8.2) are dropped with a warning each, and
 * {@code environvar} is exported into genimage's environment instead ({@link GenimageCommand#replay()}).
 * Needs {@link BuildKeys#IMAGE}; stores {@link BuildKeys#GENIMAGE}.
 */
public final class DryRunGenimage implements Step {
    /** The step's name. */
    public static final String NAME = "dry-run-genimage";

    private DryRunGenimage() {
    }

    /** The step. */
    public static DryRunGenimage defaults() {
        return new DryRunGenimage();
    }

    /** Needs the new image and the site's time zone; after the lock, so a run the lock refuses runs nothing more. */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(CopyDefinition.NAME, LockImage.NAME));
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
        ExecResult r = context.exec(BuildRoles.MN, Command.of("genimage", "--dryrun", image.name()).asProcedure()
                .asXcatCall());
        if (context.planning()) {
            GenimageCommand predicted = GenimageCommand.predict(image, SitePaths.of(context).genimageTimezone());
            context.note("the builder runs what genimage --dryrun prints; predicted from the definition: "
                    + predicted.toShellLine());
            context.put(BuildKeys.GENIMAGE, replay(context, predicted));
            context.put(BuildKeys.DRY_RUN, predicted.toShellLine());
            return;
        }
        if (!(r.exit() instanceof Exit.Exited exited)) {
            throw new io.crossgen.transport.ExecException(r);
        }
        GenimageCommand printed;
        try {
            printed = GenimageCommand.fromDryRun(r.stdout().text(), r.stderr().text(), exited.code());
        } catch (CommandException e) {
            throw BuildException.ofFailedCommand(e, r);
        }
        try {
            GenimageDiff diff = GenimageCommand.predict(image, SitePaths.of(context).genimageTimezone()).diff(printed)
                    .withLabels("predicted", "printed");
            if (!diff.isEmpty()) {
                context.warn("genimage --dryrun printed another command than the definition predicts: " + diff);
            }
        } catch (CommandException e) {
            context.warn("cannot predict the genimage command to check the MN's answer: " + e.getMessage());
        }
        context.put(BuildKeys.GENIMAGE, replay(context, printed));
        context.put(BuildKeys.DRY_RUN, printed.toShellLine());
        // the folder xCAT printed is <XCATROOT>/share/xcat/netboot/<family>: the MN's XCATROOT
        SitePaths site = SitePaths.of(context);
        if (!site.xcatroot().equals(printed.xcatRoot())) {
            context.note("XCATROOT on the MN is " + printed.xcatRoot() + " (from the folder genimage printed)");
            context.put(BuildKeys.SITE, site.withXcatroot(printed.xcatRoot()));
        }
    }

    /** The run fit for the family's script; each option left out is a warning in the report. */
    private static GenimageRun replay(StepContext context, GenimageCommand command) {
        GenimageCommand.Replay replay = command.replay();
        replay.warnings().forEach(context::warn);
        return GenimageRun.of(replay);
    }

    @Override
    public String intent() {
        return "procedure step 2: ask genimage --dryrun for the command line the builder runs";
    }

    @Override
    public String toString() {
        return NAME;
    }
}
