package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Protects what nodes boot from a rebuild, before genimage touches anything: the previous archive, {@code kernel}
 * and {@code initrd-*} stay bootable and byte-identical while the build runs and after it fails.
 *
 * <p>Why not keep the previous archive aside and restore it: packimage deletes {@code <rootimgdir>/rootimg.*} by
 * glob after its checks and writes the new archive in place (XCAT.md 8.1), so nodes fetching during packimage
 * find no archive or a part of one; genimage rewrites {@code kernel} and {@code initrd-*} in place during
 * generate (a hard link kept aside would follow the rewrite). So a <b>netboot</b> image is built in a stage,
 * {@code <rootimgdir>/.crossgen-stage} (same file system, a name outside the glob): the image tree moves there
 * by rename, genimage writes there ({@code --rootimgdir} of the genimage line is pointed at it), packimage packs
 * there, and {@link Packimage} promotes the finished archive, initrd and kernel into the rootimgdir by
 * {@code rename(2)}. Until then the rootimgdir's boot files are never written. A failed or cancelled build puts
 * the tree back and removes the stage (a deferred cleanup, which after a promotion has nothing to do and runs
 * nothing). The stage keeps the osimage's own rootimgdir: only
 * for packimage itself is it pointed at the stage ({@code chdef}), and back.
 *
 * <p>A <b>statelite</b> image is not staged: nodes NFS-mount its {@code rootimg/} live, so moving the tree would
 * pull it from under them; genimage and liteimg change it in place, as xCAT does. Copies of {@code kernel},
 * {@code initrd-*} and {@code rootimg-statelite.gz} are kept in {@code <rootimgdir>/.crossgen-prev} and put back
 * by rename when the build fails; {@link Liteimg} drops them when it finished.
 *
 * <p>After a {@code kill -9} of the controller: a netboot rootimgdir still holds the previous archive, kernel
 * and initrd under their names (bootable); the tree stays in the stage and the next build takes it over. If the
 * kill came during packimage, the osimage's rootimgdir still names the stage: the next build refuses and says
 * which {@code chdef} puts it back. A statelite rootimgdir may hold a new kernel; the next build of it restores
 * the kept files first. The shell lives in {@code stage.sh}, {@code unstage.sh}, {@code keep.sh},
 * {@code restore.sh} beside this class. Needs {@link BuildKeys#IMAGE} and, for netboot,
 * {@link BuildKeys#GENIMAGE}; sets {@link BuildKeys#STAGE}.
 */
public final class StageImage implements Step {
    /** The step's name. */
    public static final String NAME = "stage-image";
    /** The stage folder's name inside the rootimgdir. */
    public static final String STAGE = ".crossgen-stage";
    /** The folder of kept statelite boot files inside the rootimgdir. */
    public static final String KEPT = ".crossgen-prev";

    private StageImage() {
    }

    /** The step. */
    public static StageImage defaults() {
        return new StageImage();
    }

    /** Needs the genimage line (the dry run), the lock held, the builder checked. */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(DryRunGenimage.NAME, LockImage.NAME, Preflight.NAME));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** How an image is finished, by its {@code provmethod}. */
    enum Finish {
        /** {@code netboot}: packimage writes an archive. */
        PACKIMAGE,
        /** {@code statelite}: liteimg builds the link trees; nodes mount the tree. */
        LITEIMG;

        /**
         * The finish of an image.
         *
         * @throws BuildException naming the attribute when it is neither netboot nor statelite
         */
        static Finish of(OsImage image) {
            String p = image.get("provmethod").orElse("");
            return switch (p) {
                case "netboot" -> PACKIMAGE;
                case "statelite" -> LITEIMG;
                default -> throw new BuildException("osimage '" + image.name() + "' has provmethod="
                        + (p.isEmpty() ? "(none)" : p) + "; crossgen builds only provmethod=netboot (finished with"
                        + " packimage) or provmethod=statelite (finished with liteimg)");
            };
        }
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        OsImage image = BuildKeys.image(context);
        String dir = RootimgDir.of(image, SitePaths.of(context).installdir());
        if (dir.endsWith("/" + STAGE)) {
            String home = dir.substring(0, dir.length() - STAGE.length() - 1);
            throw new BuildException("osimage '" + image.name() + "' has rootimgdir=" + dir + ", crossgen's stage: a"
                    + " build was stopped during packimage; run `chdef -t osimage -o " + image.name() + " rootimgdir="
                    + home + "` on the MN, then build again");
        }
        if (Finish.of(image) == Finish.LITEIMG) {
            String kept = dir + "/" + KEPT;
            ExecResult r = context.check(BuildRoles.MN, Command.of("sh", "-c", Script.load("keep.sh"), "crossgen-keep", dir,
                    kept));
            r.stdout().lines().forEach(context::note);
            context.defer("restore the boot files of " + dir + " unless liteimg finished", c -> {
                ExecResult back = c.exec(BuildRoles.MN, restore(dir));
                back.stdout().lines().forEach(line -> c.warn("the build did not finish: " + line));
            });
            return;
        }
        String stage = dir + "/" + STAGE;
        ExecResult r = context.check(BuildRoles.MN, Command.of("sh", "-c", Script.load("stage.sh"), "crossgen-stage", dir,
                stage));
        r.stdout().lines().forEach(context::note);
        context.put(BuildKeys.STAGE, stage);
        GenimageRun genimage = context.require(BuildKeys.GENIMAGE);
        context.put(BuildKeys.GENIMAGE, new GenimageRun(genimage.folder(), withRootimgdir(genimage.argv(), stage),
                genimage.environment()));
        context.note("genimage and packimage write to " + stage + "; the files nodes boot in " + dir
                + " change only when the new ones are complete");
        context.defer("put the image tree back from " + stage + " unless packimage promoted it", c -> {
            if (c.get(BuildKeys.PROMOTED).filter(stage::equals).isPresent()) {
                return; // promote.sh moved the tree back and removed the stage: nothing to undo
            }
            ExecResult back = c.exec(BuildRoles.MN, Command.of("sh", "-c", Script.load("unstage.sh"), "crossgen-unstage", dir,
                    stage));
            back.stdout().lines().forEach(line -> c.warn("the build did not finish: " + line));
        });
    }

    /**
     * Undoes what a run stopped without its cleanups (kill -9) left of its stage in rootimgdir {@code dir}: the
     * image tree goes back from the stage and the stage is removed, kept statelite boot files are put back, and
     * when the run was stopped during packimage, the osimage's rootimgdir, which still names the stage, is pointed
     * back at {@code dir}. The previous archive, kernel and initrd were never touched. Runs on the MN.
     *
     * @return what was done, one line each
     */
    static List<String> undo(StepContext context, String image, String dir) throws InterruptedException {
        String stage = dir + "/" + STAGE;
        List<String> done = new ArrayList<>();
        done.addAll(context.check(BuildRoles.MN, Command.of("sh", "-c", Script.load("unstage.sh"), "crossgen-unstage",
                dir, stage)).stdout().lines());
        done.addAll(context.check(BuildRoles.MN, restore(dir)).stdout().lines());
        ExecResult r = context.exec(BuildRoles.MN, Command.of("lsdef", "-t", "osimage", "-z", image).asXcatCall());
        if (r.isSuccess() && StanzaCodec.read(r.stdout().text(), "lsdef " + image).stream()
                .anyMatch(i -> i.rootimgdir().filter(stage::equals).isPresent())) {
            context.check(BuildRoles.MN, Command.of("chdef", "-t", "osimage", "-o", image, "rootimgdir=" + dir).asProcedure()
                    .asXcatCall());
            done.add("pointed osimage " + image + "'s rootimgdir back at " + dir + " (it named the stage)");
        }
        return done;
    }

    /** The command that puts kept statelite boot files back into {@code dir}. */
    static Command restore(String dir) {
        return Command.of("sh", "-c", Script.load("restore.sh"), "crossgen-restore", dir, dir + "/" + KEPT);
    }

    /** The genimage words with {@code --rootimgdir} set to {@code folder} (added before the image name if absent). */
    static List<String> withRootimgdir(List<String> argv, String folder) {
        List<String> out = new ArrayList<>(argv);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).equals("--rootimgdir") && i + 1 < out.size() - 1) {
                out.set(i + 1, folder);
                return out;
            }
            if (out.get(i).startsWith("--rootimgdir=")) {
                out.set(i, "--rootimgdir=" + folder);
                return out;
            }
        }
        out.addAll(out.size() - 1, List.of("--rootimgdir", folder));
        return out;
    }

    @Override
    public String intent() {
        return "move the image tree aside, so that the files nodes boot change only when the new ones are complete";
    }

    @Override
    public String toString() {
        return NAME;
    }
}
