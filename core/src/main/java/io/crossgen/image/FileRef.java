package io.crossgen.image;

import java.util.Objects;

/**
 * A file or directory an osimage names, with the attribute that names it and who reads it.
 *
 * <p>{@code path} is as written in the attribute, with the {@code dud:}/{@code rpm:} or {@code s:}/{@code d:}/
 * {@code c:} prefix removed and, for {@code postinstall}, only the script (the first word). URLs are never
 * file references. {@link #usage()} is {@link Usage#BUILDER} when genimage on the builder reads the path,
 * even if another, management-node-only attribute names the same path too.
 *
 * <pre>{@code
 * new FileRef("/custom/compute.pkglist", Attribute.PKGLIST, Usage.BUILDER).isDirectory();   // false
 * }</pre>
 *
 * @param path the path as written (an absolute path in any sane definition)
 * @param attribute the first attribute, in the image's order, that names the path
 * @param usage who needs the path
 */
public record FileRef(String path, Attribute attribute, Usage usage) {
    /** Checks that no component is null or the path empty. */
    public FileRef {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(usage, "usage");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty path for attribute " + attribute);
        }
    }

    /** Whether the path is a directory (kerneldir, cfmdir, the local pkgdir and otherpkgdir entries). */
    public boolean isDirectory() {
        return attribute.kind().isDirectory();
    }
}
