package io.crossgen.image;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads and writes osimage definitions as YAML, for keeping them in git.
 *
 * <p>The shape: one document whose root mapping has the single key {@code osimages}, mapping each image name
 * to its attributes in order. An attribute is a scalar or a sequence of scalars; a sequence is joined with
 * commas, so it is the same as the comma list xCAT stores. Every scalar is taken as the exact text written:
 * {@code permission: 755} gives {@code "755"}, {@code osvers: 8.10} gives {@code "8.10"}, {@code yes} gives
 * {@code "yes"}. An empty string means unset, as in xCAT, and is left out. {@code objtype: osimage} is
 * allowed and ignored.
 *
 * <pre>{@code
 * osimages:
 *   rhels8.8.0-ppc64le-netboot-compute:
 *     imagetype: linux
 *     osarch: ppc64le
 *     osvers: rhels8.8.0
 *     pkglist:
 *       - /opt/xcat/share/xcat/netboot/rh/compute.rhels8.ppc64le.pkglist
 *       - /custom/extra.pkglist
 *     permission: 755
 *   other-image:
 *     ...
 * }</pre>
 *
 * <p>Errors are {@link ImageException}s with source, line and column, and the image and attribute when known:
 * malformed YAML, another top-level key, an image or attribute given twice, a null value ({@code attr:} or
 * {@code attr: ~}; write {@code ""} or leave the line out), a nested mapping, a value with a line break. Writing
 * produces this shape; a list attribute with two or more entries is written as a sequence when that reads back
 * to the very same string (no blanks around entries, no empty entries), otherwise as one scalar; values are
 * quoted only where YAML needs it.
 *
 * <pre>{@code
 * List<OsImage> images = YamlCodec.read(Path.of("images/osimages.yaml"));
 * Files.writeString(Path.of("out.yaml"), YamlCodec.write(images));
 * }</pre>
 */
public final class YamlCodec {
    /** The root key. */
    public static final String ROOT = "osimages";

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private YamlCodec() {
    }

    /** Reads every osimage in YAML text that has no file name. */
    public static List<OsImage> read(String text) {
        return read(text, null);
    }

    /**
     * Reads every osimage in YAML text, in document order.
     *
     * @param source the name errors give for the text, or {@code null}
     * @throws ImageException when the text is not YAML of the documented shape
     */
    public static List<OsImage> read(String text, String source) {
        return read(new StringReader(Objects.requireNonNull(text, "text")), source);
    }

    /**
     * Reads every osimage from a reader, which is read to its end and not closed.
     *
     * @throws ImageException when reading fails or the text is not YAML of the documented shape
     */
    public static List<OsImage> read(Reader reader, String source) {
        try (JsonParser parser = FACTORY.createParser(new NonClosingReader(reader))) {
            return new Parser(parser, source).parse();
        } catch (JsonProcessingException e) {
            throw syntaxError(source, e);
        } catch (IOException e) {
            throw new ImageException(source, 0, 0, null, null, "cannot read: " + e, e);
        }
    }

