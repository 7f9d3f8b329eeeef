package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The statement crossgen writes, against the published in-toto Statement v1 and SLSA Provenance v1 shapes. */
class ProvenanceTest {
    private static final String SUM_A = "a".repeat(64);
    private static final String SUM_B = "b".repeat(64);

    static Provenance sample(String image, Map<String, String> attributes, List<Provenance.Resource> deps,
            List<Inventory.Package> packages) {
        return new Provenance(List.of(new Provenance.Resource("rootimg.cpio.gz", "", SUM_A),
                new Provenance.Resource("kernel", "", SUM_B)), "rhels8.8.0-ppc64le-netboot-compute", image,
                attributes, "ssh://root@p9node01", "mounted", "none",
                "genimage -o rhels8.8.0 -p compute " + image, "genimage -o rhels8.8.0 -p compute --rootimgdir /s "
                + image, "1.2.3", deps, Map.of("hostname", "p9node01", "arch", "ppc64le", "os", "RHEL 8.8",
                "host-key", "SHA256:abc (ED25519)"), "20261202T043422-1a2b3c", Optional.of("2026-12-02T04:34:22Z"),
                Optional.of("2026-12-02T04:40:00Z"), new Inventory("rpm", packages));
    }

    static Provenance sample() {
        return sample("mycompute", Map.of("osvers", "rhels8.8.0", "profile", "compute"),
                List.of(new Provenance.Resource("pkglist", "file:///install/custom/compute.pkglist", SUM_A),
                        new Provenance.Resource("pkgdir-metadata", "file:///install/rhels8.8.0/ppc64le/repodata/"
                                + "repomd.xml", SUM_B),
                        new Provenance.Resource("exlist", "file:///install/custom/compute.exlist", "")),
                List.of(new Inventory.Package("bash", "4.4.20-4.el8", "ppc64le")));
    }

    /**
     * Every field of the statement and its JSON type, written from the specifications: in-toto Statement v1
     * (_type, subject[] of ResourceDescriptor with name and digest, predicateType, predicate) and SLSA Provenance
     * v1.0 (buildDefinition: buildType, externalParameters, internalParameters, resolvedDependencies[];
     * runDetails: builder {id, builderDependencies[], version map}, metadata {invocationId, startedOn,
     * finishedOn}, byproducts[]). ResourceDescriptor fields are uri, digest, name, downloadLocation, mediaType,
     * content, annotations.
     */
    private static final Map<String, JsonNodeType> SHAPE = new TreeMap<>(Map.ofEntries(
            Map.entry("/_type", JsonNodeType.STRING),
            Map.entry("/subject", JsonNodeType.ARRAY),
            Map.entry("/subject/*/name", JsonNodeType.STRING),
            Map.entry("/subject/*/digest", JsonNodeType.OBJECT),
            Map.entry("/subject/*/digest/sha256", JsonNodeType.STRING),
            Map.entry("/predicateType", JsonNodeType.STRING),
            Map.entry("/predicate", JsonNodeType.OBJECT),
            Map.entry("/predicate/buildDefinition", JsonNodeType.OBJECT),
            Map.entry("/predicate/buildDefinition/buildType", JsonNodeType.STRING),
            Map.entry("/predicate/buildDefinition/externalParameters", JsonNodeType.OBJECT),
            Map.entry("/predicate/buildDefinition/internalParameters", JsonNodeType.OBJECT),
            Map.entry("/predicate/buildDefinition/resolvedDependencies", JsonNodeType.ARRAY),
            Map.entry("/predicate/buildDefinition/resolvedDependencies/*/uri", JsonNodeType.STRING),
            Map.entry("/predicate/buildDefinition/resolvedDependencies/*/name", JsonNodeType.STRING),
            Map.entry("/predicate/buildDefinition/resolvedDependencies/*/digest", JsonNodeType.OBJECT),
            Map.entry("/predicate/buildDefinition/resolvedDependencies/*/digest/sha256", JsonNodeType.STRING),
            Map.entry("/predicate/runDetails", JsonNodeType.OBJECT),
            Map.entry("/predicate/runDetails/builder", JsonNodeType.OBJECT),
            Map.entry("/predicate/runDetails/builder/id", JsonNodeType.STRING),
            Map.entry("/predicate/runDetails/builder/version", JsonNodeType.OBJECT),
            Map.entry("/predicate/runDetails/builder/version/crossgen", JsonNodeType.STRING),
            Map.entry("/predicate/runDetails/builder/builderDependencies", JsonNodeType.ARRAY),
            Map.entry("/predicate/runDetails/builder/builderDependencies/*/uri", JsonNodeType.STRING),
            Map.entry("/predicate/runDetails/builder/builderDependencies/*/name", JsonNodeType.STRING),
            Map.entry("/predicate/runDetails/builder/builderDependencies/*/annotations", JsonNodeType.OBJECT),
            Map.entry("/predicate/runDetails/metadata", JsonNodeType.OBJECT),
            Map.entry("/predicate/runDetails/metadata/invocationId", JsonNodeType.STRING),
            Map.entry("/predicate/runDetails/metadata/startedOn", JsonNodeType.STRING),
            Map.entry("/predicate/runDetails/metadata/finishedOn", JsonNodeType.STRING),
            Map.entry("/predicate/runDetails/byproducts", JsonNodeType.ARRAY),
            Map.entry("/predicate/runDetails/byproducts/*/name", JsonNodeType.STRING),
            Map.entry("/predicate/runDetails/byproducts/*/mediaType", JsonNodeType.STRING),
            Map.entry("/predicate/runDetails/byproducts/*/annotations", JsonNodeType.OBJECT)));

