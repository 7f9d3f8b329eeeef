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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StanzaCodecTest {

    @ParameterizedTest
    @ValueSource(strings = {Samples.XCAT_A, Samples.XCAT_B, Samples.XCAT_C, Samples.XCAT_E, Samples.RHELS8,
            Samples.CUSTOM})
    void lsdefOutputWrittenBackIsByteIdentical(String sample) {
        String text = Samples.text(sample);
        assertEquals(text, StanzaCodec.write(StanzaCodec.read(text, sample)));
    }

    @Test
    void userStanzaWithoutHeaderLineGainsOnlyTheLsdefHeader() {
        String text = Samples.text(Samples.XCAT_D);
        assertEquals(StanzaCodec.HEADER + "\n\n" + text, StanzaCodec.write(StanzaCodec.read(text)));
    }

    @Test
    void sampleAttributesAreReadInFileOrderWithTrailingCommaKept() {
        OsImage image = Samples.stanza(Samples.XCAT_B);
        assertEquals("test.environments.osimage", image.name());
        assertEquals(List.of("environvar", "imagetype", "osarch", "osdistroname", "osname", "osvers", "otherpkgdir",
                "otherpkglist", "permission", "pkgdir", "pkglist", "postinstall", "profile", "provmethod",
                "rootimgdir", "synclists", "usercomment"), List.copyOf(image.attributes().keySet()));
        assertTrue(image.get("otherpkglist").orElseThrow().endsWith("test2.otherpkglist,"));
        assertEquals(2, image.otherpkglist().size());
        assertEquals("GITREPO=/opt/xcat/share/xcat/tools/autotest/testcase/xcat_inventory/templates/environment/gitrepo",
                image.environvar().get(0));
        assertEquals("test.environments.osimage", image.environment().get("OBJNAME"));
    }

    @Test
    void readerAcceptsWhatMkdefAccepts() {
        String text = String.join("\n",
                "# a comment",
                "   # an indented comment",
                "",
                "  first:   ",
                "objtype=osimage",
                "\tosvers = rhels8.8.0 ",
                "    environvar=A=1,B=2",
                "    description=  \" quoted, with # inside \"  ",
                "    profile=compute",
                "    profile=service",
                "    usercomment=note: kept",
                "second:",
                "    objtype=osimage",
                "    osarch=ppc64le\r",
                "");
        List<OsImage> images = StanzaCodec.read(text);
        assertEquals(2, images.size());
        Map<String, String> first = new LinkedHashMap<>();
        first.put("osvers", "rhels8.8.0");
        first.put("environvar", "A=1,B=2");
        first.put("description", "quoted, with # inside");
        first.put("profile", "service");
        first.put("usercomment", "note: kept");
        assertEquals(OsImage.of("first", first), images.get(0));
        assertEquals(OsImage.of("second", Map.of("osarch", "ppc64le")), images.get(1));
    }

    @Test
    void quotesAreStrippedOneAtEachEndIndependentlyAsMkdefDoes() {
        String text = "a:\n objtype=osimage\n x=\"\"v\"\"\n y=\"half\n z=\"\n";
        OsImage image = StanzaCodec.readOne(text, "q");
        assertEquals(Map.of("x", "\"v\""), Map.of("x", image.get("x").orElseThrow()));
        assertEquals("half", image.get("y").orElseThrow());
        assertTrue(image.get("z").isEmpty());
    }

    @Test
    void emptyValueUnsetsAnEarlierValue() {
        OsImage image = StanzaCodec.readOne("a:\n objtype=osimage\n pkglist=/x\n pkglist=\n", "e");
        assertEquals(Map.of(), image.attributes());
    }

    @Test
    void defaultOsimageStanzaAppliesToLaterObjectsAndYieldsToTheirOwnValues() {
        String text = String.join("\n",
                "default-osimage:",
                "    objtype=osimage",
                "    imagetype=linux",
                "    osarch=ppc64le",
                "before:",
                "    objtype=osimage",
                "    osarch=x86_64",
                "default-osimage:",
                "    osname=Linux",
                "after:",
                "    objtype=osimage",
                "    osvers=rhels8.8.0",
                "");
        List<OsImage> images = StanzaCodec.read(text, "defaults.stanza");
        assertEquals(Map.of("imagetype", "linux", "osarch", "x86_64"), images.get(0).attributes());
        assertEquals(List.of("imagetype", "osarch", "osname", "osvers"),
                List.copyOf(images.get(1).attributes().keySet()));
    }

    @Test
    void attributeBeforeObjtypeEqualToTheDefaultIsAccepted() {
        String text = "default-osimage:\n imagetype=linux\nimg:\n imagetype=linux\n objtype=osimage\n";
        assertEquals(Map.of("imagetype", "linux"), StanzaCodec.readOne(text, "d").attributes());
    }

    @Test
    void leadingByteOrderMarkIsIgnored() {
        String text = Samples.text(Samples.RHELS8);
        assertEquals(StanzaCodec.read(text), StanzaCodec.read("\uFEFF" + text));
    }

    @Test
    void emptyInputAndHeaderOnlyHoldNoImages() {
        assertEquals(List.of(), StanzaCodec.read(""));
        assertEquals(List.of(), StanzaCodec.read(StanzaCodec.HEADER + "\n"));
        assertEquals(StanzaCodec.HEADER + "\n", StanzaCodec.write(List.of()));
    }

    @Test
    void writerSortsByCodePointsPutsObjtypeFirstAndLeavesOutEmptyValues() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("pkglist", "/a");
        attrs.put("Zeta", "upper case sorts first");
        attrs.put("description", "");
        attrs.put("addkcmdline", "quiet");
        attrs.put("osarch_x", "underscore after letters");
        attrs.put("osarch", "ppc64le");
        String expected = "# <xCAT data object stanza file>\n\nimg:\n    objtype=osimage\n"
                + "    Zeta=upper case sorts first\n    addkcmdline=quiet\n    osarch=ppc64le\n"
                + "    osarch_x=underscore after letters\n    pkglist=/a\n";
        assertEquals(expected, StanzaCodec.write(OsImage.of("img", attrs)));
    }

    @Test
    void writerPutsABlankLineBeforeEachObject() {
        String out = StanzaCodec.write(List.of(OsImage.of("a", Map.of("x", "1")), OsImage.of("b", Map.of())));
        assertEquals("# <xCAT data object stanza file>\n\na:\n    objtype=osimage\n    x=1\n\nb:\n"
                + "    objtype=osimage\n", out);
    }

    @Test
    void codePointOrderDiffersFromUtf16OrderAboveTheSurrogates() {
        assertTrue(StanzaCodec.compareCodePoints("\uFF21", "\uD83D\uDE00") < 0);
        assertTrue("\uFF21".compareTo("\uD83D\uDE00") > 0);
    }

    @Test
    void readsFromReaderAndPathNamingThePathInErrors(@TempDir Path dir) throws IOException {
        assertEquals(Samples.stanza(Samples.RHELS8),
                StanzaCodec.read(new StringReader(Samples.text(Samples.RHELS8)), "r").get(0));
        assertEquals(Samples.stanza(Samples.RHELS8), StanzaCodec.readOne(Samples.path(Samples.RHELS8)));
        Path bad = dir.resolve("compute.stanza");
        Files.writeString(bad, "compute:\n    objtype=osimage\n    oops\n");
        ImageException e = assertThrows(ImageException.class, () -> StanzaCodec.read(bad));
        assertEquals(bad + ":3: line has no '=' and does not end in ':' (mkdef -z would ignore the rest of"
                + " osimage 'compute'): 'oops'", e.getMessage());
        assertEquals(bad.toString(), e.source().orElseThrow());
        assertEquals(OptionalInt.of(3), e.line());
        assertEquals("compute", e.image().orElseThrow());
    }

    @Test
    void missingFileIsAnImageExceptionWithTheCause(@TempDir Path dir) {
        Path missing = dir.resolve("none.stanza");
        ImageException e = assertThrows(ImageException.class, () -> StanzaCodec.read(missing));
        assertEquals(missing + ": cannot read: java.nio.file.NoSuchFileException: " + missing, e.getMessage());
        assertTrue(e.getCause() instanceof java.nio.file.NoSuchFileException);
    }

    // ---- read errors, each with its exact message ----

    private static ImageException readError(String text) {
        return assertThrows(ImageException.class, () -> StanzaCodec.read(text, "compute.stanza"));
    }

    @Test
    void lineWithoutEqualsIsAnError() {
        ImageException e = readError("# <xCAT data object stanza file>\n\ncompute:\n    objtype=osimage\n"
                + "    osvers=rhels8.8.0\n\n    profile compute\n");
        assertEquals("compute.stanza:7: line has no '=' and does not end in ':' (mkdef -z would ignore the rest"
                + " of osimage 'compute'): 'profile compute'", e.getMessage());
        assertEquals(OptionalInt.of(7), e.line());
        assertEquals(OptionalInt.empty(), e.column());
    }

    @Test
    void headerWithEqualsIsAnError() {
        ImageException e = readError("bad name=x y:\n    objtype=osimage\n");
        assertEquals("compute.stanza:1: header 'bad name=x y:' has '=' in the object name; mkdef -z would skip"
                + " everything up to the next header", e.getMessage());
    }

    @Test
    void valueEndingInColonIsReadAsTheAttributeLsdefPrinted() {
        OsImage image = StanzaCodec.readOne("# <xCAT data object stanza file>\n\ncompute:\n    objtype=osimage\n"
                + "    profile=x\n    usercomment=see note:\n    weird=a=b:\n", "compute.stanza");
        assertEquals(Map.of("profile", "x", "usercomment", "see note:", "weird", "a=b:"), image.attributes());
        assertEquals(Map.of("usercomment", "see note:", "weird", "a=b:"), StanzaCodec.headerLikeValues(image));
    }

    @Test
    void attributeEndingInColonBeforeAnyHeaderIsAnError() {
        ImageException e = readError("usercomment=see note:\ncompute:\n    objtype=osimage\n");
        assertEquals("compute.stanza:1: attribute line before any 'name:' header: 'usercomment=see note:'",
                e.getMessage());
    }

    @Test
    void missingObjtypeIsAnErrorAtTheHeaderLine() {
        ImageException e = readError("\ncompute:\n    osvers=rhels8.8.0\nnext:\n    objtype=osimage\n");
        assertEquals("compute.stanza:2: osimage 'compute' has no 'objtype=osimage' line (mkdef -z: \"No type was"
                + " provided for object 'compute'.\")", e.getMessage());
        assertEquals("objtype", e.attribute().orElseThrow());
    }

    @Test
    void missingObjtypeInTheLastObjectIsAnError() {
        ImageException e = readError("compute:\n    osvers=rhels8.8.0\n");
        assertEquals("compute.stanza:1: osimage 'compute' has no 'objtype=osimage' line (mkdef -z: \"No type was"
                + " provided for object 'compute'.\")", e.getMessage());
    }

    @Test
    void otherObjtypeIsAnError() {
        ImageException e = readError("node01:\n    objtype=node\n    groups=compute\n");
        assertEquals("compute.stanza:2: object 'node01' has objtype 'node'; only osimage definitions can be read",
                e.getMessage());
    }

    @Test
    void defaultsForAnotherTypeAreReadAndIgnored() {
        List<OsImage> images = StanzaCodec.read("default-node:\n    objtype=node\n    groups=all\n"
                + "img:\n    objtype=osimage\n    profile=p\n", "compute.stanza");
        assertEquals(List.of(OsImage.of("img", Map.of("profile", "p"))), images);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rhels7-ppc64-default-compute", "mydefault", "default-a-b", "defaults", "Default"})
    void namesContainingDefaultAreOrdinaryObjectsAsInReadFileInput(String name) {
        String stanza = "# <xCAT data object stanza file>\n\n" + name + ":\n    objtype=osimage\n    profile=p\n";
        OsImage image = StanzaCodec.readOne(stanza, "compute.stanza");
        assertEquals(OsImage.of(name, Map.of("profile", "p")), image);
        assertEquals(stanza, StanzaCodec.write(image));
    }

    @Test
    void defaultStanzaAddsToTheDefaultsOfTheLastDefaultsType() {
        List<OsImage> images = StanzaCodec.read("default-osimage:\n    imagetype=linux\nfirst:\n"
                + "    objtype=osimage\ndefault:\n    osname=Linux\nsecond:\n    objtype=osimage\n", "compute.stanza");
        assertEquals(List.of(OsImage.of("first", Map.of("imagetype", "linux")),
                OsImage.of("second", Map.of("imagetype", "linux", "osname", "Linux"))), images);
    }

    @Test
    void defaultStanzaBeforeAnyDefaultsTypeIsIgnored() {
        List<OsImage> images = StanzaCodec.read("default:\n    osname=Linux\nimg:\n    objtype=osimage\n",
                "compute.stanza");
        assertEquals(List.of(OsImage.of("img", Map.of())), images);
    }

    @Test
    void attributeBeforeAnyHeaderIsAnError() {
        ImageException e = readError("# <xCAT data object stanza file>\nosvers=rhels8.8.0\ncompute:\n");
        assertEquals("compute.stanza:2: attribute line before any 'name:' header: 'osvers=rhels8.8.0'",
                e.getMessage());
    }

    @Test
    void sameObjectTwiceIsAnError() {
        ImageException e = readError("a:\n objtype=osimage\nb:\n objtype=osimage\n a :\n objtype=osimage\n");
        assertEquals("compute.stanza:5: osimage 'a' is defined twice (first at line 1); mkdef -z would merge the"
                + " two", e.getMessage());
    }

    @Test
    void attributeOverwrittenByADefaultIsAnError() {
        ImageException e = readError("default-osimage:\n    osarch=ppc64le\ncompute:\n    osarch=x86_64\n"
                + "    objtype=osimage\n");
        assertEquals("compute.stanza:5: osimage 'compute': 'osarch' (line 4) comes before 'objtype=' and mkdef -z"
                + " would replace it with the default-osimage value; put 'objtype=' first", e.getMessage());
        assertEquals("osarch", e.attribute().orElseThrow());
    }

    @Test
    void emptyAttributeNameIsAnError() {
        ImageException e = readError("compute:\n    objtype=osimage\n    =value\n");
        assertEquals("compute.stanza:3: attribute name is empty in '=value'", e.getMessage());
    }

    @Test
    void malformedAttributeNameIsAnError() {
        ImageException e = readError("compute:\n    objtype=osimage\n    pkg list=/a\n");
        assertEquals("compute.stanza:3: osimage 'compute': invalid attribute name 'pkg list'", e.getMessage());
        assertEquals("pkg list", e.attribute().orElseThrow());
    }

    @Test
    void imagenameAttributeIsAnError() {
        ImageException e = readError("compute:\n    objtype=osimage\n    imagename=other\n");
        assertEquals("compute.stanza:3: osimage 'compute': 'imagename' is part of the definition, not an"
                + " attribute", e.getMessage());
    }

    @Test
    void headerWithoutNameIsAnError() {
        ImageException e = readError("   :\n");
        assertEquals("compute.stanza:1: header ':' has no object name", e.getMessage());
    }

    @Test
    void unnamedTextGivesLineNumbersOnly() {
        ImageException e = assertThrows(ImageException.class, () -> StanzaCodec.read("x:\n objtype=osimage\n y\n"));
        assertEquals("line 3: line has no '=' and does not end in ':' (mkdef -z would ignore the rest of osimage"
                + " 'x'): 'y'", e.getMessage());
        assertTrue(e.source().isEmpty());
    }

    @Test
    void readOneRefusesSeveralImages() {
        ImageException e = assertThrows(ImageException.class,
                () -> StanzaCodec.readOne("a:\n objtype=osimage\nb:\n objtype=osimage\n", "lsdef -z a"));
        assertEquals("lsdef -z a: expected exactly one osimage, found 2", e.getMessage());
    }

    @Test
    void longQuotedInputIsShortened() {
        ImageException e = readError("x:\n objtype=osimage\n" + "y".repeat(500) + "\n");
        assertEquals("compute.stanza:3: line has no '=' and does not end in ':' (mkdef -z would ignore the rest of"
                + " osimage 'x'): '" + "y".repeat(120) + "...'", e.getMessage());
    }

    // ---- write errors ----

    private static ImageException writeError(String attribute, String value) {
        return assertThrows(ImageException.class,
                () -> StanzaCodec.write(OsImage.of("compute", Map.of(attribute, value))));
    }

    @Test
    void writingAValueEndingInColonIsRefused() {
        ImageException e = writeError("usercomment", "see:");
        assertEquals("osimage 'compute': value of 'usercomment' ends in ':', so mkdef -z would take the line for an"
                + " object header and drop the rest of the stanza (leave it out and set it with chdef afterwards; see"
                + " StanzaCodec.headerLikeValues): 'see:'", e.getMessage());
        assertEquals("compute", e.image().orElseThrow());
        assertEquals("usercomment", e.attribute().orElseThrow());
        assertTrue(e.line().isEmpty());
    }

    @Test
    void writingALineBreakIsRefused() {
        assertEquals("osimage 'compute': value of 'description' contains a line break; stanza values are single"
                + " lines: 'a\nb'", writeError("description", "a\nb").getMessage());
        assertEquals("osimage 'compute': value of 'description' contains a line break; stanza values are single"
                + " lines: 'a\rb'", writeError("description", "a\rb").getMessage());
    }

    @Test
    void writingSurroundingQuotesIsRefused() {
        assertEquals("osimage 'compute': value of 'description' starts or ends with '\"', which mkdef -z would"
                + " strip: '\"quoted\"'", writeError("description", "\"quoted\"").getMessage());
        assertEquals("osimage 'compute': value of 'description' starts or ends with '\"', which mkdef -z would"
                + " strip: 'half\"'", writeError("description", "half\"").getMessage());
    }

    @Test
    void writingSurroundingBlanksIsRefused() {
        assertEquals("osimage 'compute': value of 'description' starts or ends with white space, which mkdef -z"
                + " would trim: ' x'", writeError("description", " x").getMessage());
        assertEquals("osimage 'compute': value of 'description' starts or ends with white space, which mkdef -z"
                + " would trim: 'x\t'", writeError("description", "x\t").getMessage());
    }

    @Test
    void writingNamesMkdefWouldMisreadIsRefused() {
        for (String name : List.of("default", "default-osimage", "default-x.y")) {
            ImageException e = assertThrows(ImageException.class, () -> StanzaCodec.write(OsImage.of(name, Map.of())));
            assertEquals("osimage '" + name + "': xCAT's mkdef -z reads a stanza named 'default' or 'default-X' (X"
                    + " without '-') as defaults for other objects, not as an object, so such an image cannot be"
                    + " defined through a stanza; choose another name", e.getMessage());
        }
        ImageException e = assertThrows(ImageException.class, () -> StanzaCodec.write(OsImage.of("#x", Map.of())));
        assertEquals("osimage '#x': a name starting with '#' would be a comment line to mkdef -z", e.getMessage());
    }

    @Test
    void renamedCopyIsTheSedOfTheManualProcedure() {
        OsImage copy = Samples.stanza(Samples.RHELS8).withName("mycomputeimage")
                .with(Attribute.ROOTIMGDIR, "/install/netboot/rhels8.8.0/ppc64le/mycomputeimage");
        String expected = Samples.text(Samples.RHELS8)
                .replace("rhels8.8.0-ppc64le-netboot-compute:", "mycomputeimage:")
                .replace("ppc64le/compute\n", "ppc64le/mycomputeimage\n");
        assertEquals(expected, StanzaCodec.write(copy));
    }
}
