package io.crossgen.transport;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link RemoteFiles#stat} found at a path on a host: type, size, permission bits, modification time and,
 * for a symbolic link, its target. The link itself is described, never what it points to.
 *
 * <pre>{@code
 * Optional<FileStat> s = files.stat("/install/netboot/compute.tgz");
 * boolean big = s.filter(FileStat::isFile).map(f -> f.size() > 1L << 30).orElse(false);
 * }</pre>
 *
 * @param path the path as asked for
 * @param type what kind of file it is
 * @param size its size in bytes (for a link: the length of its target)
 * @param mode the permission bits, including set-user-ID, set-group-ID and sticky ({@code 0..07777})
 * @param modified the last modification, to the second
 * @param linkTarget the target of a symbolic link, exactly as stored (may be relative); empty for other types
 */
public record FileStat(String path, Type type, long size, int mode, Instant modified, Optional<String> linkTarget) {

    /** The kinds of file told apart. */
    public enum Type {
        /** A regular file. */
        FILE,
        /** A folder. */
        DIRECTORY,
        /** A symbolic link (not followed). */
        SYMLINK,
        /** A device, FIFO or socket. */
        OTHER
    }

    public FileStat {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(modified, "modified");
        Objects.requireNonNull(linkTarget, "linkTarget");
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode must be within 0..07777, not " + Integer.toOctalString(mode));
        }
        if (linkTarget.isPresent() != (type == Type.SYMLINK)) {
            throw new IllegalArgumentException("a link target belongs to a symbolic link only");
        }
    }

    /** Whether it is a regular file. */
    public boolean isFile() {
        return type == Type.FILE;
    }

    /** Whether it is a folder. */
    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    /** Whether it is a symbolic link. */
    public boolean isSymlink() {
        return type == Type.SYMLINK;
    }

    /** The permission bits in octal, four digits: {@code 0755}. */
    public String octalMode() {
        return String.format("%04o", mode);
    }
}