    /** The statement's fields down to the spec-defined levels (free-form objects are not descended into). */
    private static void fields(JsonNode node, String at, Map<String, JsonNodeType> out) {
        boolean freeForm = at.endsWith("/externalParameters") || at.endsWith("/internalParameters")
                || at.endsWith("/annotations");
        if (node.isObject() && !freeForm) {
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = at + "/" + e.getKey();
                out.put(path, e.getValue().getNodeType());
                fields(e.getValue(), path, out);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                fields(item, at + "/*", out);
            }
        }
    }

    @Test
    void theStatementHasExactlyTheFieldsAndTypesOfInTotoStatementV1AndSlsaProvenanceV1() throws Exception {
        JsonNode root = Provenance.mapper().readTree(sample().toJson());
        Map<String, JsonNodeType> found = new TreeMap<>();
        fields(root, "", found);

        assertEquals(SHAPE, found);
        assertEquals("https://in-toto.io/Statement/v1", root.get("_type").asText());
        assertEquals("https://slsa.dev/provenance/v1", root.get("predicateType").asText());
        assertEquals(List.of("_type", "subject", "predicateType", "predicate"), names(root));
    }

    @Test
    void digestsAreLowerCaseHexSha256AndAMissingDependencyHasNoDigest() throws Exception {
        JsonNode root = Provenance.mapper().readTree(sample().toJson());
        List<String> sums = new ArrayList<>();
        root.get("subject").forEach(s -> sums.add(s.get("digest").get("sha256").asText()));
        assertEquals(List.of(SUM_A, SUM_B), sums);
        JsonNode deps = root.at("/predicate/buildDefinition/resolvedDependencies");
        assertEquals(SUM_A, deps.get(0).at("/digest/sha256").asText());
        assertEquals(false, deps.get(2).has("digest"));
        assertEquals("file:///install/custom/compute.exlist", deps.get(2).get("uri").asText());
    }

    @Test
    void theStatementReadsBackToTheSameValue() {
        Provenance p = sample();
        assertEquals(p, Provenance.fromJson(p.toJson(), "crossgen-provenance.json"));
    }

    @Test
    void aFileThatIsNotAStatementIsRefusedNamingIt() {
        assertEquals("/x/crossgen-provenance.json is not an in-toto Statement v1 of SLSA Provenance v1",
                assertThrows(BuildException.class, () -> Provenance.fromJson("{\"_type\": \"other\"}",
                        "/x/crossgen-provenance.json")).getMessage());
        assertEquals("/x/p.json is not JSON: Unrecognized token 'no': was expecting (JSON String, Number, Array,"
                + " Object or token 'null', 'true' or 'false')",
                assertThrows(BuildException.class, () -> Provenance.fromJson("no", "/x/p.json")).getMessage());
    }

    @Test
    void aRunIdMadeByCrossgenGivesTheStartAndAnotherGivesNone() {
        assertEquals(Optional.of("2026-12-02T04:34:22Z"), RecordProvenance.startedOn("20261202T043422-1a2b3c"));
        assertEquals(Optional.empty(), RecordProvenance.startedOn("my-run"));
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
