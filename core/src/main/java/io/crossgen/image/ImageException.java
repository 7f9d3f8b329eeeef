package io.crossgen.image;

import io.crossgen.CrossgenException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An osimage definition could not be read, written or used: a stanza or YAML file is malformed, a value
 * cannot be written without {@code mkdef -z} misreading it, or the image cannot be built as it stands.
 *
 * <p>The message starts with the location when there is one ({@code compute.stanza:7: ...},
 * {@code images.yaml:3:7: ...}, or {@code line 7: ...} for text without a name) and always names the
 * image and attribute involved when they are known; the same facts are available as fields. Quoted input is
 * shortened, so messages stay bounded.
 *
 * <pre>{@code
 * try {
 *     StanzaCodec.read(Path.of("compute.stanza"));
 * } catch (ImageException e) {
 *     e.line();        // OptionalInt[7]
 *     e.image();       // Optional[compute]
 * }
 * }</pre>
 */
public class ImageException extends CrossgenException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_QUOTED = 120;

    private final String source;
    private final int line;
    private final int column;
    private final String image;
    private final String attribute;

    /**
     * An error about an image (and optionally one of its attributes) that has no file location.
     *
     * @param image the image name, or {@code null} when unknown
     * @param attribute the attribute name, or {@code null} when the error is not about one attribute
     * @param message the whole message, which should already name the image
     */
    public ImageException(String image, String attribute, String message) {
        this(null, 0, 0, image, attribute, message, null);
    }

    ImageException(String source, int line, int column, String image, String attribute, String detail,
            Throwable cause) {
        super(location(source, line, column) + detail, cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.image = image;
        this.attribute = attribute;
    }

    /** The file (or other named source) the definition came from; empty for unnamed text. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** The 1-based line of the offending input; empty when the error has no location. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** The 1-based column of the offending input (YAML only); empty when unknown. */
    public OptionalInt column() {
        return column > 0 ? OptionalInt.of(column) : OptionalInt.empty();
    }

    /** The image the error is about; empty when it happened outside any image. */
    public Optional<String> image() {
        return Optional.ofNullable(image);
    }

    /** The attribute the error is about; empty when it is not about one attribute. */
    public Optional<String> attribute() {
        return Optional.ofNullable(attribute);
    }

    private static String location(String source, int line, int column) {
        StringBuilder b = new StringBuilder();
        if (source != null) {
            b.append(source);
        } else if (line > 0) {
            b.append("line");
        }
        if (line > 0) {
            b.append(source != null ? ":" : " ").append(line);
            if (column > 0) {
                b.append(':').append(column);
            }
        }
        return b.length() == 0 ? "" : b.append(": ").toString();
    }

    /** {@code 'text'}, shortened to a bounded length with {@code ...} when longer. */
    static String quote(String text) {
        String t = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
        return "'" + t + "'";
    }
}
