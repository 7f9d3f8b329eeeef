package io.crossgen.build;

import io.crossgen.Advice;
import io.crossgen.command.Command;
import io.crossgen.command.CommandException;
import io.crossgen.command.GenimageCommand;
import io.crossgen.command.Stdin;
import io.crossgen.image.OsImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Defines the new osimage on the MN as a copy of the source: the manual procedure's
 * {@code lsdef -t osimage -z SRC | sed 's/^[^ ]\+:/NEW:/' | mkdef -z}, without its traps.
 *
 * <ul>
 *   <li>The copy gets its own {@code rootimgdir}, {@code /install/netboot/<osvers>/<osarch>/<NEW>}, by default:
 *   the plain copy shares the source's folder, and genimage and packimage of the copy would overwrite the source
 *   image (XCAT.md 3.3). {@link #withRootimgdir} picks another folder, {@link #withSharedRootimgdir} keeps the
 *   source's (with a warning).</li>
 *   <li>{@code mkdef -z} is fed from a file on the MN ({@code cat FILE | mkdef -z}), never from a pipe behind
 *   lsdef or from the command's own stdin, which lose the input when they are slower than xCAT's one-second wait
 *   on stdin (XCAT.md 3.3, issue #1671). One command ({@code mkdef.sh}) writes the stanza it gets on stdin to the
 *   run's file, runs mkdef and removes the file: one round trip. Every other xCAT command runs with stdin
 *   closed.</li>
 *   <li>The source's {@code genimage --dryrun} is asked with the lsdefs, in the same round trip. When the copy is
 *   the source renamed with at most its rootimgdir changed (the usual copy, and a copy left as it is or
 *   replaced), its line with the copy's name and {@code --rootimgdir} is the copy's: it is stored under
 *   {@link BuildKeys#SOURCE_DRY_RUN}, and {@link DryRunGenimage} asks nothing. A source that genimage refuses
 *   (a pkglist the MN cannot read, say) fails this step before mkdef: nothing is changed on the MN.</li>
 *   <li>When NEW exists already: identical attributes, nothing is done; other attributes, the step refuses
 *   unless told to replace ({@code mkdef -f -z}).</li>
 *   <li>A value ending in {@code :} ({@code usercomment=see note:}, as lsdef prints it) is left out of the
 *   stanza, where mkdef -z would take its line for an invalid header and drop the rest of the object (XCAT.md
 *   3.2), and set afterwards with {@code chdef -t osimage -o NEW attr=value}, which takes it as it is.</li>
 * </ul>
 *
 * <p>With {@link #withExistingImage()} the step only reads NEW with lsdef (the image is defined already). In a
 * dry run, lsdef's answer is not known: the step plans with the definition given by {@link #withKnownSource}
 * and fails without one. Stores {@link BuildKeys#SOURCE_IMAGE}, {@link BuildKeys#IMAGE},
 * {@link BuildKeys#DEFINITION} and, for a plain copy, {@link BuildKeys#SOURCE_DRY_RUN}.
 *
 * <pre>{@code
 * CopyDefinition.of("rhels8.8.0-ppc64le-netboot-compute", "mycomputeimage").withReplace(true)
 * }</pre>
 */
public final class CopyDefinition implements Step {
    /** The step's name. */
    public static final String NAME = "copy-definition";
    /** What lsdef prints on stderr when an object does not exist. */
    static final String NOT_FOUND = "Could not find an object named";
    /**
     * {@code $1} the run's stanza file, {@code $2} {@code -f} to replace or absent; the stanza on stdin. Writes the
     * file, runs {@code cat FILE | mkdef -z}, removes the file and its folder if then empty ({@code mkdef.sh}).
     */
    static final String MKDEF = Script.load("mkdef.sh");

    private final String source;
    private final String target;
    private final Optional<String> rootimgdir;
    private final boolean shareRootimgdir;
    private final boolean replace;
    private final boolean existing;
    private final Optional<OsImage> knownSource;
    private final Optional<SitePaths> plannedSite;

    private CopyDefinition(String source, String target, Optional<String> rootimgdir, boolean shareRootimgdir,
            boolean replace, boolean existing, Optional<OsImage> knownSource, Optional<SitePaths> plannedSite) {
        this.source = source;
        this.target = target;
        this.rootimgdir = rootimgdir;
        this.shareRootimgdir = shareRootimgdir;
        this.replace = replace;
        this.existing = existing;
        this.knownSource = knownSource;
        this.plannedSite = plannedSite;
    }

    /**
     * Copies osimage {@code source} to {@code target}.
     *
     * @throws IllegalArgumentException when a name is not a valid osimage name, both are the same, or the new
     *     name is {@code default} or {@code default-X}, which mkdef -z reads as a defaults stanza
     *     ({@link StanzaCodec#isDefaultsName}); any other name, {@code rhels7-ppc64-default-compute} say, is fine
     */
    public static CopyDefinition of(String source, String target) {
        OsImage.of(Objects.requireNonNull(source, "source"), java.util.Map.of());
        OsImage.of(Objects.requireNonNull(target, "target"), java.util.Map.of());
        if (StanzaCodec.isDefaultsName(target)) {
            throw new IllegalArgumentException(StanzaCodec.defaultsNameProblem(target));
        }
        if (source.equals(target)) {
            throw new IllegalArgumentException("the new osimage needs another name than its source '" + source + "'");
        }
        return new CopyDefinition(source, target, Optional.empty(), false, false, false, Optional.empty(),
                Optional.empty());
    }

    /** A copy that gives the new image this {@code rootimgdir}. @throws IllegalArgumentException if not absolute */
    public CopyDefinition withRootimgdir(String folder) {
        Objects.requireNonNull(folder, "folder");
        if (!folder.startsWith("/")) {
            throw new IllegalArgumentException("rootimgdir '" + folder + "' must be an absolute path");
        }
        return new CopyDefinition(source, target, Optional.of(folder), false, replace, existing, knownSource,
                plannedSite);
    }

    /** A copy that keeps the source's {@code rootimgdir}, as the manual procedure does (builds overwrite the source). */
    public CopyDefinition withSharedRootimgdir() {
        return new CopyDefinition(source, target, Optional.empty(), true, replace, existing, knownSource, plannedSite);
    }

    /** A copy that replaces an existing NEW of other attributes ({@code mkdef -f -z}) instead of refusing. */
    public CopyDefinition withReplace(boolean on) {
        return new CopyDefinition(source, target, rootimgdir, shareRootimgdir, on, existing, knownSource, plannedSite);
    }

    /** A copy that defines nothing: NEW exists already and is read with lsdef. */
    public CopyDefinition withExistingImage() {
        return new CopyDefinition(source, target, rootimgdir, shareRootimgdir, replace, true, knownSource, plannedSite);
    }

    /**
     * A copy that plans with this definition of the source (or, with {@link #withExistingImage()}, of NEW): a dry
     * run cannot read it from the MN. At run time lsdef's answer is used, and a difference is warned about.
     */
    public CopyDefinition withKnownSource(OsImage definition) {
        return new CopyDefinition(source, target, rootimgdir, shareRootimgdir, replace, existing,
                Optional.of(Objects.requireNonNull(definition, "definition")), plannedSite);
    }

    /**
     * A copy that plans with this {@code site.installdir} instead of {@code /install} (a dry run cannot read the
     * MN's); a run reads the MN's, which wins, with a warning when it differs.
     *
     * @throws IllegalArgumentException when the folder is not absolute
     */
    public CopyDefinition withInstalldir(String folder) {
        SitePaths site = new SitePaths(Objects.requireNonNull(folder, "installdir"), SitePaths.DEFAULT.xcatroot());
        return new CopyDefinition(source, target, rootimgdir, shareRootimgdir, replace, existing, knownSource,
                Optional.of(site));
    }

    /** The source image's name. */
    public String source() {
        return source;
    }

    /** The new image's name. */
    public String target() {
        return target;
    }

    /** Needs nothing: it reads the source definition and the site from the MN. */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        if (existing) {
            OsImage image = Optional.ofNullable(read(context, List.of(target), false).found().get(target))
                    .orElseThrow(() -> new BuildException("osimage '" + target + "' does not exist on the MN; define"
                    + " it, or let crossgen copy it from '" + source + "'"));
            BuildKeys.putImage(context, image);
            return;
        }
        // one lsdef for both: the source's definition, and whether the target exists already; the site and the
        // source's genimage --dryrun at the same time
        Answers answers = read(context, List.of(source, target), true);
        Map<String, OsImage> found = answers.found();
        OsImage src = Optional.ofNullable(found.get(source)).orElseThrow(() -> new BuildException("the source osimage '"
                + source + "' does not exist on the MN; list the images with lsdef -t osimage"));
        context.put(BuildKeys.SOURCE_IMAGE, src);
        OsImage wanted = copy(src, SitePaths.of(context).installdir());
        Optional<OsImage> present = Optional.ofNullable(found.get(target));
        if (present.isPresent()) {
            List<String> differences = differences(present.get(), wanted);
            if (differences.isEmpty()) {
                context.note("osimage " + target + " is already defined with these attributes: left as it is");
                sourceDryRun(context, src, present.get(), answers.dryRun().orElseThrow());
                BuildKeys.putImage(context, present.get());
                return;
            }
            if (!replace) {
                throw new RefusedException("osimage '" + target + "' already exists with other attributes ("
                        + String.join("; ", differences) + ")", new Advice(Advice.Kind.REPLACE_IMAGE,
                        "replace it (CopyDefinition.withReplace(true), mkdef -f), or build it as it is"
                        + " (CopyDefinition.withExistingImage())"));
            }
            context.warn("osimage " + target + " exists with other attributes (" + String.join("; ", differences)
                    + "): replaced");
        }
        // before mkdef: a source genimage cannot build fails the step with nothing changed on the MN
        sourceDryRun(context, src, wanted, answers.dryRun().orElseThrow());
        define(context, wanted, present.isPresent());
        BuildKeys.putImage(context, wanted);
        context.put(BuildKeys.DEFINED, target);
        context.note("osimage " + target + " is defined on the MN; if the build fails it stays defined (remove it"
                + " with rmdef -t osimage -o " + target + ")");
    }

    /**
     * Hands {@link DryRunGenimage} the genimage line of {@code image} (the new definition), made from the source's
     * {@code genimage --dryrun}, when {@code image} is the source as lsdef printed it, renamed, with at most its
     * {@code rootimgdir} changed. genimage.pm builds the line from the osimage and linuximage rows of the name it
     * is given and from site-wide settings only; of the row it prints the name last and {@code --rootimgdir} only
     * when rootimgdir is set (no default is printed), so the two lines differ only there. The name and
     * {@code --rootimgdir} are set through {@link GenimageCommand}, which keeps xCAT's option order. A dry run
     * that fails fails the step, before mkdef, with {@link DryRunGenimage}'s wording. In a plan, the line predicted
     * from the source's definition stands in for the answer.
     */
    private void sourceDryRun(StepContext context, OsImage src, OsImage image, ExecResult answer) {
        if (!differences(src.withName(target).without("rootimgdir"), image.without("rootimgdir")).isEmpty()) {
            return;   // not a plain copy: DryRunGenimage asks genimage --dryrun NEW
        }
        if (context.planning()) {
            try {
                GenimageCommand predicted = GenimageCommand.predict(src, SitePaths.of(context).genimageTimezone());
                context.put(BuildKeys.SOURCE_DRY_RUN, forCopy(predicted, image));
            } catch (CommandException e) {
                // DryRunGenimage asks genimage --dryrun NEW and says why it cannot predict the line
            }
            return;
        }
        GenimageCommand printed;
        try {
            printed = DryRunGenimage.parse(answer);
        } catch (BuildException e) {
            throw new BuildException(e.getMessage() + "; asked as " + answer.command() + " before defining osimage "
                    + target + ": nothing was changed on the MN", e);
        }
        if (!printed.imageName().equals(Optional.of(source))) {
            context.warn(answer.command() + " printed a line for image " + printed.imageName().orElse("(none)")
                    + ": genimage --dryrun " + target + " is asked instead");
            return;
        }
        context.put(BuildKeys.SOURCE_DRY_RUN, forCopy(printed, image));
    }

    /**
     * The source's genimage line made the copy's: the image name (the last word) becomes the copy's, and
     * {@code --rootimgdir} the copy's rootimgdir, or none when the copy has none (genimage.pm prints it only when
     * set).
     */
    static GenimageCommand forCopy(GenimageCommand sourceLine, OsImage copy) {
        return sourceLine.toBuilder().imageName(copy.name()).rootimgdir(copy.get("rootimgdir").orElse(null)).build();
    }

    /** The new definition: the source renamed, with its rootimgdir decided by the policy. */
    OsImage copy(OsImage src, String installdir) {
        OsImage copy = src.withName(target);
        if (rootimgdir.isPresent()) {
            return copy.with("rootimgdir", rootimgdir.get());
        }
        if (shareRootimgdir) {
            return copy;
        }
        return copy.with("rootimgdir", RootimgDir.own(copy, installdir));
    }

    private void define(StepContext context, OsImage image, boolean exists) throws InterruptedException {
        String runId = BuildKeys.runId(context);
        String folder = "/var/tmp/crossgen/" + runId;
        String file = folder + "/" + target + ".stanza";
        String dir = RootimgDir.of(image, SitePaths.of(context).installdir());
        if (shareRootimgdir) {
            context.warn("osimage " + target + " shares rootimgdir " + dir + " with " + source
                    + ": building it overwrites " + source);
        } else {
            context.note("osimage " + target + " gets its own rootimgdir " + dir);
        }
        if (context.planning()) {
            // why the plan's mkdef line reads a file; a run need not say it again
            context.note("mkdef reads the stanza from a file on the MN, not from a pipe (xCAT's 1-second stdin wait)");
        }
        Map<String, String> later = StanzaCodec.headerLikeValues(image);
        OsImage stanza = image;
        for (String attribute : later.keySet()) {
            stanza = stanza.without(attribute);
        }
        // one round trip: the stanza goes in on stdin, the script writes the run's file and feeds mkdef the file;
        // the run's folder on the MN holds only the stanza, and the same command removes both, so a finished run
        // leaves nothing behind
        List<String> argv = new ArrayList<>(List.of("sh", "-c", MKDEF, "crossgen-mkdef", file));
        if (exists) {
            argv.add("-f");
        }
        ExecResult r = context.exec(BuildRoles.MN, Command.builder().addArgs(argv).stdin(Stdin.bytes(
                StanzaCodec.write(stanza).getBytes(StandardCharsets.UTF_8))).build().asProcedure().asXcatCall()
                .withDisplay("cat > " + file + " && cat " + file + " | mkdef " + (exists ? "-f " : "") + "-z; rm -f "
                        + file));
        if (!r.isSuccess()) {
            throw mkdefFailed(r, file, exists);
        }
        if (!later.isEmpty()) {
            context.note("set with chdef, not in the stanza (mkdef -z would take a line ending in ':' for a header"
                    + " and drop the rest of the object): " + String.join(", ", later.keySet()));
            List<String> chdef = new ArrayList<>(List.of("chdef", "-t", "osimage", "-o", target));
            later.forEach((attribute, value) -> chdef.add(attribute + "=" + value));
            context.check(BuildRoles.MN, Command.of(chdef).asProcedure().asXcatCall());
        }
    }

    /**
     * The failure of {@code mkdef.sh}, named by what it ran ({@code cat FILE | mkdef -z}) rather than by the script's
     * text, with the command's result as the cause.
     */
    private static BuildException mkdefFailed(ExecResult r, String file, boolean replacing) {
        List<String> tail = r.stderr().lastLines(10);
        String which = "stderr";
        if (tail.isEmpty()) {
            tail = r.stdout().lastLines(10);
            which = "stdout";
        }
        String message = r.host().label() + ": `cat " + file + " | mkdef " + (replacing ? "-f " : "") + "-z`"
                + " (crossgen-mkdef) failed with " + r.exit().describe();
        return new BuildException(tail.isEmpty() ? message : message + "; last " + which + ":\n  "
                + String.join("\n  ", tail), new ExecException(r));
    }

    /**
     * Reads {@code site.installdir} (unset: {@code /install}) and {@code site.timezone} from the MN into
     * {@link BuildKeys#SITE}; a dry run plans with {@code /install}, or the one given with {@link #withInstalldir}.
     */
    private void readSite(StepContext context, ExecResult answer) {
        SitePaths site = context.planning() ? SitePaths.DEFAULT : SitePaths.parse(answer);
        if (context.planning()) {
            plannedSite.ifPresent(given -> {
                context.note("planned with site.installdir " + given.installdir() + " (given; a run reads the MN's)");
                context.put(BuildKeys.SITE, given);
            });
            return;
        }
        plannedSite.filter(given -> !given.installdir().equals(site.installdir())).ifPresent(given -> context.warn(
                "site.installdir on the MN is " + site.installdir() + ", not the " + given.installdir() + " given: "
                + site.installdir() + " is used"));
        context.put(BuildKeys.SITE, site);
        if (!site.defaultInstalldir()) {
            context.note("site.installdir is " + site.installdir() + ": images, postscripts and locks are under it");
        }
    }

    /** What the first round trip answered: the images found, and the source's genimage --dryrun when it was asked. */
    private record Answers(Map<String, OsImage> found, Optional<ExecResult> dryRun) {
    }

    /**
     * The images of these names on the MN, read with one {@code lsdef -t osimage -z A,B} (xCAT lists several objects
     * of one type in one call); a name lsdef says it cannot find is left out. lsdef prints the stanzas of the
     * images it found, says {@code Could not find an object named 'B' of type 'osimage'.} on stderr for each other
     * one and exits 1 (DBobjectdefs.pm defls). In a dry run, lsdef's answer is not known: the known definition
     * stands in for the first name, and the others are planned as missing.
     *
     * <p>The site is read ({@link #readSite}) by a second lsdef at the same time, in the same round trip
     * ({@link Together}), and with {@code dryRun} the source's {@code genimage --dryrun} too: they need nothing
     * from each other, so the step waits for the slowest xCAT call, not for their sum. The dry run's answer is
     * returned as it is; {@link #sourceDryRun} reads it once lsdef showed what the copy will be.
     */
    private Answers read(StepContext context, List<String> names, boolean dryRun) throws InterruptedException {
        String what = "lsdef -t osimage -z " + String.join(",", names);
        List<Command> commands = new ArrayList<>(List.of(SitePaths.READ, Command.of("lsdef", "-t", "osimage", "-z",
                String.join(",", names)).asProcedure().asXcatCall()));
        if (dryRun) {
            commands.add(DryRunGenimage.ask(source));
        }
        List<ExecResult> answers = Together.exec(context, BuildRoles.MN, commands);
        readSite(context, answers.get(0));
        ExecResult r = answers.get(1);
        Optional<ExecResult> printed = dryRun ? Optional.of(answers.get(2)) : Optional.empty();
        Map<String, OsImage> found = new java.util.LinkedHashMap<>();
        if (context.planning()) {
            if (knownSource.isEmpty()) {
                throw new BuildException("a plan needs the definition of osimage '" + names.get(0) + "', which a dry"
                        + " run cannot read: give it with CopyDefinition.withKnownSource (CrossBuild.plan() reads it"
                        + " with lsdef)");
            }
            found.put(names.get(0), knownSource.get().withName(names.get(0)));
            return new Answers(found, printed);
        }
        for (OsImage image : StanzaCodec.read(r.stdout().text(), what)) {
            if (!names.contains(image.name())) {
                throw new BuildException(what + " printed osimage '" + image.name() + "'");
            }
            found.put(image.name(), image);
        }
        String stderr = r.stderr().text();
        boolean explained = names.stream().filter(n -> !found.containsKey(n))
                .allMatch(n -> stderr.contains(NOT_FOUND + " '" + n + "'"));
        if (!explained || (!r.isSuccess() && found.size() == names.size())) {
            throw new ExecException(r);
        }
        OsImage src = found.get(source);
        if (knownSource.isPresent() && src != null && !existing) {
            List<String> d = differences(knownSource.get().withName(source), src);
            if (!d.isEmpty()) {
                context.warn("the definition of " + source + " on the MN differs from the one planned with: "
                        + String.join("; ", d));
            }
        }
        return new Answers(found, printed);
    }

    /** {@code attr: old -> new} for each attribute that differs, sorted by attribute. */
    static List<String> differences(OsImage have, OsImage want) {
        List<String> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(have.attributes().keySet());
        names.addAll(want.attributes().keySet());
        for (String a : names) {
            String h = have.get(a).orElse("(unset)");
            String w = want.get(a).orElse("(unset)");
            if (!h.equals(w)) {
                out.add(a + ": " + h + " -> " + w);
            }
        }
        return out;
    }

    @Override
    public String intent() {
        return "procedure step 1: copy the osimage definition under the new name (lsdef -z, mkdef -z)";
    }

    @Override
    public String toString() {
        return NAME + "(" + source + " -> " + target + ")";
    }
}
