package io.crossgen.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run of xCAT's {@code packimage} on the management node:
 * {@code packimage [-m cpio|tar|squashfs] [-c gzip|pigz|xz] [--nosyncfiles] <osimage>}.
 *
 * <pre>{@code
 * PackimageCommand pack = PackimageCommand.builder("mycomputeimage").compressor(Compressor.XZ).build();
 * pack.toArgv();          // [packimage, -c, xz, mycomputeimage]
 * pack.archiveName();     // Optional[rootimg.cpio.xz]
 * PackimageResult r = pack.parseResult(stdout, stderr, exitCode);
 * r.archivePath();        // Optional[/install/netboot/rhels8.8.0/ppc64le/compute/rootimg.cpio.xz]
 * }</pre>
 *
 * <p>Pitfall: without {@code -c}, packimage picks {@code pigz} when the MN has it, else {@code gzip}; the
 * archive name is then known only from the {@code compress method:} line of its output, so
 * {@link #archiveName()} is empty and {@link PackimageResult#archivePath()} carries the answer. The obsolete
 * {@code -o/-p/-a} options are not modelled: since xCAT 2.12.3 packimage refuses them.
 */
public final class PackimageCommand {
    private static final Pattern PACKING = Pattern.compile("^Packing contents of (.+)$");
    private static final Pattern ARCHIVE = Pattern.compile("^archive method:\\s*(.*)$");
    private static final Pattern COMPRESS = Pattern.compile("^compress method:\\s*(.*)$");

    /** packimage's {@code -m}. */
    public enum Method {
        /** {@code rootimg.cpio.<gz|xz>}; xCAT's default. */
        CPIO,
        /** {@code rootimg.tar.<gz|xz>}. */
        TAR,
        /** {@code rootimg.sfs}; takes no compressor, needs mksquashfs on the MN. */
        SQUASHFS;

        /** The word packimage uses, e.g. {@code cpio}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The method with this word; empty when there is none. */
        public static Optional<Method> fromWord(String word) {
            for (Method m : values()) {
                if (m.word().equals(word)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /** packimage's {@code -c}. */
    public enum Compressor {
        /** {@code .gz}. */
        GZIP("gz"),
        /** Parallel gzip: the file is a {@code .gz} too. */
        PIGZ("gz"),
        /** {@code .xz}. */
        XZ("xz");

        private final String suffix;

        Compressor(String suffix) {
            this.suffix = suffix;
        }

        /** The word packimage uses, e.g. {@code pigz}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The file name suffix, without the dot: {@code gz} or {@code xz}. */
        public String suffix() {
            return suffix;
        }

        /** The compressor with this word; empty when there is none. */
        public static Optional<Compressor> fromWord(String word) {
            for (Compressor c : values()) {
                if (c.word().equals(word)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    private final String imageName;
    private final Optional<Method> method;
    private final Optional<Compressor> compressor;
    private final boolean noSyncFiles;

    private PackimageCommand(Builder b) {
        this.imageName = b.imageName;
        this.method = Optional.ofNullable(b.method);
        this.compressor = Optional.ofNullable(b.compressor);
        this.noSyncFiles = b.noSyncFiles;
    }

    /** {@code packimage <imageName>} with xCAT's defaults. */
    public static PackimageCommand of(String imageName) {
        return builder(imageName).build();
    }

    /** A builder for the given osimage. */
    public static Builder builder(String imageName) {
        return new Builder(imageName);
    }

    /** A builder holding this command's values. */
    public Builder toBuilder() {
        Builder b = new Builder(imageName);
        b.method = method.orElse(null);
        b.compressor = compressor.orElse(null);
        b.noSyncFiles = noSyncFiles;
        return b;
    }

    /** The osimage to pack. */
    public String imageName() {
        return imageName;
    }

    /** {@code -m}; empty means xCAT's default, cpio. */
    public Optional<Method> method() {
        return method;
    }

    /** The method packimage will use: {@link #method()} or cpio. */
    public Method effectiveMethod() {
        return method.orElse(Method.CPIO);
    }

    /** {@code -c}; empty means pigz when the MN has it, else gzip. */
    public Optional<Compressor> compressor() {
        return compressor;
    }

    /** {@code --nosyncfiles}: skip the synclists. */
    public boolean noSyncFiles() {
        return noSyncFiles;
    }

    /** {@code packimage [-m M] [-c C] [--nosyncfiles] <image>}. */
    public List<String> toArgv() {
        List<String> argv = new ArrayList<>();
        argv.add("packimage");
        method.ifPresent(m -> argv.addAll(List.of("-m", m.word())));
        compressor.ifPresent(c -> argv.addAll(List.of("-c", c.word())));
        if (noSyncFiles) {
            argv.add("--nosyncfiles");
        }
        argv.add(imageName);
        return argv;
    }

    /** {@link #toArgv()} as a {@link Command}. */
    public Command toCommand() {
        return Command.of(toArgv()).asProcedure().asXcatCall();
    }

    /**
     * The archive file name, when the command alone decides it: {@code rootimg.sfs} for squashfs, otherwise
     * {@code rootimg.<method>.<gz|xz>} when {@code -c} is given; empty when packimage picks the compressor.
     */
    public Optional<String> archiveName() {
        Method m = effectiveMethod();
        if (m == Method.SQUASHFS) {
            return Optional.of(archiveName(m, null));
        }
        return compressor.map(c -> archiveName(m, c));
    }

    /**
     * The archive file name given the compressor packimage reported using, e.g. {@code rootimg.cpio.gz} for
     * {@code pigz}. For squashfs it is {@code rootimg.sfs} whatever {@code actual} is.
     */
    public String archiveName(Compressor actual) {
        Method m = effectiveMethod();
        return archiveName(m, m == Method.SQUASHFS ? null : Objects.requireNonNull(actual, "actual"));
    }

    static String archiveName(Method m, Compressor c) {
        return m == Method.SQUASHFS ? "rootimg.sfs" : "rootimg." + m.word() + "." + c.suffix();
    }

    /** Parses the output of a run that exited 0 with nothing on stderr; see {@link #parseResult(String, String, int)}. */
    public PackimageResult parseResult(String stdout) {
        return parseResult(stdout, "", 0);
    }

    /**
     * Reads what a finished run of this command printed.
     *
     * <p>Success needs exit 0, no {@code Error:} line and a {@code Packing contents of <rootimg>} line; the
     * {@code archive method:} and {@code compress method:} lines give method and compressor (missing lines fall
     * back to what the command asked for). Lines may carry a {@code [host]: } prefix.
     *
     * @throws CommandException when packimage failed, with xCAT's message and what to do, e.g.
     *     {@code packimage img failed (exit 1): Command pigz does not exist, please make sure it is installed.
     *     (install pigz on the management node, or pass -c gzip)}; when the output holds no
     *     {@code Packing contents of} line (quoting what was printed); when it names a method or compressor
     *     crossgen does not know, or another one than the command asked for
     */
    public PackimageResult parseResult(String stdout, String stderr, int exitCode) {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        String what = "packimage " + imageName;
        XcatOutput.check(what, stdout, stderr, exitCode, PackimageCommand::hint);
        String rootimg = null;
        String methodWord = null;
        String compressWord = null;
        List<String> messages = new ArrayList<>();
        for (String raw : stdout.split("\r?\n|\r", -1)) {
            String line = XcatOutput.unprefixed(raw);
            Matcher m;
            if (line.isEmpty()) {
                continue;
            } else if (rootimg == null && (m = PACKING.matcher(line)).matches()) {
                rootimg = m.group(1).strip();
            } else if (methodWord == null && (m = ARCHIVE.matcher(line)).matches()) {
                methodWord = m.group(1).strip();
            } else if (compressWord == null && (m = COMPRESS.matcher(line)).matches()) {
                compressWord = m.group(1).strip();
            } else {
                messages.add(line);
            }
        }
        if (rootimg == null) {
            throw new CommandException(what + " printed no 'Packing contents of <rootimg>' line; it printed:"
                    + CommandException.excerpt(stdout));
        }
        Method reportedMethod = effectiveMethod();
        if (methodWord != null) {
            String word = methodWord;
            reportedMethod = Method.fromWord(word).orElseThrow(() -> new CommandException(what
                    + " reports archive method '" + word + "', which crossgen does not know (cpio, tar, squashfs)"));
            if (method.isPresent() && method.get() != reportedMethod) {
                throw new CommandException(what + " was asked for -m " + method.get().word()
                        + " but reports archive method:" + word);
            }
        }
        Optional<Compressor> reportedCompressor = reportedMethod == Method.SQUASHFS ? Optional.empty() : compressor;
        if (compressWord != null && reportedMethod != Method.SQUASHFS) {
            String word = compressWord;
            Compressor c = Compressor.fromWord(word).orElseThrow(() -> new CommandException(what
                    + " reports compress method '" + word + "', which crossgen does not know (gzip, pigz, xz)"));
            if (compressor.isPresent() && compressor.get() != c) {
                throw new CommandException(what + " was asked for -c " + compressor.get().word()
                        + " but reports compress method:" + word);
            }
            reportedCompressor = Optional.of(c);
        }
        return new PackimageResult(rootimg, reportedMethod, reportedCompressor, messages);
    }

    /** What to do about a known packimage failure text. */
    static Optional<String> hint(String xcatMessage) {
        String m = xcatMessage;
        if (m.contains("options are obsoleted") || m.contains("An image name is required")) {
            return Optional.of("since xCAT 2.12.3 packimage takes only the osimage name: packimage <osimage>");
        }
        if (m.contains("Invalid archive method")) {
            return Optional.of("-m takes cpio, tar or squashfs");
        }
        if (m.contains("Invalid compress method")) {
            return Optional.of("-c takes gzip, pigz or xz");
        }
        if (m.contains("Command pigz does not exist")) {
            return Optional.of("install pigz on the management node, or pass -c gzip");
        }
        if (m.contains("specify an available compress method")) {
            return Optional.of("neither pigz nor gzip was found on the management node; install one, or pass -c xz");
        }
        if (m.contains("failed to acquire lock")) {
            return Optional.of("another genimage, packimage or rmimage works on the same root image; wait for it,"
                    + " or remove a stale lock under /var/lock/xcat");
        }
        if (m.contains("packimage failed while running")) {
            return Optional.of("the archiver failed on the management node; run the command shown there to see why");
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackimageCommand other && imageName.equals(other.imageName)
                && method.equals(other.method) && compressor.equals(other.compressor)
                && noSyncFiles == other.noSyncFiles;
    }

    @Override
    public int hashCode() {
        return Objects.hash(imageName, method, compressor, noSyncFiles);
    }

    /** {@code packimage ...} quoted by {@link Shell}. */
    @Override
    public String toString() {
        return Shell.join(toArgv());
    }

    /** Builds a {@link PackimageCommand}; {@link #build()} validates. */
    public static final class Builder {
        private final String imageName;
        private Method method;
        private Compressor compressor;
        private boolean noSyncFiles;

        private Builder(String imageName) {
            this.imageName = imageName;
        }

        /** {@code -m}, or {@code null} for xCAT's default (cpio). */
        public Builder method(Method m) {
            this.method = m;
            return this;
        }

        /** {@code -c}, or {@code null} to let packimage pick (pigz, else gzip). */
        public Builder compressor(Compressor c) {
            this.compressor = c;
            return this;
        }

        /** {@code --nosyncfiles}. */
        public Builder noSyncFiles(boolean on) {
            this.noSyncFiles = on;
            return this;
        }

        /**
         * Builds the command.
         *
         * @throws IllegalArgumentException when the image name is missing, empty or starts with {@code -}, or
         *     when squashfs is combined with a compressor
         */
        public PackimageCommand build() {
            if (imageName == null || imageName.isEmpty()) {
                throw new IllegalArgumentException(
                        "packimage needs an osimage name: since xCAT 2.12.3 it takes only 'packimage <osimage>'");
            }
            if (imageName.startsWith("-")) {
                throw new IllegalArgumentException("packimage image name '" + imageName
                        + "' starts with '-': packimage would read it as an option");
            }
            if (method == Method.SQUASHFS && compressor != null) {
                throw new IllegalArgumentException("packimage -m squashfs takes no -c: a squashfs image (rootimg.sfs)"
                        + " is not compressed by packimage, so -c " + compressor.word() + " has no effect");
            }
            return new PackimageCommand(this);
        }
    }
}
