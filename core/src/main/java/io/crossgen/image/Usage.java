package io.crossgen.image;

/**
 * Where an osimage attribute is used: by the per-distro {@code genimage} script on the builder, or only by
 * the management node (packimage, nodeset, updatenode, the xCAT tables).
 *
 * <p>This decides what a cross build must make available on the builder: files of {@link #BUILDER}
 * attributes must exist there (through the {@code /install} mount or by copying), files of
 * {@link #MANAGEMENT_NODE} attributes need no copying.
 *
 * <pre>{@code
 * image.externalFiles("/install", "/opt/xcat").stream().filter(f -> f.usage() == Usage.BUILDER).toList();
 * }</pre>
 */
public enum Usage {
    /** genimage on the builder reads it (pkglist, otherpkglist, postinstall scripts, driverupdatesrc, ...). */
    BUILDER,
    /** Only the management node uses it (exlist, synclists, template, partitionfile, descriptive values). */
    MANAGEMENT_NODE
}
