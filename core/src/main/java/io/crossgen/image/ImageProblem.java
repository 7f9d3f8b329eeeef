package io.crossgen.image;

import java.util.Objects;

/**
 * One reason an osimage cannot be built as it stands, found by {@link OsImage#validateForStateless()}.
 *
 * <p>The message names the attribute and says what genimage would do with it; {@link #toString()} prefixes
 * the image name.
 *
 * <pre>{@code
 * image.validateForStateless().forEach(p -> log.warn("{}", p));
 * // osimage 'x': pkglist is not set; genimage needs at least one .pkglist file
 * }</pre>
 *
 * @param image the image name
 * @param attribute the attribute at fault
 * @param message what is wrong, without the image name
 */
public record ImageProblem(String image, String attribute, String message) {
    /** Checks that no component is null. */
    public ImageProblem {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(message, "message");
    }

    /** {@code osimage 'NAME': MESSAGE}. */
    @Override
    public String toString() {
        return "osimage '" + image + "': " + message;
    }
}
