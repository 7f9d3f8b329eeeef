/**
 * xCAT osimage definitions: the {@link io.crossgen.image.OsImage} value, the {@link io.crossgen.image.Attribute}
 * catalogue, and the stanza ({@code lsdef -z} / {@code mkdef -z}) and YAML codecs.
 *
 * <pre>{@code
 * OsImage seed = StanzaCodec.readOne(lsdefOutput, "lsdef -z rhels8.8.0-ppc64le-netboot-compute");
 * OsImage mine = seed.withName("mycomputeimage")
 *         .with(Attribute.ROOTIMGDIR, "/install/netboot/rhels8.8.0/ppc64le/mycomputeimage")
 *         .requireValidForStateless();
 * String forMkdef = StanzaCodec.write(mine);
 * List<FileRef> toCopy = mine.externalFiles("/install", "/opt/xcat").stream()
 *         .filter(f -> f.usage() == Usage.BUILDER).toList();
 * }</pre>
 */
package io.crossgen.image;
