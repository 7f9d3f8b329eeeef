package io.crossgen.build;

import io.crossgen.command.GenimageCommand;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Key;
import io.crossgen.pipeline.StepContext;
import java.util.Optional;

/**
 * The values the cross-build steps hand on to later steps, as typed keys.
 *
 * <pre>{@code
 * OsImage image = context.require(BuildKeys.IMAGE);
 * }</pre>
 */
public final class BuildKeys {
    /** The new image's definition, as defined on the MN ({@link CopyDefinition}). */
    public static final Key<OsImage> IMAGE = Key.of("image", OsImage.class);
    /** The new image's definition as a record, which a resumed run restores; see {@link #image}. */
    public static final Key<ImageDefinition> DEFINITION = Key.of("definition", ImageDefinition.class);
    /** The genimage command the builder runs ({@link DryRunGenimage}). */
    public static final Key<GenimageRun> GENIMAGE = Key.of("genimage", GenimageRun.class);
    /** The source image's definition, as read from the MN ({@link CopyDefinition}). */
    public static final Key<OsImage> SOURCE_IMAGE = Key.of("source-image", OsImage.class);
    /**
     * An identifier of this run, used in the names of the files it leaves on the hosts (probe, per-run folder,
     * lock owner). Set it before the run to pin it; the first step that needs one makes one otherwise.
     */
    public static final Key<String> RUN_ID = Key.of("run-id", String.class);
    /**
     * What {@link MountInstall} found or did: {@code mounted} (this run mounted the MN's export), {@code shared}
     * (crossgen's mount, made for another run on the builder), {@code reused} (the admin's mount, never unmounted
     * by crossgen) or {@code none} ({@link Mount#none()}: nothing mounted).
     */
    public static final Key<String> MOUNT_STATE = Key.of("mount-state", String.class);

    /** The folder of this run's image lock on the MN ({@link LockImage}), while the run holds it. */
    public static final Key<String> LOCK_DIR = Key.of("lock-dir", String.class);
    /** This run's entry in the builder's {@code /install} lease ({@link MountInstall}), while it is registered. */
    public static final Key<String> LEASE_ENTRY = Key.of("lease-entry", String.class);
    /** The detached genimage on the builder ({@link Generate}), once started. */
    public static final Key<GenimageProcess> GENIMAGE_PROCESS = Key.of("genimage-process", GenimageProcess.class);
    /**
     * The name of the osimage this run defined (or replaced) on the MN ({@link CopyDefinition}); absent when the
     * image was already defined as wanted or built as it was. A run that fails after defining it leaves it
     * defined: {@code rmdef -t osimage -o NAME} removes it.
     */
    public static final Key<String> DEFINED = Key.of("defined-image", String.class);
    /**
     * The folder a netboot rebuild is staged in ({@link StageImage}): genimage and packimage write there, and
     * {@link Packimage} promotes the finished files into the rootimgdir.
     */
    public static final Key<String> STAGE = Key.of("stage", String.class);
    /**
     * The stage {@link Packimage} promoted ({@code promote.sh} exited 0, so the stage is gone): {@link StageImage}'s
     * cleanup then has nothing to put back and skips its round trip. Set by a run only, never by a plan.
     */
    public static final Key<String> PROMOTED = Key.of("promoted-stage", String.class);

    /**
     * The interpreter that runs the image's binaries on a builder of another architecture (the binfmt_misc
     * entry {@link Preflight} found); absent when the build is not emulated.
     */
    public static final Key<String> EMULATOR = Key.of("emulator", String.class);

    /** Where xCAT keeps its files on the MN ({@link SitePaths}): read by {@link CopyDefinition}. */
    public static final Key<SitePaths> SITE = Key.of("site", SitePaths.class);
    /**
     * The new image's genimage line made from the source's {@code genimage --dryrun} ({@link CopyDefinition} asks it
     * with its lsdefs when the copy is the source renamed, with at most its rootimgdir changed): the source's line
     * with the new image's name and {@code --rootimgdir}. {@link DryRunGenimage} then asks nothing.
     */
    public static final Key<GenimageCommand> SOURCE_DRY_RUN = Key.of("source-dry-run", GenimageCommand.class);
    /**
     * The genimage line as the MN's {@code genimage --dryrun} printed it (before a stage changed it), or as
     * {@link #SOURCE_DRY_RUN} made it from the source's.
     */
    public static final Key<String> DRY_RUN = Key.of("dry-run", String.class);
    /** The packages of the new image tree, read by {@link TakeInventory}. */
    public static final Key<Inventory> INVENTORY = Key.of("inventory", Inventory.class);
    /**
     * The image's provenance as {@link RecordProvenance} gathered it while genimage ran: no subjects and no
     * inventory yet (joined when the statement is written).
     */
    public static final Key<Provenance> PROVENANCE = Key.of("provenance", Provenance.class);
    /** The provenance statement written beside the image (JSON), kept in the run report's values. */
    public static final Key<String> STATEMENT = Key.of("provenance-statement", String.class);


    private BuildKeys() {
    }

    /**
     * The new image: {@link #IMAGE}, or, in a resumed run that could not restore it, {@link #DEFINITION}.
     *
     * @throws io.crossgen.pipeline.PipelineException naming the key when neither is there
     */
    public static OsImage image(StepContext context) {
        Optional<OsImage> image = context.get(IMAGE);
        if (image.isPresent()) {
            return image.get();
        }
        Optional<ImageDefinition> definition = context.get(DEFINITION);
        if (definition.isPresent()) {
            OsImage restored = definition.get().toImage();
            context.put(IMAGE, restored);
            return restored;
        }
        return context.require(IMAGE);
    }

    /** Stores the new image under {@link #IMAGE} and {@link #DEFINITION}. */
    static void putImage(StepContext context, OsImage image) {
        context.put(IMAGE, image);
        context.put(DEFINITION, ImageDefinition.of(image));
    }

    /**
     * The id that names this build's folders, locks and leases on the hosts: the one set under {@link #RUN_ID} (a
     * resumed run restores it), else the run's own ({@link StepContext#runId()}), stored there; in a dry run the
     * placeholder {@code RUN-ID}.
     */
    static String runId(StepContext context) {
        return context.get(RUN_ID).orElseGet(() -> {
            String id = context.planning() ? "RUN-ID" : context.runId();
            context.put(RUN_ID, id);
            return id;
        });
    }
}
