package io.crossgen.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of {@code findmnt -rn -o TARGET,SOURCE,FSTYPE,OPTIONS}: where something is mounted, from where,
 * as what, with which options.
 *
 * <p>{@code findmnt -r} writes blanks and other unsafe characters as {@code \x20}-style escapes; {@link #parse}
 * decodes them.
 *
 * <pre>{@code
 * MountPoint m = MountPoint.parse("/install xcatmn:/install nfs4 rw,relatime,vers=4.2").orElseThrow();
 * m.readWrite();   // true
 * }</pre>
 *
 * @param target where it is mounted
 * @param source what is mounted, e.g. {@code xcatmn:/install} or {@code root@xcatmn:/install}
 * @param fstype e.g. {@code nfs4} or {@code fuse.sshfs}
 * @param options the mount options, comma-separated
 */
public record MountPoint(String target, String source, String fstype, String options) {

    static final java.util.Set<String> NETWORK_TYPES = java.util.Set.of("nfs", "nfs4", "cifs", "smb3",
            "smbfs", "fuse.sshfs", "sshfs", "glusterfs", "fuse.glusterfs", "lustre", "gpfs", "ceph", "fuse.ceph",
            "beegfs", "9p", "afs");

    public MountPoint {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fstype, "fstype");
        Objects.requireNonNull(options, "options");
    }

    /** The four fields of a {@code findmnt -rn -o TARGET,SOURCE,FSTYPE,OPTIONS} line; empty for a blank line. */
    public static Optional<MountPoint> parse(String line) {
        String[] f = line.strip().split(" +");
        if (line.isBlank() || f.length < 2) {
            return Optional.empty();
        }
        return Optional.of(new MountPoint(decode(f[0]), decode(f[1]), f.length > 2 ? decode(f[2]) : "",
                f.length > 3 ? decode(f[3]) : ""));
    }

    /** Every line of {@code findmnt -rn -o TARGET,SOURCE,FSTYPE,OPTIONS} output, in order. */
    public static List<MountPoint> parseAll(String text) {
        List<MountPoint> all = new ArrayList<>();
        for (String line : text.split("\n")) {
            parse(line).ifPresent(all::add);
        }
        return all;
    }

    /**
     * Whether this is a network file system (NFS, sshfs, CIFS, a cluster file system) rather than a local disk or
     * bind mount: its source names a server ({@code host:path}) or its type is one of those.
     */
    public boolean isNetwork() {
        return source.contains(":") || NETWORK_TYPES.contains(fstype);
    }

    /** Whether the options say read-write. */
    public boolean readWrite() {
        return List.of(options.split(",")).contains("rw");
    }

    /**
     * The host and path of a network source without the user: {@code root@xcatmn:/install/} reads
     * {@code xcatmn:/install}.
     */
    public String remote() {
        String s = source;
        int at = s.indexOf('@');
        int colon = s.indexOf(':');
        if (at >= 0 && (colon < 0 || at < colon)) {
            s = s.substring(at + 1);
        }
        while (s.endsWith("/") && s.length() > 1 && !s.endsWith(":/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Decodes findmnt's {@code \xHH} escapes. */
    static String decode(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.charAt(i + 1) == 'x'
                    && isHex(field, i + 2) && isHex(field, i + 3)) {
                bytes.write(Integer.parseInt(field.substring(i + 2, i + 4), 16));
                i += 3;
                continue;
            }
            flush(bytes, out);
            out.append(c);
        }
        flush(bytes, out);
        return out.toString();
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
    }

    private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            bytes.reset();
        }
    }
}
