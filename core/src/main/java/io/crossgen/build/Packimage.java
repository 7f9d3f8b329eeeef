package io.crossgen.build;

import com.google.common.base.Suppliers;
import io.crossgen.command.Command;
import io.crossgen.command.CommandException;
import io.crossgen.command.PackimageCommand;
import io.crossgen.command.PackimageResult;
import io.crossgen.command.Stdin;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Timeouts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Packs the built tree on the MN: {@code packimage [-m M] [-c C] [--nosyncfiles] NEW}, stdin closed, its output
 * parsed with {@link PackimageCommand#parseResult(String, String, int)}.
 *
 * <p>packimage deletes {@code <rootimgdir>/rootimg.*} by glob, after its checks, and writes the new archive in
 * place (XCAT.md 8.1): nodes booting meanwhile find no archive or a part of one (issue #1940), and after a
 * failure nothing is restored. So when {@link StageImage} staged the build ({@link BuildKeys#STAGE}), this step
 * points the osimage's rootimgdir at the stage for packimage only ({@code chdef -t osimage -o NEW
 * rootimgdir=STAGE}, and back whatever happens, a deferred cleanup too; the point-back runs at the same time as
 * the digests of the stage's boot files for the provenance, before anything leaves the stage), then promotes the
 * archive, {@code initrd-*} and {@code kernel} into the rootimgdir by {@code rename(2)} ({@code promote.sh}):
 * nodes see the previous files until the new ones are complete, and a failure or cancel leaves them untouched.
 * Promotion refuses when the archive, kernel or {@code initrd-stateless.gz} (nodeset needs them, issue #2846) is
 * missing or empty. The {@link Provenance} gathered by {@link RecordProvenance}, completed with those digests
 * and the package inventory, goes to {@code promote.sh} on its stdin, in the same round trip: the script writes
 * it into the stage before its checks and moves it with the archive (without a statement it removes the old
 * one). So a staged packimage takes four round trips: point at the stage, packimage, point back with the
 * digests, promote. Without a stage, packimage runs in place as xCAT's does, with a warning. Needs
 * {@link BuildKeys#IMAGE}.
 *
 * <pre>{@code
 * Packimage.defaults().withCompressor(PackimageCommand.Compressor.XZ)
 * }</pre>
 */
public final class Packimage implements Step {
    /** The step's name. */
    public static final String NAME = "packimage";
    static final String VERIFY = Script.load("packimage-verify.sh");
    private static final String PROMOTE = Script.load("promote.sh");

    private final Optional<PackimageCommand.Method> method;
    private final Optional<PackimageCommand.Compressor> compressor;
    private final boolean noSyncFiles;
    private final Duration timeout;

    private Packimage(Optional<PackimageCommand.Method> method, Optional<PackimageCommand.Compressor> compressor,
            boolean noSyncFiles, Duration timeout) {
        this.method = method;
        this.compressor = compressor;
        this.noSyncFiles = noSyncFiles;
        this.timeout = timeout;
    }

    /** xCAT's defaults (cpio, pigz or gzip), one hour. */
    public static Packimage defaults() {
        return new Packimage(Optional.empty(), Optional.empty(), false, Duration.ofHours(1));
    }

    /** A copy with {@code -m}. */
    public Packimage withMethod(PackimageCommand.Method m) {
        return new Packimage(Optional.of(m), compressor, noSyncFiles, timeout);
    }

    /** A copy with {@code -c}. */
    public Packimage withCompressor(PackimageCommand.Compressor c) {
        return new Packimage(method, Optional.of(c), noSyncFiles, timeout);
    }

    /** A copy with {@code --nosyncfiles}. */
    public Packimage withNoSyncFiles(boolean on) {
        return new Packimage(method, compressor, on, timeout);
    }

    /** A copy bounded by another time. */
    public Packimage withTimeout(Duration limit) {
        return new Packimage(method, compressor, noSyncFiles, Timeouts.positive("timeout", limit));
    }

    /** The command for an image. */
    public PackimageCommand command(String imageName) {
        PackimageCommand.Builder b = PackimageCommand.builder(Objects.requireNonNull(imageName, "image name"))
                .noSyncFiles(noSyncFiles);
        method.ifPresent(b::method);
        compressor.ifPresent(b::compressor);
        return b.build();
    }

    /**
     * Needs the image genimage built in the stage, its smoke check passed, and what the statement written beside
     * the archive joins: the provenance gathered meanwhile and the inventory.
     */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(Generate.NAME, StageImage.NAME, SmokeCheck.NAME, TakeInventory.NAME,
                RecordProvenance.NAME));
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
        if (StageImage.Finish.of(image) != StageImage.Finish.PACKIMAGE) {
            context.note("provmethod=statelite: finished with liteimg, not packimage");
            return;
        }
        Optional<String> stage = context.get(BuildKeys.STAGE);
        PackimageCommand pack = command(image.name());
        if (stage.isPresent()) {
            packInStage(context, image, dir, stage.get(), pack);
            return;
        }
        context.warn("packimage writes in place in " + dir + ": nodes booting meanwhile find no archive, and a"
                + " failure leaves none (put the stage-image step before generate to avoid this)");
        ExecResult r = context.exec(BuildRoles.MN, pack.toCommand());
        if (context.planning()) {
            String name = plannedName(context, pack, dir);
            RecordProvenance.write(context, dir, name);
            context.exec(BuildRoles.MN, verify(dir, name));
            return;
        }
        String name = archiveName(image, pack, r, dir);
        RecordProvenance.write(context, dir, name);
        finished(context, image, dir, Optional.empty(), verify(dir, name));
    }

    private static String plannedName(StepContext context, PackimageCommand pack, String dir) {
        pack.archiveName().ifPresent(n -> context.note("the new archive is " + dir + "/" + n));
        return pack.archiveName().orElse(pack.archiveName(PackimageCommand.Compressor.GZIP));
    }

    /** The archive packimage wrote, from its answer. @throws BuildException when it failed or did not say */
    private static String archiveName(OsImage image, PackimageCommand pack, ExecResult r, String packed) {
        if (!(r.exit() instanceof Exit.Exited exited)) {
            throw new ExecException(r);
        }
        PackimageResult result;
        try {
            result = pack.parseResult(r.stdout().text(), r.stderr().text(), exited.code());
        } catch (CommandException e) {
            throw BuildException.ofFailedCommand(e, r);
        }
        return result.archiveName().orElseThrow(() -> new BuildException("packimage did not say which"
                + " compressor it used, so the archive in " + packed + " is unknown"));
    }

    /** Runs {@code finish} (the check or the promotion) and reports what was done. */
    private static void finished(StepContext context, OsImage image, String dir, Optional<String> stage,
            Command finish) throws InterruptedException {
        ExecResult v = context.exec(BuildRoles.MN, finish);
        if (!v.isSuccess()) {
            throw new BuildException("packimage " + image.name() + " exited 0 but " + String.join("; ",
                    v.stdout().lines()) + (stage.isPresent() ? "; the files in " + dir + " were left as they were"
                    : ""));
        }
        stage.ifPresent(s -> context.put(BuildKeys.PROMOTED, s));
        for (String line : v.stdout().lines()) {
            if (line.startsWith("missing: ")) {
                context.warn(line + " (nodeset needs it: did genimage finish?)");
            } else {
                context.note(line);
            }
        }
    }

    /** Checks the archive packed in place. */
    private static Command verify(String dir, String archiveName) {
        return Command.of("sh", "-c", VERIFY, "crossgen-verify", dir + "/" + archiveName, dir);
    }

    /**
     * packimage with the osimage's rootimgdir pointed at the stage, and pointed back whatever happens; then the
     * promotion, which writes the provenance statement on its way (one round trip). The point-back runs at the
     * same time as the digests of the stage's boot files ({@link Together}): neither needs the other, and until
     * the promotion, which waits for both, the stage's files stay where they are, so a node set up meanwhile finds
     * complete files wherever rootimgdir points.
     */
    private static void packInStage(StepContext context, OsImage image, String dir, String stage,
            PackimageCommand pack) throws InterruptedException {
        // crossgen's staging, not the procedure's: shown with --verbose and in the full log
        Command back = Command.of("chdef", "-t", "osimage", "-o", image.name(), "rootimgdir="
                + image.rootimgdir().orElse("")).asXcatCall();
        AtomicBoolean pointed = new AtomicBoolean(true);
        context.defer("point osimage " + image.name() + "'s rootimgdir back unless packimage did", c -> {
            if (pointed.get()) {
                c.exec(BuildRoles.MN, back).requireSuccess();
            }
        });
        context.check(BuildRoles.MN, Command.of("chdef", "-t", "osimage", "-o", image.name(), "rootimgdir=" + stage)
                .asXcatCall());
        boolean tried = false;
        String name;
        Optional<Provenance> statement;
        try {
            ExecResult r = context.exec(BuildRoles.MN, pack.toCommand());
            name = context.planning() ? plannedName(context, pack, dir) : archiveName(image, pack, r, stage);
            Optional<Command> subjects = RecordProvenance.subjects(context, stage, name);
            List<Command> both = new ArrayList<>(List.of(back));
            subjects.ifPresent(both::add);
            tried = true;
            List<ExecResult> answers = Together.exec(context, BuildRoles.MN, both);
            answers.get(0).requireSuccess();
            pointed.set(false);
            statement = subjects.isPresent() ? RecordProvenance.statement(context, answers.get(1)) : Optional.empty();
        } finally {
            if (!tried && !Thread.currentThread().isInterrupted()) {
                context.check(BuildRoles.MN, back);
                pointed.set(false);
            }
        }
        // made when the promotion runs, or when a plan shows it: a plan's summary never makes the JSON
        Optional<Supplier<String>> json = statement.map(s -> Suppliers.memoize(s::toJson));
        Command promote = promote(dir, stage, name, json);
        if (context.planning()) {
            context.exec(BuildRoles.MN, promote);
        } else {
            finished(context, image, dir, Optional.of(stage), promote);
        }
        if (statement.isPresent()) {
            RecordProvenance.written(context, dir + "/" + Provenance.FILE, statement.get(), json.get());
        }
    }

    /** The promotion of the stage, with the provenance statement on its stdin when there is one. */
    private static Command promote(String dir, String stage, String archiveName,
            Optional<Supplier<String>> statement) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", PROMOTE, "crossgen-promote", dir, stage, archiveName));
        if (statement.isEmpty()) {
            return Command.of(argv);
        }
        argv.add("provenance");
        return Command.of(argv).withStdin(Stdin.bytes(() -> statement.get().get().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String intent() {
        return "procedure step 7: pack the image on the MN";
    }

    @Override
    public String toString() {
        return NAME;
    }
}
