package io.crossgen.build;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How an image was made and what it holds: the {@value #FILE} crossgen writes beside the image on the MN, an
 * in-toto Statement v1 whose predicate is SLSA Provenance v1.
 *
 * <p>Subjects are the archive (for statelite, {@code rootimg/}: the digest of the tree's listing), {@code kernel}
 * and {@code initrd-*}. The build definition's external parameters are the source and new image names, the
 * osimage attributes as copied, the builder, the {@code /install} mount and emulation; its internal parameters
 * the genimage line as the dry run printed it and as it ran, and crossgen's version; its resolved dependencies
 * the package lists, postinstall scripts and exlists (with the files they {@code #INCLUDE}), the repositories'
 * metadata and the netboot tree's listing, each with its SHA-256. The run details name the builder host and the
 * run; the package inventory is a byproduct ({@code annotations.packages}).
 *
 * <pre>{@code
 * Provenance p = Provenance.fromJson(Files.readString(Path.of("crossgen-provenance.json")));
 * p.inventory().packages().size();
 * }</pre>
 */
public record Provenance(List<Resource> subjects, String source, String image, Map<String, String> definition,
        String builder, String mount, String emulation, String dryRun, String asRun, String crossgenVersion,
        List<Resource> dependencies, Map<String, String> builderHost, String runId, Optional<String> startedOn,
        Optional<String> finishedOn, Inventory inventory) {
    /** The file's name in the rootimgdir: outside packimage's {@code rootimg.*} glob (XCAT.md 8.1). */
    public static final String FILE = "crossgen-provenance.json";
    /** in-toto's Statement type. */
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    /** SLSA Provenance v1's predicate type. */
    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    /** crossgen's build type. */
    public static final String BUILD_TYPE = "https://github.com/crossgen/crossgen/buildtypes/genimage/v1";
    /** The builder id of the run details: crossgen driving genimage on a builder node. */
    public static final String BUILDER_ID = "https://github.com/crossgen/crossgen/builder/v1";

    /** The JSON mapper of statements and image diffs, made on first use: a plan that shows no statement needs none. */
    static ObjectMapper mapper() {
        return Json.MAPPER;
    }

    private static final class Json {
        private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * A file or other artefact with its SHA-256: {@code name} for a subject, {@code uri} for a dependency;
     * {@code sha256} is empty for a dependency that is missing (written without a digest).
     */
    public record Resource(String name, String uri, String sha256) {
        public Resource {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    public Provenance {
        subjects = List.copyOf(subjects);
        definition = Map.copyOf(definition);
        dependencies = List.copyOf(dependencies);
        builderHost = Map.copyOf(builderHost);
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(inventory, "inventory");
    }

    /** A copy with these subjects and end time. */
    public Provenance withSubjects(List<Resource> list, String finished) {
        return new Provenance(list, source, image, definition, builder, mount, emulation, dryRun, asRun,
                crossgenVersion, dependencies, builderHost, runId, startedOn, Optional.of(finished), inventory);
    }

    /** A copy with this package inventory. */
    public Provenance withInventory(Inventory list) {
        return new Provenance(subjects, source, image, definition, builder, mount, emulation, dryRun, asRun,
                crossgenVersion, dependencies, builderHost, runId, startedOn, finishedOn, list);
    }

    /** The statement as JSON, fields in the order of the specifications. */
    public String toJson() {
        try {
            return mapper().writeValueAsString(statement()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The statement as a JSON tree: also how Jackson writes this value, so that a run report saves the gathered
     * provenance and a resumed run restores it ({@link #ofStatement}).
     */
    @JsonValue
    ObjectNode statement() {
        ObjectNode root = mapper().createObjectNode();
        root.put("_type", STATEMENT_TYPE);
        ArrayNode subject = root.putArray("subject");
        subjects.forEach(s -> subject.addObject().put("name", s.name()).putObject("digest").put("sha256",
                s.sha256()));
        root.put("predicateType", PREDICATE_TYPE);
        ObjectNode predicate = root.putObject("predicate");
        ObjectNode build = predicate.putObject("buildDefinition");
        build.put("buildType", BUILD_TYPE);
        ObjectNode external = build.putObject("externalParameters");
        external.put("source", source);
        external.put("image", image);
        ObjectNode def = external.putObject("definition");
        new TreeMap<>(definition).forEach(def::put);
        external.put("builder", builder);
        external.put("mount", mount);
        external.put("emulation", emulation);
        ObjectNode internal = build.putObject("internalParameters");
        internal.put("dryRun", dryRun);
        internal.put("asRun", asRun);
        internal.put("crossgenVersion", crossgenVersion);
        ArrayNode deps = build.putArray("resolvedDependencies");
        for (Resource d : dependencies) {
            ObjectNode dep = deps.addObject().put("uri", d.uri()).put("name", d.name());
            if (!d.sha256().isEmpty()) {
                dep.putObject("digest").put("sha256", d.sha256());
            }
        }
        ObjectNode run = predicate.putObject("runDetails");
        ObjectNode b = run.putObject("builder");
        b.put("id", BUILDER_ID);
        b.putObject("version").put("crossgen", crossgenVersion);
        ObjectNode host = b.putArray("builderDependencies").addObject();
        host.put("uri", builder).put("name", "builder-host");
        ObjectNode hostNotes = host.putObject("annotations");
        new TreeMap<>(builderHost).forEach(hostNotes::put);
        ObjectNode meta = run.putObject("metadata");
        meta.put("invocationId", runId);
        startedOn.ifPresent(t -> meta.put("startedOn", t));
        finishedOn.ifPresent(t -> meta.put("finishedOn", t));
        ObjectNode packages = run.putArray("byproducts").addObject();
        packages.put("name", "packages");
        packages.put("mediaType", "application/vnd.crossgen.packages+json");
        ObjectNode notes = packages.putObject("annotations");
        notes.put("database", inventory.database());
        ArrayNode list = notes.putArray("packages");
        inventory.packages().forEach(p -> list.addObject().put("name", p.name()).put("version", p.version())
                .put("arch", p.arch()));
        return root;
    }

    /** Reads what {@link #statement} wrote (Jackson's way in). @throws BuildException when it is not a statement */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Provenance ofStatement(JsonNode root) {
        return fromTree(root, "the saved provenance");
    }

    /**
     * Reads a statement written by {@link #toJson}.
     *
     * @throws BuildException naming {@code origin} when the text is not JSON or not crossgen's statement
     */
    public static Provenance fromJson(String json, String origin) {
        JsonNode root;
        try {
            root = mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new BuildException(origin + " is not JSON: " + e.getOriginalMessage(), e);
        }
        return fromTree(root, origin);
    }

    private static Provenance fromTree(JsonNode root, String origin) {
        if (root == null || !STATEMENT_TYPE.equals(root.path("_type").asText())
                || !PREDICATE_TYPE.equals(root.path("predicateType").asText())) {
            throw new BuildException(origin + " is not an in-toto Statement v1 of SLSA Provenance v1");
        }
        List<Resource> subjects = new ArrayList<>();
        root.path("subject").forEach(s -> subjects.add(new Resource(s.path("name").asText(), "",
                s.path("digest").path("sha256").asText())));
        JsonNode build = root.path("predicate").path("buildDefinition");
        JsonNode ext = build.path("externalParameters");
        JsonNode internal = build.path("internalParameters");
        Map<String, String> definition = new LinkedHashMap<>();
        ext.path("definition").properties().forEach(e -> definition.put(e.getKey(), e.getValue().asText()));
        List<Resource> deps = new ArrayList<>();
        build.path("resolvedDependencies").forEach(d -> deps.add(new Resource(d.path("name").asText(),
                d.path("uri").asText(), d.path("digest").path("sha256").asText())));
        JsonNode run = root.path("predicate").path("runDetails");
        Map<String, String> host = new LinkedHashMap<>();
        run.path("builder").path("builderDependencies").path(0).path("annotations").properties()
                .forEach(e -> host.put(e.getKey(), e.getValue().asText()));
        JsonNode meta = run.path("metadata");
        List<Inventory.Package> packages = new ArrayList<>();
        String database = "none";
        for (JsonNode by : run.path("byproducts")) {
            if (by.path("name").asText().equals("packages")) {
                database = by.path("annotations").path("database").asText("none");
                by.path("annotations").path("packages").forEach(p -> packages.add(new Inventory.Package(
                        p.path("name").asText(), p.path("version").asText(), p.path("arch").asText())));
            }
        }
        return new Provenance(subjects, ext.path("source").asText(), ext.path("image").asText(), definition,
                ext.path("builder").asText(), ext.path("mount").asText(), ext.path("emulation").asText(),
                internal.path("dryRun").asText(), internal.path("asRun").asText(),
                internal.path("crossgenVersion").asText(), deps, host, meta.path("invocationId").asText(),
                text(meta, "startedOn"), text(meta, "finishedOn"), new Inventory(database, packages));
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    /** This crossgen's version, from the jar's manifest; {@code development} when run from classes. */
    static String currentVersion() {
        return Optional.ofNullable(Provenance.class.getPackage().getImplementationVersion()).orElse("development");
    }
}
