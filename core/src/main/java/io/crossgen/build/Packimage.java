package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.command.CommandException;
import io.crossgen.command.PackimageCommand;
import io.crossgen.command.PackimageResult;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Role;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Packs the built tree on the MN: {@code packimage [-m M] [-c C] [--nosyncfiles] NEW}, stdin closed, its output
 * parsed with {@link PackimageCommand#parseResult(String, String, int)}.
 *
 * <p>packimage deletes the previous {@code rootimg.*} archive before writing the new one, so nodes booting
 * meanwhile, or after a failed packimage, find no image (issue #1940). This step moves the previous archive
 * aside first ({@code rootimg.X.crossgen-prev}), removes it once the new archive exists and is non-empty, and
 * puts it back when packimage fails, or the run is cancelled before the new one is there (a deferred cleanup).
 * It also warns when {@code kernel} or {@code initrd-stateless.gz} is missing beside the archive: nodeset needs
 * them (issue #2846). Needs {@link BuildKeys#IMAGE}.
 *
 * <pre>{@code
 * Packimage.defaults().withCompressor(PackimageCommand.Compressor.XZ)
 * }</pre>
 */
public final class Packimage implements Step {
    /** The step's name. */
    public static final String NAME = "packimage";
    static final String SUFFIX = ".crossgen-prev";
    static final String KEEP_ASIDE = String.join("\n",
            "d=$1",
            "for f in \"$d\"/rootimg.*; do",
            "  case $f in *" + SUFFIX + ") continue ;; esac",
            "  [ -f \"$f\" ] || continue",
            "  mv -f -- \"$f\" \"$f" + SUFFIX + "\" && echo \"$f\"",
            "done",
            "exit 0");
    static final String RESTORE = String.join("\n",
            "d=$1; found=no",
            "for p in \"$d\"/rootimg.*" + SUFFIX + "; do [ -f \"$p\" ] && found=yes; done",
            "[ \"$found\" = yes ] || exit 0",
            "for f in \"$d\"/rootimg.*; do case $f in *" + SUFFIX + ") ;; *) [ -f \"$f\" ] && rm -f -- \"$f\" ;; esac; done",
            "for p in \"$d\"/rootimg.*" + SUFFIX + "; do [ -f \"$p\" ] && mv -f -- \"$p\" \"${p%" + SUFFIX
                    + "}\" && echo \"restored ${p%" + SUFFIX + "}\"; done",
            "exit 0");
    static final String DROP = "rm -f -- \"$1\"/rootimg.*" + SUFFIX;
    static final String VERIFY = String.join("\n",
            "test -s \"$1\" || { echo \"missing or empty: $1\"; exit 1; }",
            "for f in kernel initrd-stateless.gz; do test -s \"$2/$f\" || echo \"missing: $2/$f\"; done",
            "exit 0");

    private final Optional<PackimageCommand.Method> method;
    private final Optional<PackimageCommand.Compressor> compressor;
    private final boolean noSyncFiles;
    private final boolean keepPrevious;
    private final Duration timeout;

    private Packimage(Optional<PackimageCommand.Method> method, Optional<PackimageCommand.Compressor> compressor,
            boolean noSyncFiles, boolean keepPrevious, Duration timeout) {
        this.method = method;
        this.compressor = compressor;
        this.noSyncFiles = noSyncFiles;
        this.keepPrevious = keepPrevious;
        this.timeout = timeout;
    }

    /** xCAT's defaults (cpio, pigz or gzip), the previous archive kept aside, one hour. */
    public static Packimage defaults() {
        return new Packimage(Optional.empty(), Optional.empty(), false, true, Duration.ofHours(1));
    }

    /** A copy with {@code -m}. */
    public Packimage withMethod(PackimageCommand.Method m) {
        return new Packimage(Optional.of(m), compressor, noSyncFiles, keepPrevious, timeout);
    }

    /** A copy with {@code -c}. */
    public Packimage withCompressor(PackimageCommand.Compressor c) {
        return new Packimage(method, Optional.of(c), noSyncFiles, keepPrevious, timeout);
    }

    /** A copy with {@code --nosyncfiles}. */
    public Packimage withNoSyncFiles(boolean on) {
        return new Packimage(method, compressor, on, keepPrevious, timeout);
    }

    /** A copy that does not keep the previous archive aside (packimage's own behaviour). */
    public Packimage withKeepPrevious(boolean on) {
        return new Packimage(method, compressor, noSyncFiles, on, timeout);
    }

    /** A copy bounded by another time. */
    public Packimage withTimeout(Duration limit) {
        return new Packimage(method, compressor, noSyncFiles, keepPrevious, Generate.positive(limit));
    }

    /** The command for an image. */
    public PackimageCommand command(String imageName) {
        PackimageCommand.Builder b = PackimageCommand.builder(Objects.requireNonNull(imageName, "image name"))
                .noSyncFiles(noSyncFiles);
        method.ifPresent(b::method);
        compressor.ifPresent(b::compressor);
        return b.build();
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
        String dir = RootimgDir.of(image);
        PackimageCommand pack = command(image.name());
        AtomicBoolean settled = new AtomicBoolean(!keepPrevious);
        if (keepPrevious) {
            ExecResult aside = context.check(Role.MN, Command.of("sh", "-c", KEEP_ASIDE, "crossgen-keep", dir));
            if (!aside.stdout().lines().isEmpty()) {
                context.note("kept the previous archive aside: " + String.join(", ", aside.stdout().lines()));
            }
            context.defer("restore the previous archive in " + dir + " unless packimage finished", c -> {
                if (!settled.get()) {
                    restore(c, dir);
                }
            });
        }
        ExecResult r = context.exec(Role.MN, pack.toCommand());
        if (context.planning()) {
            pack.archiveName().ifPresent(n -> context.note("the new archive is " + dir + "/" + n));
            String name = pack.archiveName().orElse(pack.archiveName(PackimageCommand.Compressor.GZIP));
            context.exec(Role.MN, Command.of("sh", "-c", VERIFY, "crossgen-verify", dir + "/" + name, dir));
            context.exec(Role.MN, Command.of("sh", "-c", DROP, "crossgen-drop", dir));
            settled.set(true);
            return;
        }
        PackimageResult result;
        try {
            if (!(r.exit() instanceof Exit.Exited exited)) {
                throw new ExecException(r);
            }
            try {
                result = pack.parseResult(r.stdout().text(), r.stderr().text(), exited.code());
            } catch (CommandException e) {
                throw BuildException.ofFailedCommand(e, r);
            }
            String archive = result.archivePath().orElseThrow(() -> new BuildException("packimage did not say which"
                    + " compressor it used, so the archive in " + dir + " is unknown"));
            ExecResult v = context.exec(Role.MN, Command.of("sh", "-c", VERIFY, "crossgen-verify", archive, dir));
            if (!v.isSuccess()) {
                throw new BuildException("packimage " + image.name() + " exited 0 but " + String.join("; ",
                        v.stdout().lines()));
            }
            for (String line : v.stdout().lines()) {
                context.warn(line + " (nodeset needs it: did genimage finish?)");
            }
        } catch (RuntimeException e) {
            if (keepPrevious) {
                restore(context, dir);
                settled.set(true);
            }
            throw e;
        }
        if (keepPrevious) {
            context.check(Role.MN, Command.of("sh", "-c", DROP, "crossgen-drop", dir));
            settled.set(true);
        }
    }

    private static void restore(StepContext context, String dir) throws InterruptedException {
        ExecResult r = context.exec(Role.MN, Command.of("sh", "-c", RESTORE, "crossgen-restore", dir));
        for (String line : r.stdout().lines()) {
            context.warn("packimage did not finish: " + line);
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
