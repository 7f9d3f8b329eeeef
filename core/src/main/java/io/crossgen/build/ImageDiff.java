package io.crossgen.build;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.crossgen.build.Inventory.Package;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What differs between the provenance of two images: parameters and definition attributes, input files and
 * repository metadata (by SHA-256), boot files, and packages added, removed or changed. {@code rootimgdir} is left
 * out: it is where genimage writes, which follows the image's name, not an input.
 *
 * <pre>{@code
 * ImageDiff d = ImageDiff.of(a, b);
 * d.packages().forEach(c -> System.out.println(c.name() + ": " + c.before() + " -> " + c.after()));
 * }</pre>
 *
 * @param parameters  builder, mount, emulation, source image, crossgen version, keyed by name
 * @param definition  osimage attributes; an absent side is empty
 * @param inputs      package lists, postinstall scripts, exlists, included files and netboot trees, by URI
 * @param repositories repository metadata files, by URI
 * @param subjects    archive, kernel and initrds, by name
 * @param packages    packages, by {@code name.arch}; the sides are versions, empty when absent
 */
public record ImageDiff(String imageA, String imageB, List<Change> parameters, List<Change> definition,
        List<Change> inputs, List<Change> repositories, List<Change> subjects, List<Change> packages) {

    /** One difference: the value on each side, empty where that side has none. */
    public record Change(String name, String before, String after) {
        public Change {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }
    }

    public ImageDiff {
        parameters = List.copyOf(parameters);
        definition = List.copyOf(definition);
        inputs = List.copyOf(inputs);
        repositories = List.copyOf(repositories);
        subjects = List.copyOf(subjects);
        packages = List.copyOf(packages);
    }

    /** The differences from {@code a} to {@code b}. */
    public static ImageDiff of(Provenance a, Provenance b) {
        Map<String, String> attrsA = new TreeMap<>(a.definition());
        Map<String, String> attrsB = new TreeMap<>(b.definition());
        attrsA.remove("rootimgdir");
        attrsB.remove("rootimgdir");
        Function<Provenance, Map<String, String>> params = p -> Map.of("source", p.source(), "builder", p.builder(),
                "mount", p.mount(), "emulation", p.emulation(), "crossgen", p.crossgenVersion());
        return new ImageDiff(a.image(), b.image(), changes(params.apply(a), params.apply(b)), changes(attrsA, attrsB),
                changes(deps(a, false), deps(b, false)), changes(deps(a, true), deps(b, true)),
                changes(subjects(a), subjects(b)), changes(packages(a), packages(b)));
    }

    /** Whether the two images agree in everything compared. */
    @JsonIgnore
    public boolean isEmpty() {
        return parameters.isEmpty() && definition.isEmpty() && inputs.isEmpty() && repositories.isEmpty()
                && subjects.isEmpty() && packages.isEmpty();
    }

    private static Map<String, String> deps(Provenance p, boolean repositories) {
        return p.dependencies().stream().filter(d -> d.name().endsWith("-metadata") == repositories)
                .collect(Collectors.toMap(Provenance.Resource::uri, Provenance.Resource::sha256, (x, y) -> x,
                        TreeMap::new));
    }

    private static Map<String, String> subjects(Provenance p) {
        return p.subjects().stream().collect(Collectors.toMap(Provenance.Resource::name,
                Provenance.Resource::sha256, (x, y) -> x, TreeMap::new));
    }

    private static Map<String, String> packages(Provenance p) {
        return p.inventory().packages().stream().collect(Collectors.toMap(k -> k.name() + "." + k.arch(),
                Package::version, (x, y) -> x + ", " + y, TreeMap::new));
    }

    private static List<Change> changes(Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<Change> out = new ArrayList<>();
        for (String k : keys) {
            String before = a.getOrDefault(k, "");
            String after = b.getOrDefault(k, "");
            if (!before.equals(after)) {
                out.add(new Change(k, before, after));
            }
        }
        return out;
    }

    /** The differences for people: one section per kind that differs, {@code +} added, {@code -} removed. */
    public String describe() {
        StringBuilder out = new StringBuilder("from " + imageA + " to " + imageB + ":");
        if (isEmpty()) {
            return out.append(" no differences\n").toString();
        }
        out.append('\n');
        section(out, "parameters", parameters);
        section(out, "definition", definition);
        section(out, "input files (sha256)", inputs);
        section(out, "repositories (sha256 of their metadata)", repositories);
        section(out, "boot files (sha256)", subjects);
        section(out, "packages", packages);
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        out.append("  ").append(title).append(":\n");
        for (Change c : changes) {
            if (c.before().isEmpty()) {
                out.append("    + ").append(c.name()).append(' ').append(c.after()).append('\n');
            } else if (c.after().isEmpty()) {
                out.append("    - ").append(c.name()).append(' ').append(c.before()).append('\n');
            } else {
                out.append("    ~ ").append(c.name()).append(' ').append(c.before()).append(" -> ").append(c.after())
                        .append('\n');
            }
        }
    }

    /** The differences as JSON: the record's fields. */
    public String toJson() {
        try {
            return Provenance.mapper().writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
