package io.crossgen.image;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads and writes the xCAT stanza format of {@code lsdef -t osimage -z} and {@code mkdef -z}.
 *
 * <p><b>Reading</b> accepts everything {@code mkdef -z} accepts and means the same by it: blank lines and
 * lines whose first non-blank character is {@code #} are skipped (there are no inline comments); a line
 * whose last non-blank character is {@code :} is a header naming an object (everything before the last
 * {@code :}, trimmed; indentation allowed); {@code attr=value} splits at the first {@code =}, both sides
 * trimmed, then one leading and one trailing {@code "} (with the blanks next to them) are removed; a repeated
 * attribute keeps its last value; an empty value unsets the attribute; a file holds any number of objects.
 * Lines may end in CR LF; a leading byte order mark is ignored.
 *
 * <p>Defaults stanzas are exactly the names xCAT's {@code readFileInput} treats as such: {@code default-X}
 * with no further {@code -} in X (defaults for objects of type X), and {@code default} (more defaults for the
 * type of the last {@code default-X}). {@code default-osimage} values are applied to each later object when
 * its {@code objtype=} line is read; defaults of other types are read and ignored. Any other name, even one
 * containing "default" ({@code rhels7-ppc64-default-compute}, {@code mydefault}, {@code default-a-b}), is an
 * ordinary object.
 *
 * <p>An attribute line whose value ends in {@code :} ({@code usercomment=see note:}) is read as the attribute
 * lsdef printed. Beware that {@code mkdef -z} reads such a line differently (an invalid header: it drops the
 * rest of the stanza); {@link #write} therefore refuses such values, and {@link #headerLikeValues} lists them so
 * that they can be set with {@code chdef} after {@code mkdef -z} instead.
 *
 * <p>Where {@code mkdef -z} would silently drop or misread part of the input, reading fails with an
 * {@link ImageException} that names the source and line: a line with no {@code =} that is no header, a header
 * whose name contains {@code =} (and that is no attribute line), an attribute before any header, an object
 * without {@code objtype=} or of a type other than {@code osimage}, the same object twice (mkdef merges them),
 * and an attribute given before {@code objtype=} that a default would overwrite.
 *
 * <p><b>Writing</b> produces exactly what {@code lsdef -z} prints: the line
 * {@code # <xCAT data object stanza file>}, then for each image a blank line, {@code NAME:},
 * {@code     objtype=osimage}, and the attributes with a non-empty value sorted by name, each as
 * {@code     attr=value}. So reading {@code lsdef -z} output and writing it back gives the same bytes. A value
 * that {@code mkdef -z} would read differently (a line break, blanks or {@code "} at either end, a final
 * {@code :}) is refused with an {@link ImageException} naming the image and attribute, as is a name that
 * starts with {@code #} or that mkdef would read as a defaults stanza ({@code default}, {@code default-X}).
 *
 * <pre>{@code
 * OsImage image = StanzaCodec.readOne(lsdefOutput, "lsdef -z rhels8.8.0-ppc64le-netboot-compute");
 * String stanza = StanzaCodec.write(image.withName("mycomputeimage"));   // feed to mkdef -z
 * }</pre>
 */
public final class StanzaCodec {
    /** The first line {@code lsdef -z} prints. */
    public static final String HEADER = "# <xCAT data object stanza file>";

    private static final String OBJTYPE = "osimage";
    private static final String DEFAULTS = "default-osimage";
    private static final Pattern DEFAULTS_NAME = Pattern.compile("default(?:-([^-]+))?");
    private static final Pattern ATTRIBUTE_LINE = Pattern.compile("[ \\t\\r\\f\\x0B]*[A-Za-z][A-Za-z0-9_]*[ \\t\\r\\f\\x0B]*=.*");

    private StanzaCodec() {
    }

    /** Reads every osimage in stanza text that has no file name (errors say {@code line N}). */
    public static List<OsImage> read(String text) {
        return read(text, null);
    }

    /**
     * Reads every osimage in stanza text, in file order.
     *
     * @param source the name errors give for the text (a file name or a command), or {@code null}
     * @throws ImageException at the first line {@code mkdef -z} would reject, drop or misread
     */
    public static List<OsImage> read(String text, String source) {
        return new Parser(source).parse(Objects.requireNonNull(text, "text"));
    }

    /**
     * Reads every osimage from a reader, which is read to its end and not closed.
     *
     * @throws ImageException when reading fails or the text is not a valid stanza file
     */
    public static List<OsImage> read(Reader reader, String source) {
        StringWriter text = new StringWriter();
        try {
            reader.transferTo(text);
        } catch (IOException e) {
            throw new ImageException(source, 0, 0, null, null, "cannot read: " + e, e);
        }
        return read(text.toString(), source);
    }

    /**
     * Reads every osimage in a UTF-8 file; errors name the file as the path was given.
     *
     * @throws ImageException when the file cannot be read or is not a valid stanza file
     */
    public static List<OsImage> read(Path path) {
        String source = path.toString();
        try {
            return read(Files.readString(path, StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new ImageException(source, 0, 0, null, null, "cannot read: " + e, e);
        }
    }

    /**
     * Reads stanza text that must hold exactly one osimage, such as the output of {@code lsdef -z NAME}.
     *
     * @throws ImageException when the text is invalid or holds no image or several
     */
    public static OsImage readOne(String text, String source) {
        return one(read(text, source), source);
    }

    /**
     * Reads a UTF-8 file that must hold exactly one osimage, such as a definition saved with {@code lsdef -z}.
     *
     * @throws ImageException naming the file when it cannot be read, is invalid, or holds no image or several
     */
    public static OsImage readOne(Path path) {
        return one(read(path), path.toString());
    }

    private static OsImage one(List<OsImage> images, String source) {
        if (images.size() != 1) {
            throw new ImageException(source, 0, 0, null, null,
                    "expected exactly one osimage, found " + images.size(), null);
        }
        return images.get(0);
    }

    /** The stanza for one image, as {@code lsdef -z} prints it; see {@link #write(Collection)}. */
    public static String write(OsImage image) {
        return write(List.of(image));
    }

    /**
     * The stanza for the images, in the given order, exactly as {@code lsdef -z} prints them.
     *
     * @throws ImageException when a name or value cannot be written so that {@code mkdef -z} reads it back
     *     unchanged
     */
    public static String write(Collection<OsImage> images) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (OsImage image : images) {
            String name = image.name();
            if (name.startsWith("#")) {
                throw new ImageException(name, null, "osimage '" + name
                        + "': a name starting with '#' would be a comment line to mkdef -z");
            }
            if (isDefaultsName(name)) {
                throw new ImageException(name, null, defaultsNameProblem(name));
            }
            out.append('\n').append(name).append(":\n    objtype=").append(OBJTYPE).append('\n');
            List<String> names = new ArrayList<>(image.attributes().keySet());
            names.sort(StanzaCodec::compareCodePoints);
            for (String attribute : names) {
                String value = image.attributes().get(attribute);
                if (value.isEmpty()) {
                    continue;
                }
                checkWritable(name, attribute, value);
                out.append("    ").append(attribute).append('=').append(value).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Whether mkdef -z reads a stanza of this name as defaults, not as an object: {@code default}, or
     * {@code default-X} where X holds no {@code -} ({@code readFileInput}). {@code default-a-b},
     * {@code mydefault} and {@code rhels7-ppc64-default-compute} are ordinary names.
     */
    public static boolean isDefaultsName(String name) {
        return DEFAULTS_NAME.matcher(name).matches();
    }

    /** Why an image cannot be named so; see {@link #isDefaultsName}. */
    public static String defaultsNameProblem(String name) {
        return "osimage '" + name + "': xCAT's mkdef -z reads a stanza named 'default' or 'default-X' (X without"
                + " '-') as defaults for other objects, not as an object, so such an image cannot be defined"
                + " through a stanza; choose another name";
    }

    /**
     * The attributes whose value ends in {@code :}, in the image's order: {@code mkdef -z} takes such a line for
     * an invalid header and drops the rest of the stanza (XCAT.md 3.2), so {@link #write} refuses them. Define
     * the image without them, then set them with {@code chdef -t osimage -o NAME attr=value}, which takes the
     * value as it is.
     */
    public static Map<String, String> headerLikeValues(OsImage image) {
        Map<String, String> out = new LinkedHashMap<>();
        image.attributes().forEach((attribute, value) -> {
            if (value.endsWith(":")) {
                out.put(attribute, value);
            }
        });
        return out;
    }

    private static void checkWritable(String image, String attribute, String value) {
        String why = null;
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            why = "contains a line break; stanza values are single lines";
        } else if (isSpace(value.charAt(0)) || isSpace(value.charAt(value.length() - 1))) {
            why = "starts or ends with white space, which mkdef -z would trim";
        } else if (value.startsWith("\"") || value.endsWith("\"")) {
            why = "starts or ends with '\"', which mkdef -z would strip";
        } else if (value.endsWith(":")) {
            why = "ends in ':', so mkdef -z would take the line for an object header and drop the rest of the"
                    + " stanza (leave it out and set it with chdef afterwards; see StanzaCodec.headerLikeValues)";
        }
        if (why != null) {
            throw new ImageException(image, attribute, "osimage '" + image + "': value of '" + attribute + "' "
                    + why + ": " + ImageException.quote(value));
        }
    }

    /** Perl's {@code sort}: by code points (equal to UTF-8 byte order), not by UTF-16 units. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Perl's {@code \s} on byte strings. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** One object being read. */
    private static final class Pending {
        final String name;
        final int line;
        final Map<String, String> attributes = new LinkedHashMap<>();
        final Map<String, Integer> explicit = new HashMap<>();
        boolean typed;

        Pending(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    /** {@code readFileInput} of xCAT's DBobjUtils.pm, with errors where it would go astray. */
    private static final class Parser {
        private final String source;
        private final List<OsImage> images = new ArrayList<>();
        private final Map<String, Integer> seen = new HashMap<>();
        private final Map<String, String> defaults = new LinkedHashMap<>();
        private Pending current;
        private boolean inDefaults;
        /** The type of the last {@code default-X} header ({@code default} adds to it); null before any. */
        private String defaultsType;
        private int line;

        Parser(String source) {
            this.source = source;
        }

        List<OsImage> parse(String text) {
            String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                line = i + 1;
                parseLine(lines[i]);
            }
            finish();
            return List.copyOf(images);
        }

        private void parseLine(String raw) {
            String text = strip(raw);
            if (text.isEmpty() || text.startsWith("#")) {
                return;
            }
            if (text.endsWith(":") && !isAttributeOfOpenStanza(text)) {
                header(text);
                return;
            }
            int eq = text.indexOf('=');
            if (eq < 0) {
                throw error(current != null ? current.name : null,
                        "line has no '=' and does not end in ':' (mkdef -z would ignore the rest of "
                        + (current != null ? "osimage '" + current.name + "'" : "the stanza") + "): "
                        + ImageException.quote(text));
            }
            if (current == null && !inDefaults) {
                throw error(null, "attribute line before any 'name:' header: " + ImageException.quote(text));
            }
            String attribute = strip(text.substring(0, eq));
            String value = unquote(strip(text.substring(eq + 1)));
            String image = inDefaults ? DEFAULTS : current.name;
            if (attribute.isEmpty()) {
                throw error(image, "attribute name is empty in " + ImageException.quote(text));
            }
            if (inDefaults && !OBJTYPE.equals(defaultsType)) {
                return; // defaults for another object type (or 'default:' before any 'default-X:'): no osimage's
            }
            if (attribute.equals("objtype")) {
                objtype(image, value);
                return;
            }
            try {
                OsImage.of(image.equals(DEFAULTS) ? "defaults" : image, Map.of(attribute, value));
            } catch (IllegalArgumentException e) {
                throw new ImageException(source, line, 0, image, attribute, e.getMessage(), e);
            }
            Map<String, String> target = inDefaults ? defaults : current.attributes;
            if (value.isEmpty()) {
                target.remove(attribute);
            } else {
                target.put(attribute, value);
            }
            if (!inDefaults) {
                current.explicit.put(attribute, line);
            }
        }

        /** {@code attr=value:} inside a stanza: the attribute lsdef printed, not a header (see the class doc). */
        private boolean isAttributeOfOpenStanza(String text) {
            return (current != null || inDefaults) && ATTRIBUTE_LINE.matcher(text).matches();
        }

        private void header(String text) {
            String name = strip(text.substring(0, text.lastIndexOf(':')));
            if (name.contains("=")) {
                if (ATTRIBUTE_LINE.matcher(text).matches()) {
                    throw error(null, "attribute line before any 'name:' header: " + ImageException.quote(text));
                }
                throw error(null, "header " + ImageException.quote(text) + " has '=' in the object name;"
                        + " mkdef -z would skip everything up to the next header");
            }
            finish();
            java.util.regex.Matcher d = DEFAULTS_NAME.matcher(name);
            if (d.matches()) {
                if (d.group(1) != null) {
                    defaultsType = d.group(1);
                }
                inDefaults = true;
                return;
            }
            if (name.isEmpty()) {
                throw error(null, "header ':' has no object name");
            }
            try {
                OsImage.of(name, Map.of());
            } catch (IllegalArgumentException e) {
                throw new ImageException(source, line, 0, name, null, e.getMessage(), e);
            }
            Integer first = seen.putIfAbsent(name, line);
            if (first != null) {
                throw error(name, "osimage '" + name + "' is defined twice (first at line " + first
                        + "); mkdef -z would merge the two");
            }
            current = new Pending(name, line);
        }

        private void objtype(String image, String value) {
            if (!value.equals(OBJTYPE)) {
                throw new ImageException(source, line, 0, image, "objtype", "object '" + image + "' has objtype "
                        + ImageException.quote(value) + "; only osimage definitions can be read", null);
            }
            if (inDefaults) {
                return;
            }
            for (Map.Entry<String, String> d : defaults.entrySet()) {
                Integer at = current.explicit.get(d.getKey());
                String given = current.attributes.get(d.getKey());
                if (at != null && !d.getValue().equals(given)) {
                    throw new ImageException(source, line, 0, image, d.getKey(), "osimage '" + image + "': '"
                            + d.getKey() + "' (line " + at + ") comes before 'objtype=' and mkdef -z would"
                            + " replace it with the " + DEFAULTS + " value; put 'objtype=' first", null);
                }
                current.attributes.put(d.getKey(), d.getValue());
            }
            current.typed = true;
        }

        private void finish() {
            if (current != null) {
                if (!current.typed) {
                    throw new ImageException(source, current.line, 0, current.name, "objtype", "osimage '"
                            + current.name + "' has no 'objtype=osimage' line (mkdef -z: \"No type was provided"
                            + " for object '" + current.name + "'.\")", null);
                }
                images.add(OsImage.of(current.name, current.attributes));
            }
            current = null;
            inDefaults = false;
        }

        private ImageException error(String image, String detail) {
            return new ImageException(source, line, 0, image, null, detail, null);
        }

        /** mkdef's removal of one leading and one trailing quote (with adjacent blanks) from a trimmed value. */
        private static String unquote(String value) {
            String v = value;
            if (v.startsWith("\"")) {
                v = strip(v.substring(1));
            }
            if (v.endsWith("\"")) {
                v = strip(v.substring(0, v.length() - 1));
            }
            return v;
        }
    }
}
