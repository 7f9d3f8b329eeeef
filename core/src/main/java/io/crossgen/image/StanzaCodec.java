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
 * attribute keeps its last value; an empty value unsets the attribute; {@code default-osimage:} stanzas give
 * defaults that are applied to each later object when its {@code objtype=} line is read; a file holds any
 * number of objects. Lines may end in CR LF; a leading byte order mark is ignored.
 *
 * <p>Where {@code mkdef -z} would silently drop or misread part of the input, reading fails with an
 * {@link ImageException} that names the source and line: a line with no {@code =} that is no header, a header
 * whose name contains {@code =}, an attribute whose value ends in {@code :} (mkdef takes it for a bad header
 * and drops the rest of the stanza), an attribute before any header, an object without {@code objtype=} or of
 * a type other than {@code osimage}, an object name containing {@code default} other than
 * {@code default-osimage} (mkdef treats it as a defaults stanza), the same object twice (mkdef merges them),
 * and an attribute given before {@code objtype=} that a default would overwrite.
 *
 * <p><b>Writing</b> produces exactly what {@code lsdef -z} prints: the line
 * {@code # <xCAT data object stanza file>}, then for each image a blank line, {@code NAME:},
 * {@code     objtype=osimage}, and the attributes with a non-empty value sorted by name, each as
 * {@code     attr=value}. So reading {@code lsdef -z} output and writing it back gives the same bytes. A value
 * that {@code mkdef -z} would read differently (a line break, blanks or {@code "} at either end, a final
 * {@code :}) is refused with an {@link ImageException} naming the image and attribute, as is a name that
 * starts with {@code #} or contains {@code default}.
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
        List<OsImage> images = read(text, source);
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
            if (name.contains("default")) {
                throw new ImageException(name, null, "osimage '" + name
                        + "': a name containing 'default' is read by mkdef -z as a defaults stanza");
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
                    + " stanza";
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
            if (text.endsWith(":")) {
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

        private void header(String text) {
            String name = strip(text.substring(0, text.lastIndexOf(':')));
            if (name.contains("=")) {
                if (ATTRIBUTE_LINE.matcher(text).matches()) {
                    String attribute = strip(text.substring(0, text.indexOf('=')));
                    String image = inDefaults ? DEFAULTS : current != null ? current.name : null;
                    throw new ImageException(source, line, 0, image, attribute, "value of '" + attribute + "'"
                            + (image != null ? " in osimage '" + image + "'" : "")
                            + " ends in ':'; mkdef -z would take the line for an object header and drop the"
                            + " rest of the stanza", null);
                }
                throw error(null, "header " + ImageException.quote(text) + " has '=' in the object name;"
                        + " mkdef -z would skip everything up to the next header");
            }
            finish();
            if (name.contains("default")) {
                if (name.equals(DEFAULTS)) {
                    inDefaults = true;
                    return;
                }
                throw error(name, "object name " + ImageException.quote(name) + " contains 'default'; mkdef -z"
                        + " would read it as a defaults stanza (only '" + DEFAULTS + ":' is one here)");
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
