package io.crossgen.build;

import com.google.common.base.Suppliers;
import io.crossgen.command.Command;
import io.crossgen.command.Shell;
import io.crossgen.command.Stdin;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Gathers the image's {@link Provenance} while genimage runs, and writes it beside the image when packimage or
 * liteimg finished ({@link #write}, called by {@link Liteimg} and by {@link Packimage}, which sends it with the
 * promotion: {@link #statement}).
 *
 * <p>Gathered here: the SHA-256 of every pkglist, otherpkglist, postinstall script and exlist, and of the files
 * they {@code #INCLUDE} (recursively; a relative target against the folder of the top-level list, as genimage
 * and packimage read them), of each pkgdir/otherpkgdir's {@code repodata/repomd.xml} or {@code dists/*}{@code
 * /Release}, all in one MN command ({@code digests.sh}); the digest of the MN's netboot trees' listing (read
 * at the same time as the digests, in the same round trip: {@link Together}); the builder's hostname, arch,
 * os-release and SSH host key fingerprints ({@code builder-identity.sh}).
 *
 * <p>When: none of that depends on the image genimage makes, so the step needs only what the gathering reads
 * (the definition and site paths of {@link CopyDefinition}, the genimage line of {@link DryRunGenimage} as
 * {@link StageImage} changed it, the mount of {@link MountInstall}, the builder {@link Preflight} checked, under
 * the lock of {@link LockImage}) and runs at the same time as the copies and {@link Generate}, off the build's
 * critical path. The inputs' digests are thus taken as genimage starts reading them, not after it finished:
 * arguably the more truthful record of what it read (a list edited during a long genimage shows as it was when
 * genimage read it). What does depend on the image is joined when the statement is written: the package
 * inventory ({@link BuildKeys#INVENTORY}, from {@link TakeInventory}) and the smoke check's verdict (the steps
 * that write, {@link Packimage} and {@link Liteimg}, need {@link SmokeCheck}, so no statement describes an image
 * that failed it). A gathering that fails fails the run at once, naming this step (and cancels genimage, as any
 * failed step cancels those that run beside it); a cancelled run cancels it as it cancels genimage.
 *
 * <p>Where the file goes: {@value Provenance#FILE}, a name outside packimage's {@code rootimg.*} glob (XCAT.md
 * 8.1), so a later packimage keeps it. For a staged netboot build {@code promote.sh} writes it into the stage and
 * moves it into the rootimgdir together with the archive, so the file always describes the archive that is
 * there: a failed rebuild keeps both old ones, a promotion without a new statement removes the old one. Needs
 * {@link BuildKeys#IMAGE}; stores {@link BuildKeys#PROVENANCE} (with no subjects and no inventory; a resumed run
 * restores it), and {@link #write} or {@link Packimage} store {@link BuildKeys#STATEMENT} (so the run report
 * holds the statement).
 */
public final class RecordProvenance implements Step {
    /** The step's name. */
    public static final String NAME = "provenance";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final String DIGESTS = Script.load("digests.sh");
    private static final String IDENTITY = Script.load("builder-identity.sh");
    private static final String SUBJECTS = Script.load("subjects.sh");

    private RecordProvenance() {
    }

    /** The step. */
    public static RecordProvenance defaults() {
        return new RecordProvenance();
    }

    @Override
    public String intent() {
        return "record how the image is made, while genimage runs: inputs' digests, builder, dry-run line";
    }

    /**
     * Needs what the gathering reads: the definition and site paths, the genimage line as it runs (XCATROOT's
     * trees, the stage), the mount, the builder checked, the lock held; not the image, so it runs beside genimage.
     */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(CopyDefinition.NAME, LockImage.NAME, DryRunGenimage.NAME, Preflight.NAME,
                MountInstall.NAME, StageImage.NAME));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        OsImage image = BuildKeys.image(context);
        List<String> lists = new ArrayList<>(image.list("pkglist"));
        lists.addAll(image.list("otherpkglist"));
        Set<String> files = new LinkedHashSet<>(lists);
        for (String entry : image.list("postinstall")) {
            files.add(entry.strip().split("\\s+")[0]);
        }
        files.addAll(image.list("exlist"));
        if (!context.planning()) {
            List<String> tops = new ArrayList<>(lists);
            tops.addAll(image.list("exlist"));
            files.addAll(CopyExternalFiles.includes(context, image, tops));
        }
        List<String> repos = new ArrayList<>();
        for (String dir : concat(image.list("pkgdir"), image.list("otherpkgdir"))) {
            if (dir.startsWith("/")) {
                repos.add(dir.endsWith("/") ? dir : dir + "/");
            }
        }
        List<String> args = new ArrayList<>(List.of("sh", "-c", DIGESTS, "crossgen-digests"));
        files.stream().filter(f -> f.startsWith("/")).forEach(args::add);
        args.addAll(repos);
        // the digests and each tree's listing at the same time, in one round trip
        List<String> trees = CopyNetboot.folders(CopyNetboot.DEFAULT_FOLDERS, SitePaths.of(context));
        List<Command> reads = new ArrayList<>(List.of(Command.of(args)));
        for (String tree : trees) {
            reads.add(Manifest.command(List.of(tree), false));
        }
        List<ExecResult> answers = Together.exec(context, BuildRoles.MN, reads);
        for (ExecResult answer : answers) {
            answer.requireSuccess();
        }
        ExecResult digests = answers.get(0);
        List<ExecResult> listings = answers.subList(1, answers.size());
        ExecResult identity = context.check(BuildRoles.BUILDER, Command.of("sh", "-c", IDENTITY,
                "crossgen-identity"));
        List<Provenance.Resource> deps = new ArrayList<>();
        for (String line : digests.stdout().lines()) {
            int sep = line.indexOf("  ");
            if (sep > 0) {
                String path = line.substring(sep + 2);
                String sum = line.substring(0, sep);
                deps.add(new Provenance.Resource(kind(path, image), "file://" + path, sum.equals("missing") ? ""
                        : sum));
            }
        }
        for (int i = 0; i < trees.size(); i++) {
            deps.add(new Provenance.Resource("netboot-tree-listing", "file://" + trees.get(i),
                    sha256(listings.get(i).stdout().text())));
        }
        Map<String, String> host = new LinkedHashMap<>();
        for (String line : identity.stdout().lines()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                host.merge(line.substring(0, eq), line.substring(eq + 1), (a, b) -> a + "; " + b);
            }
        }
        String runId = BuildKeys.runId(context);
        Optional<OsImage> source = context.get(BuildKeys.SOURCE_IMAGE);
        Optional<GenimageRun> asRun = context.get(BuildKeys.GENIMAGE);
        context.put(BuildKeys.PROVENANCE, new Provenance(List.of(), source.map(OsImage::name).orElse(""),
                image.name(), image.attributes(), context.host(BuildRoles.BUILDER).toString(),
                context.get(BuildKeys.MOUNT_STATE).orElse("unknown"), context.get(BuildKeys.EMULATOR).orElse("none"),
                context.get(BuildKeys.DRY_RUN).orElse(""), asRun.map(g -> Shell.join(g.argv())).orElse(""),
                Provenance.currentVersion(), deps, host, runId, startedOn(runId), Optional.empty(), Inventory.NONE));
        context.note(context.planning() ? "gathers the provenance of " + image.name() + ": the digests of its input"
                + " files, repositories and netboot trees, and the builder's identity"
                : "gathered the provenance of " + image.name() + ": " + deps.size() + " inputs, builder "
                + host.getOrDefault("hostname", "?"));
    }

    /**
     * Completes the gathered provenance with the digests of the boot files in {@code folder} (one MN command:
     * {@code archive}, or {@code rootimg/} for a statelite tree, then {@code kernel} and {@code initrd-*}) and
     * writes it there as {@value Provenance#FILE} (by rename, so the file is whole or absent). Does nothing when
     * nothing was gathered (a pipeline without this step).
     */
    static void write(StepContext context, String folder, String archive) throws InterruptedException {
        Optional<Command> sum = subjects(context, folder, archive);
        if (sum.isPresent()) {
            write(context, folder, context.check(BuildRoles.MN, sum.get()));
        }
    }

    /**
     * The MN command that prints the digests of the boot files in {@code folder} for {@link #write(StepContext,
     * String, ExecResult)}; empty when nothing was gathered (a pipeline without this step). {@link Packimage} runs
     * it at the same time as another command.
     */
    static Optional<Command> subjects(StepContext context, String folder, String archive) {
        return context.get(BuildKeys.PROVENANCE).map(p -> Command.of("sh", "-c", SUBJECTS, "crossgen-subjects",
                folder, archive));
    }

    /**
     * Like {@link #write(StepContext, String, String)} with the answer of {@link #subjects} already in hand.
     *
     * @throws io.crossgen.transport.ExecException when that command failed
     */
    static void write(StepContext context, String folder, ExecResult sums) throws InterruptedException {
        Optional<Provenance> done = statement(context, sums);
        if (done.isEmpty()) {
            return;
        }
        String path = folder + "/" + Provenance.FILE;
        Supplier<String> json = Suppliers.memoize(done.get()::toJson);
        context.check(BuildRoles.MN, Command.of("sh", "-c", "cat > \"$1.tmp\" && mv -f -- \"$1.tmp\" \"$1\"",
                "crossgen-write", path).withStdin(Stdin.bytes(() -> json.get().getBytes(StandardCharsets.UTF_8))));
        written(context, path, done.get(), json);
    }

    /**
     * The statement to write: the gathered provenance with the subjects {@code sums} lists (the answer of
     * {@link #subjects}), the end time, and the inventory {@link TakeInventory} stored (none when it did not);
     * empty when nothing was gathered (a pipeline without this step).
     *
     * @throws io.crossgen.transport.ExecException when the subjects' command failed
     */
    static Optional<Provenance> statement(StepContext context, ExecResult sums) {
        Optional<Provenance> gathered = context.get(BuildKeys.PROVENANCE);
        if (gathered.isEmpty()) {
            return Optional.empty();
        }
        sums.requireSuccess();
        List<Provenance.Resource> subjects = new ArrayList<>();
        for (String line : sums.stdout().lines()) {
            int sep = line.indexOf("  ");
            if (sep == 64) {
                subjects.add(new Provenance.Resource(line.substring(sep + 2), "", line.substring(0, sep)));
            }
        }
        return Optional.of(gathered.get().withSubjects(subjects, context.planning() ? "FINISHED-ON"
                : Instant.now().toString()).withInventory(context.get(BuildKeys.INVENTORY).orElse(Inventory.NONE)));
    }

    /**
     * Records that the statement {@code json} of {@code done} is at {@code path}: in the report (not in a plan, which
     * never makes the JSON unless it shows the command's stdin) and a note.
     */
    static void written(StepContext context, String path, Provenance done, Supplier<String> json) {
        if (!context.planning()) {
            context.put(BuildKeys.STATEMENT, json.get());
        }
        context.note(context.planning() ? "writes " + path + " with the digests of the archive, kernel and initrds"
                : "wrote " + path + " (" + done.subjects().size() + " subjects, " + done.inventory().packages().size()
                + " packages)");
    }

    /** What a dependency is, by the attribute that names it. */
    private static String kind(String path, OsImage image) {
        for (String attribute : List.of("pkglist", "otherpkglist", "exlist", "pkgdir", "otherpkgdir")) {
            for (String value : image.list(attribute)) {
                String v = value.strip();
                if (path.equals(v) || path.startsWith(v.endsWith("/") ? v : v + "/") && attribute.endsWith("dir")) {
                    return attribute.endsWith("dir") ? attribute + "-metadata" : attribute;
                }
            }
        }
        for (String entry : image.list("postinstall")) {
            if (path.equals(entry.strip().split("\\s+")[0])) {
                return "postinstall";
            }
        }
        return "include";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The start of a run whose id crossgen made ({@code 20260821T101500-1a2b3c}, UTC). */
    static Optional<String> startedOn(String runId) {
        try {
            return Optional.of(LocalDateTime.parse(runId.substring(0, Math.min(15, runId.length())), STAMP)
                    .toInstant(ZoneOffset.UTC).toString());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
