package io.crossgen.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlCodecTest {

    @Test
    void yamlSamplesHoldTheSameImagesAsTheStanzaSamples() {
        assertEquals(Samples.stanza(Samples.RHELS8),
                YamlCodec.read(Samples.text(Samples.RHELS8_YAML), Samples.RHELS8_YAML).get(0));
        OsImage fromYaml = YamlCodec.read(Samples.path(Samples.CUSTOM_YAML)).get(0);
        OsImage fromStanza = Samples.stanza(Samples.CUSTOM);
        assertEquals(fromStanza.attributes(), new java.util.TreeMap<>(fromYaml.attributes()).entrySet().stream()
                .collect(LinkedHashMap<String, String>::new, (m, e) -> m.put(e.getKey(), e.getValue()),
                        Map::putAll));
        assertEquals("/custom/netboot/mycompute.postinstall --site lab1 --tuned hpc",
                fromYaml.postinstall().get(1));
    }

    @Test
    void attributeOrderIsKept() {
        OsImage image = YamlCodec.read(Samples.text(Samples.CUSTOM_YAML)).get(0);
        assertEquals(List.of("imagetype", "provmethod", "profile", "osname", "osvers", "osarch"),
                List.copyOf(image.attributes().keySet()).subList(0, 6));
    }

    @Test
    void typedScalarsComeBackAsTheExactText() {
        String yaml = String.join("\n",
                "osimages:",
                "  img:",
                "    permission: 755",
                "    octal: 0755",
                "    osvers: 8.10",
                "    flag: yes",
                "    bool: True",
                "    exp: 1e3",
                "    hex: 0x1F",
                "    inf: .inf",
                "    quoted: \"null\"",
                "    tilde: '~'",
                "    spaced: '  both ends  '",
                "    empty: ''",
                "");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("permission", "755");
        expected.put("octal", "0755");
        expected.put("osvers", "8.10");
        expected.put("flag", "yes");
        expected.put("bool", "True");
        expected.put("exp", "1e3");
        expected.put("hex", "0x1F");
        expected.put("inf", ".inf");
        expected.put("quoted", "null");
        expected.put("tilde", "~");
        expected.put("spaced", "  both ends  ");
        assertEquals(expected, YamlCodec.read(yaml).get(0).attributes());
    }

    @Test
    void sequencesAreJoinedWithCommas() {
        String yaml = "osimages:\n  img:\n    pkglist: [/a, /b]\n    netdrivers:\n      - tg3\n      - 755\n"
                + "    exlist: []\n";
        OsImage image = YamlCodec.read(yaml).get(0);
        assertEquals("/a,/b", image.get("pkglist").orElseThrow());
        assertEquals("tg3,755", image.get("netdrivers").orElseThrow());
        assertTrue(image.get("exlist").isEmpty());
    }

    @Test
    void severalImagesAndObjtypeOsimageAreAccepted() {
        String yaml = "osimages:\n  a:\n    objtype: osimage\n    profile: compute\n  b:\n  c: {}\n";
        assertEquals(List.of(OsImage.of("a", Map.of("profile", "compute")), OsImage.of("b", Map.of()),
                OsImage.of("c", Map.of())), YamlCodec.read(yaml));
    }

    @Test
    void emptyDocumentsHoldNoImages() {
        assertEquals(List.of(), YamlCodec.read(""));
        assertEquals(List.of(), YamlCodec.read("# nothing\n"));
        assertEquals(List.of(), YamlCodec.read("osimages:\n"));
    }

    @Test
    void writerProducesTheDocumentedShape() {
        String expected = String.join("\n",
                "osimages:",
                "  mycomputeimage:",
                "    imagetype: linux",
                "    provmethod: netboot",
                "    profile: compute",
                "    osname: Linux",
                "    osvers: rhels8.8.0",
                "    osarch: ppc64le",
                "    osdistroname: rhels8.8.0-ppc64le",
                "    pkgdir: /install/rhels8.8.0/ppc64le",
                "    pkglist:",
                "      - /opt/xcat/share/xcat/netboot/rh/compute.rhels8.ppc64le.pkglist",
                "      - /custom/netboot/mycompute.pkglist",
                "    otherpkgdir:",
                "      - /install/post/otherpkgs/rhels8.8.0/ppc64le",
                "      - https://repo.example.com/hpc/el8/ppc64le",
                "    otherpkglist: /custom/netboot/mycompute.otherpkglist",
                "    postinstall:",
                "      - /opt/xcat/share/xcat/netboot/rh/compute.rhels8.ppc64le.postinstall",
                "      - /custom/netboot/mycompute.postinstall --site lab1 --tuned hpc",
                "    driverupdatesrc:",
                "      - dud:/custom/drivers/mlx5-rhel8.8.iso",
                "      - rpm:/install/driverdisk/rhels8.8.0/ppc64le/kmod-ice.rpm",
                "    environvar:",
                "      - SITE=lab1",
                "      - EXTRA=/custom/netboot/extra",
                "    exlist:",
                "      - /opt/xcat/share/xcat/netboot/rh/compute.rhels8.ppc64le.exlist",
                "      - /custom/netboot/mycompute.exlist",
                "    synclists: /custom/netboot/mycompute.synclist",
                "    rootimgdir: /install/netboot/rhels8.8.0/ppc64le/mycomputeimage",
                "    addkcmdline: quiet",
                "    usercomment: custom compute image built on a ppc64le builder",
                "");
        OsImage image = YamlCodec.read(Samples.text(Samples.CUSTOM_YAML)).get(0);
        assertEquals(expected, YamlCodec.write(image));
    }

    @Test
    void listsThatASequenceWouldChangeStayScalars() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("otherpkglist", "/a,/b,");
        attrs.put("pkglist", "/a, /b");
        attrs.put("description", "x,y");
        attrs.put("permission", "755");
        attrs.put("osvers", "null");
        attrs.put("kernelver", "");
        OsImage image = OsImage.of("img", attrs);
        String yaml = YamlCodec.write(image);
        assertEquals("osimages:\n  img:\n    otherpkglist: \"/a,/b,\"\n    pkglist: \"/a, /b\"\n"
                + "    description: \"x,y\"\n    permission: 755\n    osvers: \"null\"\n", yaml);
        assertEquals(image.without("kernelver"), YamlCodec.read(yaml).get(0));
    }

    @Test
    void writingALineBreakIsRefused() {
        ImageException e = assertThrows(ImageException.class,
                () -> YamlCodec.write(OsImage.of("img", Map.of("description", "a\nb"))));
        assertEquals("osimage 'img': value of 'description' contains a line break; xCAT attributes are single"
                + " lines: 'a\nb'", e.getMessage());
        assertEquals("description", e.attribute().orElseThrow());
    }

    @Test
    void readerIsNotClosed() throws IOException {
        StringReader reader = new StringReader("osimages:\n");
        assertEquals(List.of(), YamlCodec.read(reader, "r"));
        assertEquals(-1, reader.read());
    }

    // ---- read errors with file, line and column ----

    private static ImageException readError(String yaml) {
        return assertThrows(ImageException.class, () -> YamlCodec.read(yaml, "images.yaml"));
    }

    @Test
    void nullValueIsAnErrorWithLineAndColumn() {
        ImageException e = readError("osimages:\n  img:\n    osvers: rhels8.8.0\n    profile:\n    osarch: x\n");
        assertEquals("images.yaml:4:5: attribute 'profile' of osimage 'img' has no value; write \"\" to leave it"
                + " empty, or quote a literal null or ~", e.getMessage());
        assertEquals(OptionalInt.of(4), e.line());
        assertEquals(OptionalInt.of(5), e.column());
        assertEquals("img", e.image().orElseThrow());
        assertEquals("profile", e.attribute().orElseThrow());
    }

    @Test
    void malformedYamlIsAnErrorWithLocation() {
        ImageException e = readError("osimages:\n  img:\n    osvers: [a\n");
        assertEquals("images.yaml:4:1: not valid YAML: while parsing a flow sequence: expected ',' or ']', but got"
                + " <stream end>", e.getMessage());
        assertEquals(OptionalInt.of(1), e.column());
        assertTrue(e.getCause() != null);
    }

    @Test
    void otherTopLevelKeyIsAnError() {
        assertEquals("images.yaml:1:1: unknown top-level key 'images'; expected 'osimages'",
                readError("images:\n  img: {}\n").getMessage());
    }

    @Test
    void rootThatIsNoMappingIsAnError() {
        assertEquals("images.yaml:1:1: the document must be a mapping with the single key 'osimages'",
                readError("- a\n- b\n").getMessage());
    }

    @Test
    void osimagesThatIsNoMappingIsAnError() {
        assertEquals("images.yaml:1:11: 'osimages' must map image names to their attributes",
                readError("osimages: [a, b]\n").getMessage());
    }

    @Test
    void imageThatIsNoMappingIsAnError() {
        assertEquals("images.yaml:2:8: osimage 'img' must be a mapping of attributes",
                readError("osimages:\n  img: rhels8\n").getMessage());
    }

    @Test
    void duplicateImageIsAnError() {
        assertEquals("images.yaml:4:3: osimage 'a' is defined twice (first at line 2)",
                readError("osimages:\n  a: {}\n  b: {}\n  a: {}\n").getMessage());
    }

    @Test
    void duplicateAttributeIsAnError() {
        assertEquals("images.yaml:4:5: attribute 'osvers' of osimage 'a' is given twice",
                readError("osimages:\n  a:\n    osvers: x\n    osvers: y\n").getMessage());
    }

    @Test
    void nestedMappingIsAnError() {
        assertEquals("images.yaml:3:5: attribute 'pkglist' of osimage 'a' must be a scalar or a sequence of"
                + " scalars", readError("osimages:\n  a:\n    pkglist: {x: 1}\n").getMessage());
    }

    @Test
    void nestedSequenceIsAnError() {
        assertEquals("images.yaml:3:15: attribute 'pkglist' of osimage 'a' must be a scalar or a sequence of"
                + " scalars", readError("osimages:\n  a:\n    pkglist: [[x]]\n").getMessage());
    }

    @Test
    void lineBreakInValueIsAnError() {
        assertEquals("images.yaml:3:5: value of 'description' in osimage 'a' contains a line break; xCAT"
                + " attributes are single lines",
                readError("osimages:\n  a:\n    description: |\n      two\n      lines\n").getMessage());
    }

    @Test
    void otherObjtypeIsAnError() {
        assertEquals("images.yaml:3:5: object 'n' has objtype 'node'; only osimage definitions can be read",
                readError("osimages:\n  n:\n    objtype: node\n").getMessage());
    }

    @Test
    void invalidNamesAreErrors() {
        assertEquals("images.yaml:2:3: invalid osimage name 'a:b': it must be non-empty, without surrounding"
                + " blanks, '=', ':' or line breaks", readError("osimages:\n  \"a:b\": {}\n").getMessage());
        assertEquals("images.yaml:3:5: osimage 'a': invalid attribute name 'pkg list'",
                readError("osimages:\n  a:\n    pkg list: x\n").getMessage());
    }

    @Test
    void secondDocumentIsAnError() {
        assertEquals("images.yaml:3:1: only one YAML document is read; remove the '---' and what follows",
                readError("osimages:\n---\nosimages:\n").getMessage());
    }

    @Test
    void fileErrorsNameThePath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("images.yaml");
        Files.writeString(file, "osimages:\n  a:\n    x:\n");
        ImageException e = assertThrows(ImageException.class, () -> YamlCodec.read(file));
        assertEquals(file + ":3:5: attribute 'x' of osimage 'a' has no value; write \"\" to leave it empty, or"
                + " quote a literal null or ~", e.getMessage());
        Path missing = dir.resolve("none.yaml");
        e = assertThrows(ImageException.class, () -> YamlCodec.read(missing));
        assertEquals(missing + ": cannot read: java.nio.file.NoSuchFileException: " + missing, e.getMessage());
    }
}
