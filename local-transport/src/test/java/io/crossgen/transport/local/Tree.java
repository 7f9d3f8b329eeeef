package io.crossgen.transport.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A full listing of a tree (path, type, mode, link target, content hash, file mtime) for comparing copies. */
final class Tree {
    private Tree() {
    }

    static Map<String, String> list(Path root) throws IOException {
        Map<String, String> listing = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String rel = root.relativize(p).toString();
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String entry;
                if (a.isSymbolicLink()) {
                    entry = "link -> " + Files.readSymbolicLink(p);
                } else if (a.isDirectory()) {
                    entry = "dir " + PosixFilePermissions.toString(a.permissions());
                } else {
                    entry = "file " + PosixFilePermissions.toString(a.permissions()) + " " + sha256(p) + " "
                            + a.lastModifiedTime().toMillis() / 1000;
                }
                listing.put(rel.isEmpty() ? "." : rel, entry);
            }
        }
        return listing;
    }

    static void chmod(Path p, String mode) throws IOException {
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString(mode);
        Files.setPosixFilePermissions(p, perms);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
