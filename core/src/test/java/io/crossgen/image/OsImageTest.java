package io.crossgen.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OsImageTest {

    private static OsImage image(String... pairs) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            attrs.put(pairs[i], pairs[i + 1]);
        }
        return OsImage.of("img", attrs);
    }

    private static OsImage netboot(String... extra) {
        List<String> pairs = new java.util.ArrayList<>(List.of("osvers", "rhels8.8.0", "osarch", "ppc64le",
                "profile", "compute", "provmethod", "netboot", "pkglist", "/opt/xcat/share/xcat/netboot/rh/c.pkglist"));
        pairs.addAll(List.of(extra));
        return image(pairs.toArray(String[]::new));
    }

    // ---- catalogue ----

    @Test
    void catalogueHoldsEveryLinuxAttributeOfTheSchemaInOrder() {
        String schema = "groups imagetype description provmethod osdistroname osupdatename cfmdir rootfstype"
                + " nfsrootopts profile osname osvers osarch synclists postscripts postbootscripts serverrole"
                + " isdeletable kitcomponents environvar template boottarget addkcmdline pkglist pkgdir"
                + " otherpkglist otherpkgdir exlist postinstall rootimgdir kerneldir nodebootif otherifce"
                + " netdrivers kernelver krpmver permission dump crashkernelsize partitionfile driverupdatesrc"
                + " usercomment";
        assertEquals(Arrays.asList(schema.split(" ")),
                Arrays.stream(Attribute.values()).map(Attribute::xcatName).toList());
        assertEquals("comments", Attribute.USERCOMMENT.column());
        assertEquals(Attribute.USERCOMMENT, Attribute.of("usercomment").orElseThrow());
        assertTrue(Attribute.of("comments").isEmpty());
    }

    @Test
    void builderAttributesAreExactlyWhatGenimagePmPassesOn() {
        assertEquals("profile osvers osarch environvar pkglist pkgdir otherpkglist otherpkgdir postinstall rootimgdir"
                + " kerneldir nodebootif otherifce netdrivers kernelver krpmver permission driverupdatesrc",
                Arrays.stream(Attribute.values()).filter(a -> a.usage() == Usage.BUILDER)
                        .map(Attribute::xcatName).collect(Collectors.joining(" ")));
    }

    @Test
    void kindsSayWhatEachPathAttributeHolds() {
        assertEquals(AttributeKind.SCRIPT_ENTRIES, Attribute.POSTINSTALL.kind());
        assertEquals(AttributeKind.PREFIXED_PATH_LIST, Attribute.DRIVERUPDATESRC.kind());
        assertEquals(AttributeKind.PREFIXED_PATH, Attribute.PARTITIONFILE.kind());
        assertEquals(AttributeKind.DIR_OR_URL_LIST, Attribute.PKGDIR.kind());
        assertEquals(AttributeKind.PATH, Attribute.TEMPLATE.kind());
        assertEquals(AttributeKind.DIR, Attribute.KERNELDIR.kind());
        assertEquals(List.of(Attribute.CFMDIR, Attribute.SYNCLISTS, Attribute.TEMPLATE, Attribute.PKGLIST,
                Attribute.PKGDIR, Attribute.OTHERPKGLIST, Attribute.OTHERPKGDIR, Attribute.EXLIST,
                Attribute.POSTINSTALL, Attribute.ROOTIMGDIR, Attribute.KERNELDIR, Attribute.PARTITIONFILE,
                Attribute.DRIVERUPDATESRC),
                Arrays.stream(Attribute.values()).filter(a -> a.kind().holdsPaths()).toList());
    }

    // ---- values ----

    @Test
    void typedAccessorsReadTheSample() {
        OsImage image = Samples.stanza(Samples.CUSTOM);
        assertEquals("rhels8.8.0", image.osvers().orElseThrow());
        assertEquals("ppc64le", image.osarch().orElseThrow());
        assertEquals("quiet", image.addkcmdline().orElseThrow());
        assertEquals(List.of("/opt/xcat/share/xcat/netboot/rh/compute.rhels8.ppc64le.pkglist",
                "/custom/netboot/mycompute.pkglist"), image.pkglist());
        assertEquals(List.of("dud:/custom/drivers/mlx5-rhel8.8.iso",
                "rpm:/install/driverdisk/rhels8.8.0/ppc64le/kmod-ice.rpm"), image.driverupdatesrc());
        assertEquals(Map.of("SITE", "lab1", "EXTRA", "/custom/netboot/extra"), image.environment());
        assertEquals("custom compute image built on a ppc64le builder", image.usercomment().orElseThrow());
        assertTrue(image.kerneldir().isEmpty());
        assertEquals(Map.of(), image.unknownAttributes());
    }

    @Test
    void unknownAttributesAreKeptInOrder() {
        OsImage image = image("winpepath", "/x", "osvers", "rhels8", "installto", "1");
        assertEquals(List.of("winpepath", "installto"), List.copyOf(image.unknownAttributes().keySet()));
        assertEquals("/x", image.get("winpepath").orElseThrow());
        assertEquals(image, StanzaCodec.readOne(StanzaCodec.write(image), "w").withName("img"));
    }

    @Test
    void withKeepsPlaceAndWithoutRemoves() {
        OsImage image = image("a", "1", "b", "2").with("a", "3").with(Attribute.PROFILE, "compute").without("b");
        assertEquals(List.of("a", "profile"), List.copyOf(image.attributes().keySet()));
        assertEquals("3", image.get("a").orElseThrow());
    }

    @Test
    void environmentSplitsAtTheFirstEquals() {
        assertEquals(Map.of("A", "1=2", "B", ""), image("environvar", "A=1=2,B").environment());
    }

    // ---- family ----

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "rhels8.8.0, rh", "rhels7.9, rh", "rhels9.4, rh", "rhels10.0, rh", "rhels7.5-alternate, rh",
        "rhelhpc7.1, rh", "centos7.9, centos", "centos8.5, centos", "centos-stream9, centos-stream",
        "rocky8.6, rocky", "rocky9.2, rocky", "alma9.2, alma", "ol8.9, ol", "SL6.5, SL", "fedora38, fedora",
        "fedora12, fedora", "sles11.4, sles", "sles12.2, sles", "sles11sp1, sles", "sle15, sle", "sle15.4, sle",
        "leap15.4, sles", "leap42.3, leap", "ubuntu18.04.1, ubuntu", "ubuntu22.04.1, ubuntu",
        "ubuntu24.04.2, ubuntu", "debian12, debian", "OSVERS, OSVERS"})
    void familyIsDerivedAsGenimagePmDerivesIt(String osvers, String family) {
        assertEquals(family, OsImage.familyOf(osvers));
        assertEquals(family, image("osvers", osvers).family().orElseThrow());
    }

    @Test
    void familyRemovesSpacesLast() {
        assertEquals("ubuntu", OsImage.familyOf("ubuntu 22.04"));
        assertTrue(image().family().isEmpty());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"rhels8.8.0, 8", "rhels7.5-alternate, 7", "sle15.4, 15", "sle15, 15", "ubuntu22.04.1, 22",
        "centos-stream9, 9", "sles11sp1, 11", "SL6.5, 6", "fedora38, 38", "leap15.4, 15"})
    void osMajorReleaseIsTheFirstNumber(String osvers, int major) {
        assertEquals(OptionalInt.of(major), image("osvers", osvers).osMajorRelease());
    }

    @Test
    void osMajorReleaseIsEmptyWithoutDigits() {
        assertEquals(OptionalInt.empty(), image("osvers", "OSVERS").osMajorRelease());
        assertEquals(OptionalInt.empty(), image().osMajorRelease());
        assertEquals(OptionalInt.empty(), image("osvers", "x12345678901").osMajorRelease());
    }

    // ---- files ----

    @Test
    void copycdsImageReferencesNothingOutsideTheSharedTrees() {
        OsImage image = Samples.stanza(Samples.RHELS8);
        assertEquals(List.of(
                new FileRef("/opt/xcat/share/xcat/netboot/rh/compute.rhels8.ppc64le.exlist", Attribute.EXLIST,
                        Usage.MANAGEMENT_NODE),
                new FileRef("/install/post/otherpkgs/rhels8.8.0/ppc64le", Attribute.OTHERPKGDIR, Usage.BUILDER),
                new FileRef("/install/rhels8.8.0/ppc64le", Attribute.PKGDIR, Usage.BUILDER),
                new FileRef("/opt/xcat/share/xcat/netboot/rh/compute.rhels8.ppc64le.pkglist", Attribute.PKGLIST,
                        Usage.BUILDER),
                new FileRef("/opt/xcat/share/xcat/netboot/rh/compute.rhels8.ppc64le.postinstall",
                        Attribute.POSTINSTALL, Usage.BUILDER)), image.referencedFiles());
        assertEquals(List.of(), image.externalFiles("/install", "/opt/xcat"));
    }

    @Test
    void customImageExternalFilesSayWhoNeedsThem() {
        assertEquals(List.of(
                new FileRef("/custom/drivers/mlx5-rhel8.8.iso", Attribute.DRIVERUPDATESRC, Usage.BUILDER),
                new FileRef("/custom/netboot/mycompute.exlist", Attribute.EXLIST, Usage.MANAGEMENT_NODE),
                new FileRef("/custom/netboot/mycompute.otherpkglist", Attribute.OTHERPKGLIST, Usage.BUILDER),
                new FileRef("/custom/netboot/mycompute.pkglist", Attribute.PKGLIST, Usage.BUILDER),
                new FileRef("/custom/netboot/mycompute.postinstall", Attribute.POSTINSTALL, Usage.BUILDER),
                new FileRef("/custom/netboot/mycompute.synclist", Attribute.SYNCLISTS, Usage.MANAGEMENT_NODE)),
                Samples.stanza(Samples.CUSTOM).externalFiles("/install", "/opt/xcat"));
    }

    @Test
    void urlsArgumentsAndPrefixesAreNotFiles() {
        OsImage image = image(
                "pkgdir", "http://mirror/ubuntu jammy main,/srv/repo",
                "otherpkgdir", "ftp://x/y,https://z/w",
                "postinstall", "  /srv/post.sh --arg /srv/not-a-file  ,/srv/other.sh",
                "driverupdatesrc", "dud:/srv/a.iso,rpm:/srv/b.rpm,/srv/c.rpm",
                "partitionfile", "s:d:/srv/part.sh",
                "dump", "nfs://10.0.0.1/dumps",
                "kerneldir", "/srv/kernels",
                "template", "/srv/t.tmpl",
                "cfmdir", "/srv/cfm");
        assertEquals(List.of("/srv/repo", "/srv/post.sh", "/srv/other.sh", "/srv/a.iso", "/srv/b.rpm", "/srv/c.rpm",
                "/srv/part.sh", "/srv/kernels", "/srv/t.tmpl", "/srv/cfm"),
                image.externalFiles("/install", "/opt/xcat").stream().map(FileRef::path).toList());
        assertTrue(image.externalFiles("/install", "/opt/xcat").get(0).isDirectory());
        assertTrue(!image.externalFiles("/install", "/opt/xcat").get(1).isDirectory());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"s:/p, /p", "d:/p, /p", "c:/p, /p", "s:d:/p, /p", "s:c:/p, /p", "/p, /p"})
    void partitionfilePrefixesAreStripped(String value, String path) {
        assertEquals(path, image("partitionfile", value).referencedFiles().get(0).path());
    }

    @Test
    void sharedTreesAreTestedBySegments() {
        OsImage image = image("pkglist", "/installx/a,/install,/install//a,/install/../etc/b,/opt/xcat/share/xcatx/c,"
                + "/opt/xcat/share/xcat/./d,/opt/xcat/share/e,relative/f,/install/./../install/g");
        assertEquals(List.of("/installx/a", "/install/../etc/b", "/opt/xcat/share/xcatx/c", "/opt/xcat/share/e",
                "relative/f"), image.externalFiles("/install", "/opt/xcat").stream().map(FileRef::path).toList());
    }

    @Test
    void aPathNamedTwiceIsReportedOnceAsBuilderInput() {
        OsImage image = image("exlist", "/srv/shared.list,/srv/ex", "pkglist", "/srv/shared.list",
                "otherpkglist", "/srv/ex,/srv/ex");
        assertEquals(List.of(new FileRef("/srv/shared.list", Attribute.PKGLIST, Usage.BUILDER),
                new FileRef("/srv/ex", Attribute.OTHERPKGLIST, Usage.BUILDER)), image.referencedFiles());
    }

    @Test
    void unknownAttributesNameNoFiles() {
        assertEquals(List.of(), image("winpepath", "/srv/winpe", "rootimgdir", "/srv/images").referencedFiles());
    }

    // ---- stateless validation ----

    @Test
    void copycdsNetbootImagesAreValid() {
        assertEquals(List.of(), Samples.stanza(Samples.RHELS8).validateForStateless());
        assertEquals(List.of(), Samples.stanza(Samples.XCAT_E).validateForStateless());
        assertEquals(List.of(), Samples.stanza(Samples.XCAT_D).validateForStateless());
        assertEquals(List.of(), Samples.stanza(Samples.CUSTOM).validateForStateless());
        OsImage image = netboot();
        assertSame(image, image.requireValidForStateless());
    }

    private static List<String> problems(OsImage image) {
        return image.validateForStateless().stream().map(ImageProblem::toString).toList();
    }

    @Test
    void emptyImageLacksEverythingGenimageNeeds() {
        assertEquals(List.of(
                "osimage 'img': osvers is not set; genimage needs osvers, osarch, profile and provmethod",
                "osimage 'img': osarch is not set; genimage needs osvers, osarch, profile and provmethod",
                "osimage 'img': profile is not set; genimage needs osvers, osarch, profile and provmethod",
                "osimage 'img': provmethod is not set; genimage needs osvers, osarch, profile and provmethod",
                "osimage 'img': pkglist is not set; genimage needs at least one .pkglist file"),
                problems(image()));
    }

    @Test
    void installImageIsRefused() {
        OsImage image = Samples.stanza(Samples.XCAT_A);
        assertEquals(List.of("osimage 'rhels7-ppc64-install-compute': provmethod is 'install'; genimage builds only"
                + " 'netboot' or 'statelite' images"), problems(image));
        ImageException e = assertThrows(ImageException.class, image::requireValidForStateless);
        assertEquals("osimage 'rhels7-ppc64-install-compute' cannot be built as a stateless image: provmethod is"
                + " 'install'; genimage builds only 'netboot' or 'statelite' images", e.getMessage());
        assertEquals("rhels7-ppc64-install-compute", e.image().orElseThrow());
        assertEquals("provmethod", e.attribute().orElseThrow());
    }

    @Test
    void statelitePasses() {
        assertEquals(List.of(), problems(netboot().with("provmethod", "statelite")));
    }

    @Test
    void xcatTestTemplateIsFlaggedForItsPlaceholders() {
        assertEquals(List.of(
                "osimage 'test.environments.osimage': osvers 'OSVERS' gives the genimage family 'OSVERS', for which"
                        + " xCAT ships no netboot directory",
                "osimage 'test.environments.osimage': osarch 'OSARCH' is not one of x86_64, ppc64le, ppc64el, ppc64,"
                        + " aarch64, s390x, x86",
                "osimage 'test.environments.osimage': pkglist entry 'PKGLIST' is not an absolute path",
                "osimage 'test.environments.osimage': pkgdir entry 'PKGDIR' is not an absolute path",
                "osimage 'test.environments.osimage': postinstall entry 'POSTINSTALL' is not an absolute path"),
                problems(Samples.stanza(Samples.XCAT_B)));
    }

    @Test
    void ubuntuUsesPpc64elAndOthersPpc64le() {
        assertEquals(List.of("osimage 'img': osarch is 'ppc64le' but ubuntu images use 'ppc64el'"),
                problems(netboot("osvers", "ubuntu22.04.1")));
        assertEquals(List.of(), problems(netboot("osvers", "ubuntu22.04.1", "osarch", "ppc64el")));
        assertEquals(List.of("osimage 'img': osarch is 'ppc64el' (the Ubuntu name) but rh images use 'ppc64le'"),
                problems(netboot("osarch", "ppc64el")));
        assertEquals(List.of("osimage 'img': osarch is 'ppc64el' (the Ubuntu name) but sle images use 'ppc64le'"),
                problems(netboot("osvers", "sle15.4", "osarch", "ppc64el")));
    }

    @Test
    void everyKnownArchIsAccepted() {
        for (String arch : List.of("x86_64", "ppc64le", "ppc64", "aarch64", "s390x", "x86")) {
            assertEquals(List.of(), problems(netboot("osarch", arch)), arch);
        }
        assertEquals(List.of("osimage 'img': osarch 'amd64' is not one of x86_64, ppc64le, ppc64el, ppc64, aarch64,"
                + " s390x, x86"), problems(netboot("osarch", "amd64")));
    }

    @Test
    void whiteSpaceInUnquotedValuesAndQuotesInQuotedOnesAreFlagged() {
        assertEquals(List.of(
                "osimage 'img': pkglist '/install/a.pkglist, /install/b.pkglist' contains white space; genimage.pm"
                        + " passes it unquoted, so the builder would split it",
                "osimage 'img': postinstall '/install/p.sh \"x\"' contains '\"'; genimage.pm wraps it in double"
                        + " quotes without escaping"),
                problems(netboot("pkglist", "/install/a.pkglist, /install/b.pkglist",
                        "postinstall", "/install/p.sh \"x\"")));
        assertEquals(List.of(), problems(netboot("postinstall", "/install/p.sh --a b",
                "pkgdir", "http://archive.ubuntu.com/ubuntu jammy main,/install/x")));
    }

    @Test
    void moreThanOneLocalOtherpkgdirIsFlagged() {
        assertEquals(List.of("osimage 'img': otherpkgdir names 2 local directories; genimage accepts at most one"
                + " (plus any number of URLs)"),
                problems(netboot("otherpkgdir", "/install/a,https://x/y,/install/b")));
    }

    @Test
    void relativeBuilderPathsAreFlagged() {
        assertEquals(List.of("osimage 'img': kerneldir entry 'kernels' is not an absolute path",
                "osimage 'img': driverupdatesrc entry 'drv.rpm' is not an absolute path"),
                problems(netboot("kerneldir", "kernels", "driverupdatesrc", "dud:/install/a.iso,rpm:drv.rpm",
                        "exlist", "relative-but-mn-only")));
    }

    @Test
    void invalidNamesAndAttributesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OsImage.of("a=b", Map.of()));
        assertEquals("invalid osimage name 'a=b': it must be non-empty, without surrounding blanks, '=', ':' or line"
                + " breaks", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> image().with("objtype", "osimage"));
        assertEquals("osimage 'img': 'objtype' is part of the definition, not an attribute", e.getMessage());
    }
}
