package io.crossgen.build;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.crossgen.image.ImageException;
import io.crossgen.image.OsImage;
import io.crossgen.transport.Host;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads {@link BuildSpec}s: the YAML into a tree that keeps each key's and value's position, then the tree into
 * the spec, every refusal at the position of what is refused.
 */
final class SpecReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final List<String> TOP = List.of("version", "management-node", "max-parallel", "builders",
            "definitions", "defaults", "builds");
    private static final List<String> MN = List.of("uri", "name");
    private static final List<String> BUILDER = List.of("uri", "arch", "release", "max-builds", "emulation");
    private static final List<String> SETTINGS = List.of("mount", "generate-timeout", "step-timeout", "waive",
            "replace");
    private static final List<String> BUILD;

    static {
        List<String> b = new ArrayList<>(List.of("name", "source", "arch", "release", "builder"));
        b.addAll(SETTINGS);
        BUILD = List.copyOf(b);
    }

    private final String source;
    private final BuildSpec.DefinitionFiles files;

    SpecReader(String source, BuildSpec.DefinitionFiles files) {
        this.source = Objects.requireNonNull(source, "source");
        this.files = Objects.requireNonNull(files, "definitions");
    }

    /** A value in the document, where it starts. */
    private sealed interface Node permits Scalar, Sequence, Mapping {
        int line();

        int column();
    }

    /** A scalar, with the token Jackson read it as (string, number, boolean, null). */
    private record Scalar(String text, JsonToken token, int line, int column) implements Node {
    }

    private record Sequence(List<Node> items, int line, int column) implements Node {
    }

    /** A key, where it is, and its value. */
    private record Field(String key, int line, int column, Node value) {
    }

    private record Mapping(Map<String, Field> fields, int line, int column) implements Node {
    }

    BuildSpec read(String text) {
        Node root;
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw refuse(1, 1, "the spec is empty; it starts with version: " + BuildSpec.VERSION);
            }
            root = node(p, first);
            if (p.nextToken() != null) {
                throw refuse(p.currentTokenLocation(), "only one YAML document is read; remove the '---' and what"
                        + " follows");
            }
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new BuildSpecException(source, 0, 0, "cannot read: " + e, e);
        }
        return spec(root);
    }

    private Node node(JsonParser p, JsonToken token) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Field> fields = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonLocation k = p.currentTokenLocation();
                Field old = fields.get(key);
                if (old != null) {
                    throw refuse(k, "'" + key + "' is given twice (first at line " + old.line() + ")");
                }
                fields.put(key, new Field(key, k.getLineNr(), k.getColumnNr(), node(p, p.nextToken())));
            }
            return new Mapping(fields, at.getLineNr(), at.getColumnNr());
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                items.add(node(p, t));
            }
            return new Sequence(items, at.getLineNr(), at.getColumnNr());
        }
        return new Scalar(token == JsonToken.VALUE_NULL ? "" : p.getText(), token, at.getLineNr(), at.getColumnNr());
    }

    private BuildSpecException syntaxError(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                Mark mark = marked.getProblemMark();
                String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
                return new BuildSpecException(source, mark.getLine() + 1, mark.getColumn() + 1,
                        "not valid YAML: " + context + marked.getProblem(), e);
            }
        }
        JsonLocation at = e.getLocation();
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), e.toString()).strip().lines()
                .findFirst().orElse("");
        return new BuildSpecException(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                "not valid YAML: " + message, e);
    }

    private BuildSpec spec(Node root) {
        Mapping top = mapping(root, "the spec");
        keys(top, TOP, "the spec");
        Field version = required(top, "version", "the spec");
        if (!(version.value() instanceof Scalar v) || !v.text().equals(Integer.toString(BuildSpec.VERSION))
                || v.token() != JsonToken.VALUE_NUMBER_INT) {
            throw refuse(version.value(), "version must be " + BuildSpec.VERSION + " (the only version this crossgen"
                    + " reads), not " + shown(version.value()));
        }
        Mapping mn = mapping(required(top, "management-node", "the spec").value(), "management-node");
        keys(mn, MN, "management-node");
        Host mnHost = host(required(mn, "uri", "management-node"), "management-node");
        String mnName = string(required(mn, "name", "management-node"), "management-node");
        int maxParallel = optional(top, "max-parallel").map(f -> count(f, "the spec")).orElse(4);

        List<BuildMatrix.PoolBuilder> pool = new ArrayList<>();
        Sequence builders = sequence(required(top, "builders", "the spec"));
        if (builders.items().isEmpty()) {
            throw refuse(builders, "builders is empty; list at least one builder");
        }
        Map<Host, Integer> poolLines = new LinkedHashMap<>();
        for (int i = 0; i < builders.items().size(); i++) {
            String what = "builder " + (i + 1);
            Mapping b = mapping(builders.items().get(i), what);
            keys(b, BUILDER, what);
            Field uri = required(b, "uri", what);
            Host host = host(uri, what);
            Integer first = poolLines.putIfAbsent(host, uri.line());
            if (first != null) {
                throw refuse(uri.value(), what + " " + host + " is listed twice (first at line " + first + ")");
            }
            String arch = string(required(b, "arch", what), what);
            Optional<String> release = optional(b, "release").map(f -> release(f, what));
            OptionalInt max = optional(b, "max-builds").map(f -> OptionalInt.of(count(f, what)))
                    .orElse(OptionalInt.of(1));
            boolean emulation = optional(b, "emulation").map(f -> emulation(f, what)).orElse(false);
            pool.add(new BuildMatrix.PoolBuilder(host, arch, release, max, emulation));
        }

        Map<String, OsImage> definitions = new LinkedHashMap<>();
        optional(top, "definitions").ifPresent(f -> {
            for (Node n : sequence(f).items()) {
                String name = string(n, "an entry of definitions");
                try {
                    for (OsImage image : files.read(name)) {
                        definitions.putIfAbsent(image.name(), image);
                    }
                } catch (IOException | ImageException e) {
                    throw refuse(n, "definitions: cannot read " + name + ": " + e.getMessage());
                }
            }
        });

        BuildSpec.Settings defaults = optional(top, "defaults").map(f -> {
            Mapping m = mapping(f.value(), "defaults");
            keys(m, SETTINGS, "defaults");
            return settings(m, BuildSpec.Settings.DEFAULTS, "defaults");
        }).orElse(BuildSpec.Settings.DEFAULTS);

        Sequence builds = sequence(required(top, "builds", "the spec"));
        if (builds.items().isEmpty()) {
            throw refuse(builds, "builds is empty; list at least one build");
        }
        List<BuildSpec.Build> out = new ArrayList<>();
        Map<String, Integer> names = new LinkedHashMap<>();
        for (int i = 0; i < builds.items().size(); i++) {
            Mapping b = mapping(builds.items().get(i), "build " + (i + 1));
            keys(b, BUILD, "build " + (i + 1));
            Field nameField = required(b, "name", "build " + (i + 1));
            String name = string(nameField, "build " + (i + 1));
            String what = "build " + name;
            Integer first = names.putIfAbsent(name, nameField.line());
            if (first != null) {
                throw refuse(nameField.value(), "two builds are named " + name + " (first at line " + first + ")");
            }
            checked(nameField.value(), () -> OsImage.of(name, Map.of()));
            String src = string(required(b, "source", what), what);
            Optional<OsImage> definition = Optional.ofNullable(definitions.get(src));
            out.add(build(b, what, name, src, definition, pool, settings(b, defaults, what)));
        }
        return new BuildSpec(source, mnHost, mnName, maxParallel, pool, out);
    }

    private BuildSpec.Build build(Mapping b, String what, String name, String src, Optional<OsImage> definition,
            List<BuildMatrix.PoolBuilder> pool, BuildSpec.Settings settings) {
        Optional<Field> archField = optional(b, "arch");
        Optional<String> arch = archField.map(f -> string(f, what));
        Optional<String> defArch = definition.flatMap(OsImage::osarch);
        if (arch.isPresent() && defArch.isPresent()
                && !TargetOs.canonicalArch(arch.get()).equals(TargetOs.canonicalArch(defArch.get()))) {
            throw refuse(archField.get().value(), what + ": arch " + arch.get() + " differs from osarch "
                    + defArch.get() + " of its source " + src + " in definitions");
        }
        arch = arch.or(() -> defArch);
        Optional<String> release = optional(b, "release").map(f -> release(f, what))
                .or(() -> definition.flatMap(OsImage::osvers).filter(v -> TargetOs.group(v).isPresent()));
        Optional<Field> builderField = optional(b, "builder");
        Optional<Host> builder = builderField.map(f -> host(f, what));
        Optional<BuildMatrix.PoolBuilder> named = builder.flatMap(h -> pool.stream()
                .filter(p -> p.host().equals(h)).findFirst());
        if (builderField.isPresent() && named.isEmpty()) {
            throw refuse(builderField.get().value(), what + ": builder " + builder.get() + " is not in builders ("
                    + String.join(", ", pool.stream().map(p -> p.host().toString()).toList()) + ")");
        }
        if (arch.isEmpty() && named.isEmpty()) {
            throw refuse(b, what + " has no arch: name it (arch: ppc64le), or a builder, or add the definition of "
                    + src + " to definitions");
        }
        BuildMatrix.Constraint c = new BuildMatrix.Constraint(arch, arch.isPresent() ? release : Optional.empty(),
                builder);
        Node at = builderField.or(() -> optional(b, "release")).or(() -> archField).map(Field::value).orElse(b);
        List<BuildMatrix.PoolBuilder> candidates = pool.stream().filter(p -> named.map(p::equals).orElse(true))
                .filter(p -> c.arch().isEmpty() || p.builds(c.arch().get(), c.release()).isPresent()).toList();
        if (candidates.isEmpty()) {
            throw refuse(at, what + ": no builder can take it: none of " + String.join(", ", (named.isPresent()
                    ? List.of(named.get()) : pool).stream().map(p -> p.host().label() + " (" + p.arch()
                    + p.release().map(r -> " " + r).orElse("") + (p.emulation() ? ", emulation allowed" : "") + ")")
                    .toList()) + " builds " + c.describe());
        }
        return new BuildSpec.Build(name, src, c, settings, definition, b.line());
    }

    private BuildSpec.Settings settings(Mapping m, BuildSpec.Settings base, String what) {
        String mount = optional(m, "mount").map(f -> {
            String v = string(f, what);
            if (!Set.of("nfs", "sshfs", "none").contains(v)) {
                throw refuse(f.value(), "mount of " + what + " must be nfs, sshfs or none, not " + shown(f.value()));
            }
            return v;
        }).orElse(base.mount());
        Optional<Duration> generate = optional(m, "generate-timeout").map(f -> duration(f, what))
                .or(base::generateTimeout);
        Optional<Duration> step = optional(m, "step-timeout").map(f -> duration(f, what)).or(base::stepTimeout);
        Set<String> waive = optional(m, "waive").map(f -> {
            List<String> checks = new ArrayList<>();
            for (Node n : sequence(f).items()) {
                String check = string(n, "waive of " + what);
                if (!Preflight.CHECKS.contains(check)) {
                    throw refuse(n, "waive of " + what + ": no preflight check " + check + " (checks: "
                            + String.join(", ", Preflight.CHECKS.stream().sorted().toList()) + ")");
                }
                checks.add(check);
            }
            return Set.copyOf(checks);
        }).orElse(base.waive());
        boolean replace = optional(m, "replace").map(f -> {
            if (!(f.value() instanceof Scalar s) || (s.token() != JsonToken.VALUE_TRUE
                    && s.token() != JsonToken.VALUE_FALSE)) {
                throw refuse(f.value(), "replace of " + what + " must be true or false, not " + shown(f.value()));
            }
            return s.token() == JsonToken.VALUE_TRUE;
        }).orElse(base.replace());
        return new BuildSpec.Settings(mount, generate, step, waive, replace);
    }

    /** Refuses every key of {@code m} not in {@code allowed}, at the key. */
    private void keys(Mapping m, List<String> allowed, String what) {
        for (Field f : m.fields().values()) {
            if (!allowed.contains(f.key())) {
                throw new BuildSpecException(source, f.line(), f.column(), "unknown key '" + f.key() + "' in " + what
                        + "; expected one of: " + String.join(", ", allowed), null);
            }
        }
    }

    private Field required(Mapping m, String key, String what) {
        Field f = m.fields().get(key);
        if (f == null) {
            throw refuse(m, what + " has no '" + key + "'");
        }
        return f;
    }

    private static Optional<Field> optional(Mapping m, String key) {
        return Optional.ofNullable(m.fields().get(key));
    }

    private Mapping mapping(Node n, String what) {
        if (n instanceof Mapping m) {
            return m;
        }
        throw refuse(n, what + " must be a mapping of keys to values, not " + shown(n));
    }

    private Sequence sequence(Field f) {
        if (f.value() instanceof Sequence s) {
            return s;
        }
        throw refuse(f.value(), f.key() + " must be a list (- item lines), not " + shown(f.value()));
    }

    private String string(Field f, String what) {
        return string(f.value(), "'" + f.key() + "' of " + what);
    }

    private String string(Node n, String what) {
        if (n instanceof Scalar s && s.token() != JsonToken.VALUE_NULL && !s.text().isBlank()) {
            return s.text().strip();
        }
        throw refuse(n, what + " must be a text, not " + shown(n));
    }

    private int count(Field f, String what) {
        if (f.value() instanceof Scalar s && s.token() == JsonToken.VALUE_NUMBER_INT) {
            try {
                int v = Integer.parseInt(s.text());
                if (v >= 1) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // too large: refused below
            }
        }
        throw refuse(f.value(), f.key() + " of " + what + " must be a whole number of at least 1, not "
                + shown(f.value()));
    }

    private Duration duration(Field f, String what) {
        String text = string(f, what);
        try {
            Duration d = Duration.parse(text);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw refuse(f.value(), f.key() + " of " + what + " must be a positive ISO-8601 duration (PT3H, PT90M),"
                + " not " + shown(f.value()));
    }

    private String release(Field f, String what) {
        String text = string(f, what);
        if (TargetOs.group(text).isEmpty()) {
            throw refuse(f.value(), "release of " + what + " must be an OS release in xCAT's osvers form"
                    + " (rhels8.8.0, sle15.4, ubuntu22.04), not " + shown(f.value()));
        }
        return text;
    }

    private boolean emulation(Field f, String what) {
        if (f.value() instanceof Scalar s) {
            if (s.text().equals("allowed")) {
                return true;
            }
            if (s.text().equals("no") || s.token() == JsonToken.VALUE_FALSE) {
                return false;
            }
        }
        throw refuse(f.value(), "emulation of " + what + " must be allowed or no, not " + shown(f.value()));
    }

    private Host host(Field f, String what) {
        String text = string(f, what);
        return checked(f.value(), () -> Host.parse(text));
    }

    /** {@code make}'s value, an IllegalArgumentException or BuildException refused at {@code at}. */
    private <T> T checked(Node at, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException | BuildException e) {
            throw refuse(at, e.getMessage());
        }
    }

    private static String shown(Node n) {
        if (n instanceof Scalar s) {
            if (s.token() == JsonToken.VALUE_NULL) {
                return "nothing";
            }
            String quoted = "'" + (s.text().length() > 60 ? s.text().substring(0, 60) + "..." : s.text()) + "'";
            boolean looksTyped = s.text().matches("-?[0-9]+|true|false");
            return s.token() == JsonToken.VALUE_STRING && looksTyped ? "the quoted text " + quoted : quoted;
        }
        return n instanceof Sequence ? "a list" : "a mapping";
    }

    private BuildSpecException refuse(Node at, String detail) {
        return new BuildSpecException(source, at.line(), at.column(), detail, null);
    }

    private BuildSpecException refuse(JsonLocation at, String detail) {
        return new BuildSpecException(source, at.getLineNr(), at.getColumnNr(), detail, null);
    }

    private BuildSpecException refuse(int line, int column, String detail) {
        return new BuildSpecException(source, line, column, detail, null);
    }
}
