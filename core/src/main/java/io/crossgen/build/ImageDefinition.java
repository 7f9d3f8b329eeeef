package io.crossgen.build;

import io.crossgen.image.OsImage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An osimage definition as a plain record (name and ordered attributes), so a resumed run restores it from
 * the previous run's report; {@link BuildKeys#image} turns it back into an {@link OsImage}.
 *
 * @param name the image name
 * @param attributes the attributes, in order
 */
public record ImageDefinition(String name, Map<String, String> attributes) {

    public ImageDefinition {
        Objects.requireNonNull(name, "name");
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** The definition of an image. */
    public static ImageDefinition of(OsImage image) {
        return new ImageDefinition(image.name(), image.attributes());
    }

    /** The image. */
    public OsImage toImage() {
        return OsImage.of(name, attributes);
    }
}
