package io.crossgen.command;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a successful {@code packimage} reported: the root image it packed, how, and so where the archive is.
 *
 * <p>Parsed from output such as
 * <pre>
 * Packing contents of /install/netboot/centos7.6/x86_64/compute/rootimg
 * archive method:cpio
 * compress method:gzip
 * </pre>
 * which gives the archive {@code /install/netboot/centos7.6/x86_64/compute/rootimg.cpio.gz}. See
 * {@link PackimageCommand#parseResult(String, String, int)}.
 *
 * @param rootimg the packed folder, {@code <rootimgdir>/rootimg}
 * @param method the archive method
 * @param compressor the compressor; empty for squashfs, and when neither the command nor the output named one
 * @param messages the other lines packimage printed (info lines, archiver output), at most
 *     {@value #MAX_MESSAGES}
 */
public record PackimageResult(String rootimg, PackimageCommand.Method method,
        Optional<PackimageCommand.Compressor> compressor, List<String> messages) {

    /** How many other lines are kept. */
    public static final int MAX_MESSAGES = 20;

    public PackimageResult {
        Objects.requireNonNull(rootimg, "rootimg");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(compressor, "compressor");
        messages = List.copyOf(messages.size() > MAX_MESSAGES ? messages.subList(0, MAX_MESSAGES) : messages);
    }

    /** The folder holding {@code rootimg} and the archive: {@link #rootimg()} without its last part. */
    public String rootimgdir() {
        String dir = rootimg.endsWith("/") ? rootimg.substring(0, rootimg.length() - 1) : rootimg;
        int slash = dir.lastIndexOf('/');
        return slash <= 0 ? "/" : dir.substring(0, slash);
    }

    /** {@code rootimg.cpio.gz}, {@code rootimg.tar.xz}, {@code rootimg.sfs}, ...; empty when the compressor is unknown. */
    public Optional<String> archiveName() {
        if (method == PackimageCommand.Method.SQUASHFS) {
            return Optional.of(PackimageCommand.archiveName(method, null));
        }
        return compressor.map(c -> PackimageCommand.archiveName(method, c));
    }

    /** The archive's full path on the management node; empty when the compressor is unknown. */
    public Optional<String> archivePath() {
        String dir = rootimgdir();
        return archiveName().map(n -> (dir.equals("/") ? "" : dir) + "/" + n);
    }
}
