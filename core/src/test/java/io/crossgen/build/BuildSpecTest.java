package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crossgen.image.OsImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.transport.Host;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Build specs: what a spec holds, and every refusal with its file, line and column. */
class BuildSpecTest {
    static final String SPEC = String.join("\n",
            "version: 1",
            "management-node:",
            "  uri: ssh://root@xcatmn",
            "  name: xcatmn",
            "max-parallel: 3",
            "builders:",
            "  - uri: ssh://root@p9node01",
            "    arch: ppc64le",
            "    release: rhels8.8.0",
            "    max-builds: 2",
            "  - uri: ssh://root@x86node01",
            "    arch: x86_64",
            "    emulation: allowed",
            "definitions:",
            "  - compute.stanza",
            "defaults:",
            "  mount: sshfs",
            "  generate-timeout: PT2H",
            "  waive: [os-release]",
            "builds:",
            "  - name: compute-ppc",
            "    source: rhels8.8.0-ppc64le-netboot-compute",
            "  - name: compute-x86",
            "    source: rhels8.8.0-x86_64-netboot-compute",
            "    arch: x86_64",
            "    mount: nfs",
            "    step-timeout: PT10M",
            "    replace: true",
            "  - name: pinned",
            "    source: rhels8.8.0-ppc64le-netboot-compute",
            "    builder: ssh://root@x86node01",
            "");

    static List<OsImage> definitions(String name) throws IOException {
        if (!name.equals("compute.stanza")) {
            throw new IOException("no such file: " + name);
        }
        try (InputStream in = BuildSpecTest.class.getResourceAsStream(
                "/io/crossgen/image/rhels8.8.0-ppc64le-netboot-compute.stanza")) {
            return StanzaCodec.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        }
    }

    static BuildSpec read(String text) {
        return BuildSpec.read(text, "spec.yaml", BuildSpecTest::definitions);
    }

    @Test
    void aSpecHoldsTheMnThePoolAndEachBuildWithTheDefaultsAndItsOverrides() {
        BuildSpec spec = read(SPEC);

        assertEquals(Host.parse("ssh://root@xcatmn"), spec.managementNode());
        assertEquals("xcatmn", spec.managementNodeName());
        assertEquals(3, spec.maxParallel());
        assertEquals(List.of(
                new BuildMatrix.PoolBuilder(Host.parse("ssh://root@p9node01"), "ppc64le", Optional.of("rhels8.8.0"),
                        OptionalInt.of(2), false),
                new BuildMatrix.PoolBuilder(Host.parse("ssh://root@x86node01"), "x86_64", Optional.empty(),
                        OptionalInt.of(1), true)), spec.builders());
        assertEquals(List.of("compute-ppc", "compute-x86", "pinned"), spec.names());
        BuildSpec.Build ppc = spec.builds().get(0);
        assertEquals(new BuildMatrix.Constraint(Optional.of("ppc64le"), Optional.of("rhels8.8.0"), Optional.empty()),
                ppc.constraint(), "arch and release come from the source's definition");
        assertEquals(new BuildSpec.Settings("sshfs", Optional.of(Duration.ofHours(2)), Optional.empty(),
                Set.of("os-release"), false), ppc.settings());
        assertEquals(Optional.of("rhels8.8.0-ppc64le-netboot-compute"), ppc.definition().map(OsImage::name));
        assertEquals(21, ppc.line());
        BuildSpec.Build x86 = spec.builds().get(1);
        assertEquals(BuildMatrix.Constraint.arch("x86_64"), x86.constraint());
        assertEquals(new BuildSpec.Settings("nfs", Optional.of(Duration.ofHours(2)),
                Optional.of(Duration.ofMinutes(10)), Set.of("os-release"), true), x86.settings());
        assertEquals(Optional.empty(), x86.definition());
        assertEquals(BuildMatrix.Constraint.arch("ppc64le").withRelease("rhels8.8.0")
                .withBuilder(Host.parse("ssh://root@x86node01")), spec.builds().get(2).constraint());
    }

    @Test
    void onlyKeepsTheNamedBuildsInFileOrderAndRefusesAnUnknownName() {
        BuildSpec spec = read(SPEC);

        assertEquals(List.of("compute-ppc", "pinned"), spec.only(List.of("pinned", "compute-ppc")).names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec.only(List.of("pinned", "compute-arm")));
        assertEquals("spec.yaml has no build named compute-arm (builds: compute-ppc, compute-x86, pinned)",
                e.getMessage());
    }

