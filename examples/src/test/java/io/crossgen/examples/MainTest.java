package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int crossgen(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void planWithoutArgumentsPrintsTheBundledSamplesPlanAndTouchesNoHost() {
        assertEquals(0, crossgen("plan"), err::toString);
        String plan = out.toString();
        assertTrue(plan.startsWith("#!/bin/sh\n# Plan of pipeline 'crossbuild-mycomputeimage': 10 steps,"), plan);
        assertTrue(plan.contains("\n# Hosts: mn = local:, builder = ssh://root@p9node01\n"), plan);
        assertTrue(plan.contains("\nlsdef -t osimage -z rhels8.8.0-ppc64le-netboot-compute\n"), plan);
        // the mount commands run in the builder's /install lease script, as its last arguments
        assertTrue(plan.contains(" crossgen-mount-acquire /run/crossgen/install RUN-ID /install xcatmn:/install"
                + " '\\''mkdir -p /install'\\'' '\\''mount -t nfs -o rw xcatmn:/install /install'\\'''\n"), plan);
        assertTrue(plan.contains("\npackimage mycomputeimage\n"), plan);
    }

    @Test
    void planAsJsonIsJson() {
        assertEquals(0, crossgen("plan", "--json"), err::toString);
        assertTrue(out.toString().startsWith("{"), out::toString);
    }

    @Test
    void anInvalidDefinitionIsRefusedWithItsProblemsAndNothingPlanned(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.stanza");
        Files.writeString(file, "bad:\n    objtype=osimage\n    osvers=rhels8.8.0\n    osarch=ppc64le\n"
                + "    profile=compute\n    provmethod=install\n");
        assertEquals(1, crossgen("plan", "--definition", file.toString()));
        assertEquals("# problem: osimage 'bad': provmethod is 'install'; genimage builds only 'netboot' or"
                + " 'statelite' images\n# problem: osimage 'bad': pkglist is not set; genimage needs at least one"
                + " .pkglist file\n", out.toString());
    }

    @Test
    void aMalformedFileIsNamedWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.stanza");
        Files.writeString(file, "img:\n    objtype=osimage\n    this line has no equals sign\n");
        assertEquals(2, crossgen("validate", file.toString()));
        assertTrue(err.toString().startsWith("crossgen: " + file + ":3: "), err::toString);
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertEquals(2, crossgen("plan", "--mount", "bogus"));
        assertEquals("crossgen: --mount must be nfs, sshfs or none, not 'bogus'\n", err.toString());
    }

    @Test
    void validateListsFilesTheBuilderNeeds() {
        Path sample = Testbed.projectRoot().resolve("examples/src/main/resources/samples/mycomputeimage.stanza");
        assertEquals(0, crossgen("validate", sample.toString()), err::toString);
        assertTrue(out.toString().contains("  external file (pkglist, BUILDER): /custom/netboot/mycompute.pkglist\n"),
                out::toString);
    }

    @Test
    void runBuildsOnTheTestbedAndWritesTheReport(@TempDir Path dir) throws Exception {
        Testbed testbed = Testbed.up();
        Path report = dir.resolve("report.json");
        int status = crossgen("run", "--source", Testbed.sourceImage("compute"), "--as", "cliimage",
                "--mn", testbed.mn().toString(), "--builder", testbed.builder().toString(),
                "--known-hosts", testbed.get("TESTBED_KNOWN_HOSTS"), "--identity", testbed.get("TESTBED_KEY"),
                "--report", report.toString());
        assertEquals(0, status, () -> out + "\n" + err);
        assertTrue(out.toString().contains("==> generate"), out::toString);
        assertTrue(Files.readString(report).contains("\"outcome\""), () -> report.toString());
    }
}