    /**
     * Reads every osimage in a UTF-8 YAML file; errors name the file as the path was given.
     *
     * @throws ImageException when the file cannot be read or is not YAML of the documented shape
     */
    public static List<OsImage> read(Path path) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(reader, path.toString());
        } catch (IOException e) {
            throw new ImageException(path.toString(), 0, 0, null, null, "cannot read: " + e, e);
        }
    }

    /** A YAML syntax error, located at SnakeYAML's problem mark when there is one. */
    private static ImageException syntaxError(String source, JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                Mark mark = marked.getProblemMark();
                String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
                return new ImageException(source, mark.getLine() + 1, mark.getColumn() + 1, null, null,
                        "not valid YAML: " + context + marked.getProblem(), e);
            }
        }
        JsonLocation at = e.getLocation();
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), e.toString()).strip();
        int newline = message.indexOf('\n');
        return new ImageException(source, at == null ? 0 : Math.max(at.getLineNr(), 0),
                at == null ? 0 : Math.max(at.getColumnNr(), 0), null, null,
                "not valid YAML: " + (newline < 0 ? message : message.substring(0, newline)), e);
    }

    /** The YAML for one image; see {@link #write(Collection)}. */
    public static String write(OsImage image) {
        return write(List.of(image));
    }

    /**
     * The YAML for the images, in the given order, attributes in their order, empty values left out.
     *
     * @throws ImageException when a value contains a line break (xCAT attributes are single lines)
     */
    public static String write(Collection<OsImage> images) {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeFieldName(ROOT);
            gen.writeStartObject();
            for (OsImage image : images) {
                gen.writeFieldName(image.name());
                gen.writeStartObject();
                for (Map.Entry<String, String> e : image.attributes().entrySet()) {
                    writeAttribute(gen, image.name(), e.getKey(), e.getValue());
                }
                gen.writeEndObject();
            }
            gen.writeEndObject();
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing YAML to memory failed", e);
        }
        return out.toString();
    }

    private static void writeAttribute(JsonGenerator gen, String image, String attribute, String value)
            throws IOException {
        if (value.isEmpty()) {
            return;
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new ImageException(image, attribute, "osimage '" + image + "': value of '" + attribute
                    + "' contains a line break; xCAT attributes are single lines: " + ImageException.quote(value));
        }
        gen.writeFieldName(attribute);
        List<String> entries = sequence(attribute, value);
        if (entries.isEmpty()) {
            gen.writeString(value);
            return;
        }
        gen.writeStartArray();
        for (String entry : entries) {
            gen.writeString(entry);
        }
        gen.writeEndArray();
    }

    /** The entries to write as a sequence, or nothing when a single scalar is the faithful form. */
    private static List<String> sequence(String attribute, String value) {
        boolean list = Attribute.of(attribute).map(a -> a.kind().isList()).orElse(false);
        if (!list) {
            return List.of();
        }
        List<String> entries = Arrays.asList(value.split(",", -1));
        if (entries.size() < 2 || entries.stream().anyMatch(e -> e.isEmpty() || !e.equals(e.strip()))) {
            return List.of();
        }
        return entries;
    }

    /** Streams the document, tracking where each image and attribute was. */
    private static final class Parser {
        private final JsonParser parser;
        private final String source;

        Parser(JsonParser parser, String source) {
            this.parser = parser;
            this.source = source;
        }

        List<OsImage> parse() throws IOException {
            List<OsImage> images = new ArrayList<>();
            JsonToken token = parser.nextToken();
            if (token == null) {
                return List.of();
            }
            if (token != JsonToken.START_OBJECT) {
                throw error(null, null, "the document must be a mapping with the single key '" + ROOT + "'");
            }
            boolean rootSeen = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                if (!key.equals(ROOT)) {
                    throw error(null, null, "unknown top-level key " + ImageException.quote(key) + "; expected '"
                            + ROOT + "'");
                }
                if (rootSeen) {
                    throw error(null, null, "'" + ROOT + "' is given twice");
                }
                rootSeen = true;
                token = parser.nextToken();
                if (token == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (token != JsonToken.START_OBJECT) {
                    throw error(null, null, "'" + ROOT + "' must map image names to their attributes");
                }
                readImages(images);
            }
            if (parser.nextToken() != null) {
                throw error(null, null, "only one YAML document is read; remove the '---' and what follows");
            }
            return List.copyOf(images);
        }

        private void readImages(List<OsImage> images) throws IOException {
            Map<String, Integer> seen = new HashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                int line = parser.currentTokenLocation().getLineNr();
                Integer first = seen.putIfAbsent(name, line);
                if (first != null) {
                    throw error(name, null, "osimage '" + name + "' is defined twice (first at line " + first + ")");
                }
                try {
                    OsImage.of(name, Map.of());
                } catch (IllegalArgumentException e) {
                    throw error(name, null, e.getMessage());
                }
                JsonToken token = parser.nextToken();
                Map<String, String> attributes = new LinkedHashMap<>();
                if (token == JsonToken.START_OBJECT) {
                    readAttributes(name, attributes);
                } else if (token != JsonToken.VALUE_NULL) {
                    throw error(name, null, "osimage '" + name + "' must be a mapping of attributes");
                }
                images.add(OsImage.of(name, attributes));
            }
        }

        private void readAttributes(String image, Map<String, String> attributes) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String attribute = parser.currentName();
                JsonLocation key = parser.currentTokenLocation();
                if (attributes.containsKey(attribute)) {
                    throw error(key, image, attribute, "attribute '" + attribute + "' of osimage '" + image
                            + "' is given twice");
                }
                JsonToken token = parser.nextToken();
                String value;
                if (token == JsonToken.START_ARRAY) {
                    List<String> entries = new ArrayList<>();
                    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                        entries.add(scalar(parser.currentTokenLocation(), image, attribute, token));
                    }
                    value = String.join(",", entries);
                } else {
                    value = scalar(key, image, attribute, token);
                }
                if (attribute.equals("objtype")) {
                    if (!value.equals("osimage")) {
                        throw error(key, image, attribute, "object '" + image + "' has objtype "
                                + ImageException.quote(value) + "; only osimage definitions can be read");
                    }
                    continue;
                }
                try {
                    OsImage.of(image, Map.of(attribute, value));
                } catch (IllegalArgumentException e) {
                    throw error(key, image, attribute, e.getMessage());
                }
                if (!value.isEmpty()) {
                    attributes.put(attribute, value);
                }
            }
        }

        private String scalar(JsonLocation at, String image, String attribute, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                throw error(at, image, attribute, "attribute '" + attribute + "' of osimage '" + image
                        + "' has no value; write \"\" to leave it empty, or quote a literal null or ~");
            }
            if (token == null || !token.isScalarValue()) {
                throw error(at, image, attribute, "attribute '" + attribute + "' of osimage '" + image
                        + "' must be a scalar or a sequence of scalars");
            }
            String text = parser.getText();
            if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                throw error(at, image, attribute, "value of '" + attribute + "' in osimage '" + image
                        + "' contains a line break; xCAT attributes are single lines");
            }
            return text;
        }

        private ImageException error(String image, String attribute, String detail) {
            return error(parser.currentTokenLocation(), image, attribute, detail);
        }

        private ImageException error(JsonLocation at, String image, String attribute, String detail) {
            return new ImageException(source, Math.max(at.getLineNr(), 0), Math.max(at.getColumnNr(), 0), image,
                    attribute, detail, null);
        }
    }

    /** Keeps the caller's reader open when Jackson closes the parser. */
    private static final class NonClosingReader extends java.io.FilterReader {
        NonClosingReader(Reader in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller owns the reader
        }
    }
}