    static Stream<Arguments> refusals() {
        String noEmulation = SPEC.replace("    emulation: allowed\n", "");
        return Stream.of(
                Arguments.of("not YAML", SPEC.replace("  name: xcatmn", "  name: [xcatmn"),
                        "5:13: not valid YAML: while parsing a flow sequence: expected ',' or ']', but got :"),
                Arguments.of("no version", SPEC.replace("version: 1\n", ""), "1:1: the spec has no 'version'"),
                Arguments.of("version 2", SPEC.replace("version: 1", "version: 2"),
                        "1:10: version must be 1 (the only version this crossgen reads), not '2'"),
                Arguments.of("version as text", SPEC.replace("version: 1", "version: \"1\""),
                        "1:10: version must be 1 (the only version this crossgen reads), not the quoted text '1'"),
                Arguments.of("unknown top-level key", SPEC.replace("max-parallel: 3", "max-paralel: 3"),
                        "5:1: unknown key 'max-paralel' in the spec; expected one of: version, management-node,"
                        + " max-parallel, builders, definitions, defaults, builds"),
                Arguments.of("unknown builder key", SPEC.replace("    max-builds: 2", "    max-build: 2"),
                        "10:5: unknown key 'max-build' in builder 1; expected one of: uri, arch, release, max-builds,"
                        + " emulation"),
                Arguments.of("unknown build key", SPEC.replace("    replace: true", "    replaces: true"),
                        "28:5: unknown key 'replaces' in build 2; expected one of: name, source, arch, release,"
                        + " builder, mount, generate-timeout, step-timeout, waive, replace"),
                Arguments.of("unknown defaults key", SPEC.replace("  mount: sshfs", "  mounts: sshfs"),
                        "17:3: unknown key 'mounts' in defaults; expected one of: mount, generate-timeout,"
                        + " step-timeout, waive, replace"),
                Arguments.of("key twice", SPEC.replace("    mount: nfs", "    mount: nfs\n    mount: none"),
                        "27:5: 'mount' is given twice (first at line 26)"),
                Arguments.of("no management node", SPEC.replace("management-node:\n  uri: ssh://root@xcatmn\n"
                        + "  name: xcatmn\n", ""), "1:1: the spec has no 'management-node'"),
                Arguments.of("bad MN URI", SPEC.replace("ssh://root@xcatmn", "ssh://root:pw@xcatmn"),
                        "3:8: invalid host URI 'ssh://root:***@xcatmn': a password does not belong in a host URI;"
                        + " use a key or an agent"),
                Arguments.of("builders not a list", SPEC.replaceAll("(?s)builders:.*?definitions:",
                        "builders: ssh://root@p9node01\ndefinitions:"),
                        "6:11: builders must be a list (- item lines), not 'ssh://root@p9node01'"),
                Arguments.of("empty builders", SPEC.replaceAll("(?s)builders:.*?definitions:",
                        "builders: []\ndefinitions:"), "6:11: builders is empty; list at least one builder"),
                Arguments.of("builder without arch", SPEC.replace("    arch: ppc64le\n", ""),
                        "7:5: builder 1 has no 'arch'"),
                Arguments.of("builder listed twice", SPEC.replace("ssh://root@x86node01\n    arch: x86_64",
                        "ssh://root@p9node01\n    arch: x86_64"),
                        "11:10: builder 2 ssh://root@p9node01 is listed twice (first at line 7)"),
                Arguments.of("max-builds not a number", SPEC.replace("max-builds: 2", "max-builds: two"),
                        "10:17: max-builds of builder 1 must be a whole number of at least 1, not 'two'"),
                Arguments.of("max-builds zero", SPEC.replace("max-builds: 2", "max-builds: 0"),
                        "10:17: max-builds of builder 1 must be a whole number of at least 1, not '0'"),
                Arguments.of("max-parallel text", SPEC.replace("max-parallel: 3", "max-parallel: \"3\""),
                        "5:15: max-parallel of the spec must be a whole number of at least 1, not the quoted text"
                        + " '3'"),
                Arguments.of("emulation neither", SPEC.replace("emulation: allowed", "emulation: maybe"),
                        "13:16: emulation of builder 2 must be allowed or no, not 'maybe'"),
                Arguments.of("release not osvers", SPEC.replace("release: rhels8.8.0", "release: \"8.8\""),
                        "9:14: release of builder 1 must be an OS release in xCAT's osvers form (rhels8.8.0,"
                        + " sle15.4, ubuntu22.04), not '8.8'"),
                Arguments.of("unreadable definitions", SPEC.replace("compute.stanza", "other.stanza"),
                        "15:5: definitions: cannot read other.stanza: no such file: other.stanza"),
                Arguments.of("mount unknown", SPEC.replace("  mount: sshfs", "  mount: nfs4"),
                        "17:10: mount of defaults must be nfs, sshfs or none, not 'nfs4'"),
                Arguments.of("timeout not ISO", SPEC.replace("PT2H", "2h"), "18:21: generate-timeout of defaults"
                        + " must be a positive ISO-8601 duration (PT3H, PT90M), not '2h'"),
                Arguments.of("timeout zero", SPEC.replace("PT10M", "PT0S"), "27:19: step-timeout of build"
                        + " compute-x86 must be a positive ISO-8601 duration (PT3H, PT90M), not 'PT0S'"),
                Arguments.of("waive unknown", SPEC.replace("[os-release]", "[os-release, arch-check]"),
                        "19:23: waive of defaults: no preflight check arch-check (checks: arch, install, os-release,"
                        + " perl-modules, root, tools)"),
                Arguments.of("waive not a list", SPEC.replace("[os-release]", "os-release"),
                        "19:10: waive must be a list (- item lines), not 'os-release'"),
                Arguments.of("replace not boolean", SPEC.replace("replace: true", "replace: \"yes\""),
                        "28:14: replace of build compute-x86 must be true or false, not 'yes'"),
                Arguments.of("build without name", SPEC.replace("  - name: compute-x86\n    source:", "  - source:"),
                        "23:5: build 2 has no 'name'"),
                Arguments.of("build name invalid", SPEC.replace("name: compute-x86", "name: compute=x86"),
                        "23:11: invalid osimage name 'compute=x86': it must be non-empty, without surrounding"
                        + " blanks, '=', ':' or line breaks"),
                Arguments.of("build not a mapping", SPEC.replace("  - name: pinned\n    source: "
                        + "rhels8.8.0-ppc64le-netboot-compute\n    builder: ssh://root@x86node01\n", "  - pinned\n"),
                        "29:5: build 3 must be a mapping of keys to values, not 'pinned'"),
                Arguments.of("two builds one name", SPEC.replace("name: pinned", "name: compute-ppc"),
                        "29:11: two builds are named compute-ppc (first at line 21)"),
                Arguments.of("no builds", SPEC.substring(0, SPEC.indexOf("\nbuilds:")) + "\nbuilds: []\n",
                        "20:9: builds is empty; list at least one build"),
                Arguments.of("build without arch", SPEC.replace("    arch: x86_64\n    mount", "    mount"),
                        "23:5: build compute-x86 has no arch: name it (arch: ppc64le), or a builder, or add the"
                        + " definition of rhels8.8.0-x86_64-netboot-compute to definitions"),
                Arguments.of("arch differs from definition", SPEC.replace("builder: ssh://root@x86node01",
                        "arch: x86_64"), "31:11: build pinned: arch x86_64 differs from osarch ppc64le of its"
                        + " source rhels8.8.0-ppc64le-netboot-compute in definitions"),
                Arguments.of("no builder of arch", noEmulation.replace("    arch: x86_64\n    mount",
                        "    arch: s390x\n    mount"), "24:11: build compute-x86: no builder can take it: none of"
                        + " root@p9node01 (ppc64le rhels8.8.0), root@x86node01 (x86_64) builds architecture s390x"),
                Arguments.of("no builder of release", noEmulation.replace("netboot-compute\n  - name: compute-x86",
                        "netboot-compute\n    release: rhels9.2\n  - name: compute-x86"),
                        "22:14: build compute-ppc: no builder can take it: none of root@p9node01 (ppc64le"
                        + " rhels8.8.0), root@x86node01 (x86_64) builds architecture ppc64le and release rhels9.2"),
                Arguments.of("builder not in pool", SPEC.replace("builder: ssh://root@x86node01",
                        "builder: ssh://root@x86node02"), "31:14: build pinned: builder ssh://root@x86node02 is not"
                        + " in builders (ssh://root@p9node01, ssh://root@x86node01)"),
                Arguments.of("pinned builder of other arch without emulation", noEmulation,
                        "30:14: build pinned: no builder can take it: none of root@x86node01 (x86_64) builds"
                        + " architecture ppc64le and release rhels8.8.0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void everyRefusalNamesFileLineAndColumnBeforeAnythingRuns(String what, String text, String message) {
        BuildSpecException e = assertThrows(BuildSpecException.class, () -> read(text));

        assertEquals("spec.yaml:" + message, e.getMessage());
        assertEquals("spec.yaml", e.source().orElseThrow());
        String[] at = message.split(":", 3);
        assertEquals(OptionalInt.of(Integer.parseInt(at[0])), e.line());
        assertEquals(OptionalInt.of(Integer.parseInt(at[1])), e.column());
    }

    @Test
    void definitionsAreReadRelativeToTheSpecFile(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("defs"));
        Files.writeString(dir.resolve("defs/compute.stanza"), StanzaCodec.write(definitions("compute.stanza")));
        Files.writeString(dir.resolve("spec.yaml"), SPEC.replace("  - compute.stanza", "  - defs/compute.stanza"));

        BuildSpec spec = BuildSpec.read(dir.resolve("spec.yaml"));

        assertEquals(Optional.of("ppc64le"), spec.builds().get(0).constraint().arch());
        Files.delete(dir.resolve("defs/compute.stanza"));
        BuildSpecException e = assertThrows(BuildSpecException.class, () -> BuildSpec.read(dir.resolve("spec.yaml")));
        assertEquals(dir.resolve("spec.yaml") + ":15:5: definitions: cannot read defs/compute.stanza: no such file: "
                + dir.resolve("defs/compute.stanza"), e.getMessage());
    }
}
