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
 *
 * <p>When {@link CopyDefinition} made the new image as the source renamed, with at most its rootimgdir changed, it
 * asked the source's {@code genimage --dryrun} with its lsdefs and stored the line, made the new image's, under
 * {@link BuildKeys#SOURCE_DRY_RUN}: then this step asks nothing and treats that line as the MN's answer (so it
 * finishes at once, off the run's critical path). Otherwise (an image built as it is, a resumed run, a copy that
 * is not plain) it asks {@code genimage --dryrun NEW}.
 * Needs {@link BuildKeys#IMAGE}; stores {@link BuildKeys#GENIMAGE} and {@link BuildKeys#DRY_RUN}.
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
        Optional<GenimageCommand> early = context.get(BuildKeys.SOURCE_DRY_RUN).filter(c -> c.imageName()
                .equals(Optional.of(image.name())) && c.rootimgdir().equals(image.get("rootimgdir")));
        if (early.isPresent()) {
            String source = context.get(BuildKeys.SOURCE_IMAGE).map(OsImage::name).orElse("the source");
            context.note("not asked again: the line is genimage --dryrun " + source + " (asked by "
                    + CopyDefinition.NAME + " with its lsdefs) with " + image.name() + "'s name and rootimgdir");
            if (context.planning()) {
                context.note("the builder runs that line; predicted from " + source + "'s definition: "
                        + early.get().toShellLine());
                context.put(BuildKeys.GENIMAGE, replay(context, early.get()));
                context.put(BuildKeys.DRY_RUN, early.get().toShellLine());
                return;
            }
            use(context, image, early.get());
            return;
        }
        ExecResult r = context.exec(BuildRoles.MN, ask(image.name()));
        if (context.planning()) {
            GenimageCommand predicted = GenimageCommand.predict(image, SitePaths.of(context).genimageTimezone());
            context.note("the builder runs what genimage --dryrun prints; predicted from the definition: "
                    + predicted.toShellLine());
            context.put(BuildKeys.GENIMAGE, replay(context, predicted));
            context.put(BuildKeys.DRY_RUN, predicted.toShellLine());
            return;
        }
        use(context, image, parse(r));
    }

    /** {@code genimage --dryrun NAME}, stdin closed, one xCAT call. */
    static Command ask(String name) {
        return Command.of("genimage", "--dryrun", name).asProcedure().asXcatCall();
    }

    /**
     * The command {@code genimage --dryrun} printed.
     *
     * @throws io.crossgen.transport.ExecException when it left no exit status
     * @throws BuildException when it failed or printed no line that can be read, naming the host
     */
    static GenimageCommand parse(ExecResult r) {
        if (!(r.exit() instanceof Exit.Exited exited)) {
            throw new io.crossgen.transport.ExecException(r);
        }
        try {
            return GenimageCommand.fromDryRun(r.stdout().text(), r.stderr().text(), exited.code());
        } catch (CommandException e) {
            throw BuildException.ofFailedCommand(e, r);
        }
    }

    /** Checks the line against the prediction, stores it, and takes the MN's XCATROOT from its folder. */
    private static void use(StepContext context, OsImage image, GenimageCommand printed) {
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
