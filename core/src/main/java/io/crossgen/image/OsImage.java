package io.crossgen.image;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An xCAT osimage definition: a name and its attributes, in the order they were given.
 *
 * <p>Immutable; {@link #withName}, {@link #with} and {@link #without} return copies. Unknown attributes
 * are kept and written back, never dropped.
 *
 * <pre>{@code
 * OsImage copy = image.withName("mycomputeimage")
 *         .with("rootimgdir", "/install/netboot/rhels8.8.0/ppc64le/mycomputeimage");
 * copy.osvers();   // Optional[rhels8.8.0]
 * }</pre>
 */
public final class OsImage {
    private final String name;
    private final Map<String, String> attributes;

    private OsImage(String name, Map<String, String> attributes) {
        this.name = name;
        this.attributes = Collections.unmodifiableMap(attributes);
    }

    /**
     * An image with the given name and attributes (copied, order kept). {@code objtype} and {@code imagename}
     * are not attributes of the image and are refused.
     *
     * @throws IllegalArgumentException when the name or an attribute name is empty or malformed
     */
    public static OsImage of(String name, Map<String, String> attributes) {
        Map<String, String> copy = new LinkedHashMap<>();
        attributes.forEach((k, v) -> copy.put(checkAttribute(name, k), Objects.requireNonNull(v, k)));
        return new OsImage(checkName(name), copy);
    }

    /** The image name (the stanza header, {@code imagename} in the tables). */
    public String name() {
        return name;
    }

    /** All attributes, in order. */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** One attribute's value; empty when unset. */
    public Optional<String> get(String attribute) {
        return Optional.ofNullable(attributes.get(attribute));
    }

    /** A copy under another name (the {@code sed 's/^[^ ]\+:/NEW:/'} of the manual procedure). */
    public OsImage withName(String newName) {
        return new OsImage(checkName(newName), new LinkedHashMap<>(attributes));
    }

    /** A copy with one attribute set; a new attribute goes last, an existing one keeps its place. */
    public OsImage with(String attribute, String value) {
        Map<String, String> copy = new LinkedHashMap<>(attributes);
        copy.put(checkAttribute(name, attribute), Objects.requireNonNull(value, attribute));
        return new OsImage(name, copy);
    }

    /** A copy without the attribute. */
    public OsImage without(String attribute) {
        Map<String, String> copy = new LinkedHashMap<>(attributes);
        copy.remove(attribute);
        return new OsImage(name, copy);
    }

    public Optional<String> osvers() {
        return get("osvers");
    }

    public Optional<String> osarch() {
        return get("osarch");
    }

    public Optional<String> profile() {
        return get("profile");
    }

    public Optional<String> provmethod() {
        return get("provmethod");
    }

    public Optional<String> rootimgdir() {
        return get("rootimgdir");
    }

    /** The pkglist files, split on commas, empty entries dropped. */
    public List<String> pkglist() {
        return list("pkglist");
    }

    /** The comma-separated values of an attribute, trimmed, empty entries dropped. */
    public List<String> list(String attribute) {
        return get(attribute).map(v -> java.util.Arrays.stream(v.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "image name");
        if (name.isBlank() || !name.equals(name.strip()) || name.contains("=") || name.contains(":")
                || name.contains("\n")) {
            throw new IllegalArgumentException("invalid osimage name '" + name
                    + "': it must be non-empty, without surrounding blanks, '=', ':' or line breaks");
        }
        return name;
    }

    private static String checkAttribute(String image, String attribute) {
        Objects.requireNonNull(attribute, "attribute name");
        if (!attribute.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("osimage '" + image + "': invalid attribute name '" + attribute + "'");
        }
        if (attribute.equals("objtype") || attribute.equals("imagename")) {
            throw new IllegalArgumentException("osimage '" + image + "': '" + attribute
                    + "' is part of the definition, not an attribute");
        }
        return attribute;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OsImage other && name.equals(other.name) && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, attributes);
    }

    @Override
    public String toString() {
        return "OsImage[" + name + ", " + attributes + "]";
    }
}
