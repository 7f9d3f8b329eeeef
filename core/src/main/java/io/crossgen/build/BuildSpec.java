package io.crossgen.build;

import io.crossgen.image.ImageException;
import io.crossgen.image.OsImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.image.YamlCodec;
import io.crossgen.transport.Host;
import io.crossgen.transport.Transports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Many builds kept in one YAML file, for git: the MN, a pool of builders, defaults, and the builds; read by
 * {@link #read(Path)}, run by {@link #matrix}.
 *
 * <pre>{@code
 * version: 1
 * management-node:
 *   uri: local:              # where crossgen reaches the MN
 *   name: xcatmn             # the name the builders know it by
 * max-parallel: 4            # builds at once, over all builders
 * builders:
 *   - uri: ssh://root@p9node01
 *     arch: ppc64le
 *     release: rhels8.8.0    # the OS release it runs (osvers form); optional
 *     max-builds: 1          # builds at once on it
 *   - uri: ssh://root@x86node01
 *     arch: x86_64
 *     emulation: allowed     # may build other architectures (qemu-user)
 * definitions:               # osimage definitions (stanza or YAML) of the sources, relative to this file;
 *   - compute.stanza         # optional: they give a build its arch and release, and plans their commands
 * defaults:                  # for every build; a build may override each
 *   mount: nfs               # nfs, sshfs or none
 *   generate-timeout: PT3H   # ISO-8601
 *   step-timeout: PT30M
 *   waive: [os-release]      # preflight checks
 *   replace: false           # mkdef -f when the new image exists with other attributes
 * builds:
 *   - name: compute-ppc      # the new osimage
 *     source: rhels8.8.0-ppc64le-netboot-compute
 *     arch: ppc64le          # optional when the source is in definitions, or a builder is named
 *     builder: ssh://root@p9node01   # optional: this pool builder only
 * }</pre>
 *
 * <p>Refused with file, line and column ({@link BuildSpecException}), before anything runs: text that is not
 * YAML, a {@code version} other than 1, an unknown key, a value of the wrong type, a missing key, a name given
 * twice, and a build no builder of the pool can take (its arch and release, with emulation where a builder
 * allows it).
 *
 * @param source the file as named to the reader
 * @param managementNode the MN
 * @param managementNodeName the name the builders know the MN by
 * @param maxParallel builds at once over all builders
 * @param builders the pool
 * @param builds the builds, in file order
 */
public record BuildSpec(String source, Host managementNode, String managementNodeName, int maxParallel,
        List<BuildMatrix.PoolBuilder> builders, List<Build> builds) {

    /** The only version of the format. */
    public static final int VERSION = 1;

    public BuildSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(managementNode, "managementNode");
        Objects.requireNonNull(managementNodeName, "managementNodeName");
        builders = List.copyOf(builders);
        builds = List.copyOf(builds);
    }

    /**
     * One build of the spec.
     *
     * @param name the new osimage
     * @param source the osimage it copies
     * @param constraint where it may run
     * @param settings the defaults with its own overrides
     * @param definition the source's definition, when the spec's {@code definitions} hold it
     * @param line the line of the build in the spec
     */
    public record Build(String name, String source, BuildMatrix.Constraint constraint, Settings settings,
            Optional<OsImage> definition, int line) {
        public Build {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(constraint, "constraint");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(definition, "definition");
        }
    }

    /**
     * How a build runs; {@code defaults} of the spec, each overridden by the build's own.
     *
     * @param mount {@code nfs}, {@code sshfs} or {@code none}
     * @param generateTimeout genimage's time limit, when not the default
     * @param stepTimeout every other step's time limit, when not the default
     * @param waive preflight checks waived
     * @param replace whether a new image that exists with other attributes is replaced ({@code mkdef -f})
     */
    public record Settings(String mount, Optional<Duration> generateTimeout, Optional<Duration> stepTimeout,
            Set<String> waive, boolean replace) {
        public Settings {
            Objects.requireNonNull(mount, "mount");
            Objects.requireNonNull(generateTimeout, "generateTimeout");
            Objects.requireNonNull(stepTimeout, "stepTimeout");
            waive = Set.copyOf(new LinkedHashSet<>(waive));
        }

        /** nfs, default timeouts, nothing waived, no replace. */
        public static final Settings DEFAULTS = new Settings("nfs", Optional.empty(), Optional.empty(), Set.of(),
                false);

        Mount mountStrategy() {
            return switch (mount) {
                case "sshfs" -> Mount.sshfs();
                case "none" -> Mount.none();
                default -> Mount.nfs();
            };
        }
    }

    /**
     * Reads a spec file; {@code definitions} are read relative to its folder.
     *
     * @throws BuildSpecException naming the file, line and column of what is refused
     */
    public static BuildSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BuildSpecException(file.toString(), 0, 0, "cannot read: " + e, e);
        }
        Path folder = file.toAbsolutePath().getParent();
        return read(text, file.toString(), name -> readDefinitions(folder.resolve(name)));
    }

    /**
     * Reads spec text; {@code definitions} are read by {@code definitions} (a file name to its images).
     *
     * @param source the name errors give for the text
     * @throws BuildSpecException naming the source, line and column of what is refused
     */
    public static BuildSpec read(String text, String source, DefinitionFiles definitions) {
        return new SpecReader(source, definitions).read(text);
    }

    /** Where a spec's {@code definitions} come from: a file name as written to the images in it. */
    @FunctionalInterface
    public interface DefinitionFiles {
        /**
         * The images of a definition file.
         *
         * @throws IOException when it cannot be read
         * @throws ImageException when it is not a definition file
         */
        List<OsImage> read(String name) throws IOException;
    }

    /** The images of a stanza file, or of a YAML file ({@code .yaml}, {@code .yml}). */
    static List<OsImage> readDefinitions(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file: " + file);
        }
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") ? YamlCodec.read(file) : StanzaCodec.read(file);
    }

    /**
     * The spec with only the named builds, in file order.
     *
     * @throws IllegalArgumentException naming the names the spec has no build of, and those it has
     */
    public BuildSpec only(Collection<String> names) {
        List<String> unknown = names.stream().filter(n -> builds.stream().noneMatch(b -> b.name().equals(n)))
                .distinct().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(source + " has no build named " + String.join(", ", unknown)
                    + " (builds: " + String.join(", ", builds.stream().map(Build::name).toList()) + ")");
        }
        return new BuildSpec(source, managementNode, managementNodeName, maxParallel, builders,
                builds.stream().filter(b -> names.contains(b.name())).toList());
    }

    /**
     * The cross build of one build of the spec, on its named builder or, until the matrix routes it, the first
     * pool builder.
     *
     * @param planning whether the build is for a plan: then it is given the source's definition from
     *     {@code definitions} when there is one (a run copies the MN's own definition, as {@code lsdef} gives it)
     */
    public CrossBuild crossBuild(Build b, Transports transports, boolean planning) {
        Settings s = b.settings();
        Optional<OsImage> known = planning ? b.definition() : Optional.empty();
        Generate generate = s.generateTimeout().map(Generate.defaults()::withTimeout).orElse(Generate.defaults());
        CrossBuild.Builder c = known.map(CrossBuild::from).orElseGet(() -> CrossBuild.from(b.source())).as(b.name())
                .managementNode(managementNode.toString())
                .builderReachesManagementNodeAs(managementNodeName)
                .builderNode(b.constraint().builder().orElse(builders.get(0).host()).toString())
                .transports(transports)
                .mount(s.mountStrategy())
                .step(CopyDefinition.of(b.source(), b.name()).withReplace(s.replace()))
                .step(Preflight.defaults().withWaived(s.waive().toArray(String[]::new)))
                .step(generate);
        s.stepTimeout().ifPresent(c::stepTimeout);
        return c.build();
    }

    /**
     * The matrix of every build over the pool, at most {@link #maxParallel} at once.
     *
     * @param transports connect to the hosts, and resolve builders' identities
     * @param planning see {@link #crossBuild}
     * @throws BuildException when a build has no candidate once builders' identities are resolved
     * @throws IllegalArgumentException when two pool builders resolve to one host
     */
    public BuildMatrix.Builder matrix(Transports transports, boolean planning) {
        BuildMatrix.Builder m = BuildMatrix.builder().transports(transports).maxParallel(maxParallel);
        builders.forEach(m::pool);
        for (Build b : builds) {
            m.add(crossBuild(b, transports, planning), b.constraint());
        }
        return m;
    }

    /** The builds' names, in file order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        builds.forEach(b -> names.add(b.name()));
        return names;
    }
}
