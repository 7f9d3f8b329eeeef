package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.ImageDiff.Change;
import io.crossgen.build.Inventory.Package;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The difference of two provenances: attributes, files, repositories, packages. */
class ImageDiffTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    private static Provenance build(String image, String osvers, String listSum, String repoSum,
            List<Package> packages) {
        return ProvenanceTest.sample(image, Map.of("osvers", osvers, "profile", "compute", "rootimgdir",
                "/install/netboot/" + image), List.of(
                new Provenance.Resource("pkglist", "file:///custom/compute.pkglist", listSum),
                new Provenance.Resource("include", "file:///custom/common/base.pkglist", A),
                new Provenance.Resource("pkgdir-metadata", "file:///install/r/repodata/repomd.xml", repoSum)),
                packages);
    }

    @Test
    void twoProvenancesDifferInAttributeFileRepositoryAndPackagesAddedRemovedChanged() {
        Provenance a = build("march", "rhels8.8.0", A, B, List.of(new Package("bash", "4.4.20-4.el8", "ppc64le"),
                new Package("nfs-utils", "2.3.3-57.el8", "ppc64le"), new Package("rsyslog", "8.2102-10.el8",
                "ppc64le")));
        Provenance b = build("april", "rhels8.9.0", C, C, List.of(new Package("bash", "4.4.20-5.el8", "ppc64le"),
                new Package("rsyslog", "8.2102-10.el8", "ppc64le"), new Package("vim-minimal", "2:8.0.1763-19.el8",
                "ppc64le")));

        ImageDiff d = ImageDiff.of(a, b);

        assertEquals(List.of(), d.parameters());
        assertEquals(List.of(new Change("osvers", "rhels8.8.0", "rhels8.9.0")), d.definition());
        assertEquals(List.of(new Change("file:///custom/compute.pkglist", A, C)), d.inputs());
        assertEquals(List.of(new Change("file:///install/r/repodata/repomd.xml", B, C)), d.repositories());
        assertEquals(List.of(), d.subjects());
        assertEquals(List.of(new Change("bash.ppc64le", "4.4.20-4.el8", "4.4.20-5.el8"),
                new Change("nfs-utils.ppc64le", "2.3.3-57.el8", ""),
                new Change("vim-minimal.ppc64le", "", "2:8.0.1763-19.el8")), d.packages());
        assertEquals("from march to april:\n"
                + "  definition:\n"
                + "    ~ osvers rhels8.8.0 -> rhels8.9.0\n"
                + "  input files (sha256):\n"
                + "    ~ file:///custom/compute.pkglist " + A + " -> " + C + "\n"
                + "  repositories (sha256 of their metadata):\n"
                + "    ~ file:///install/r/repodata/repomd.xml " + B + " -> " + C + "\n"
                + "  packages:\n"
                + "    ~ bash.ppc64le 4.4.20-4.el8 -> 4.4.20-5.el8\n"
                + "    - nfs-utils.ppc64le 2.3.3-57.el8\n"
                + "    + vim-minimal.ppc64le 2:8.0.1763-19.el8\n", d.describe());
    }

    @Test
    void theSameBuildUnderAnotherNameHasNoDifferenceRootimgdirAside() {
        List<Package> p = List.of(new Package("bash", "4.4.20-4.el8", "ppc64le"));
        ImageDiff d = ImageDiff.of(build("one", "rhels8.8.0", A, B, p), build("two", "rhels8.8.0", A, B, p));
        assertTrue(d.isEmpty());
        assertEquals("from one to two: no differences\n", d.describe());
    }

    @Test
    void theJsonFormNamesEachSideOfEachChange() throws Exception {
        ImageDiff d = ImageDiff.of(build("one", "rhels8.8.0", A, B, List.of()), build("two", "rhels8.9.0", A, B,
                List.of()));
        assertEquals("{\"imageA\":\"one\",\"imageB\":\"two\",\"parameters\":[],\"definition\":[{\"name\":\"osvers\","
                + "\"before\":\"rhels8.8.0\",\"after\":\"rhels8.9.0\"}],\"inputs\":[],\"repositories\":[],"
                + "\"subjects\":[],\"packages\":[]}", Provenance.mapper().readTree(d.toJson()).toString());
    }
}
