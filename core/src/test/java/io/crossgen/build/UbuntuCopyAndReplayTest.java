package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.ScriptedTransport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A ubuntu source image with environvar and a value ending in ':' copied and built on scripted hosts: the copy
 * sets the value with chdef after mkdef -z, and the builder runs ubuntu/genimage without --env, with the
 * variables exported instead.
 */
class UbuntuCopyAndReplayTest {
    private static final String STANZA = "# <xCAT data object stanza file>\n\n" + Seed.SOURCE + ":\n"
            + "    objtype=osimage\n"
            + "    environvar=SITE=lab,MIRROR=http://m/ubuntu\n"
            + "    imagetype=linux\n"
            + "    osarch=x86_64\n"
            + "    osvers=ubuntu22.04\n"
            + "    pkglist=/opt/xcat/share/xcat/netboot/ubuntu/compute.ubuntu22.04.pkglist\n"
            + "    profile=compute\n"
            + "    provmethod=netboot\n"
            + "    usercomment=see note:\n"
            + "    zone=z1\n";
    private static final String OWN_DIR = "/install/netboot/ubuntu22.04/x86_64/mycomputeimage";
    private static final String DRY_RUN = "Generating image: \ncd /opt/xcat/share/xcat/netboot/ubuntu; ./genimage"
            + " -a x86_64 -o ubuntu22.04 -p compute --env SITE=lab,MIRROR=http://m/ubuntu --pkglist"
            + " /opt/xcat/share/xcat/netboot/ubuntu/compute.ubuntu22.04.pkglist --rootimgdir " + OWN_DIR
            + " mycomputeimage\n";

    private static ScriptedTransport hosts() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", "lsdef", "-t", "osimage", "-z", Seed.SOURCE + "," + Seed.TARGET)
                .reply(SeedRunTest.onlySource(STANZA, Seed.TARGET));
        h.on("xcatmn", "genimage", "--dryrun", Seed.TARGET).reply(0, DRY_RUN);
        // the source has no rootimgdir: genimage.pm prints none for it
        h.on("xcatmn", "genimage", "--dryrun", Seed.SOURCE).reply(0, DRY_RUN.replace(" --rootimgdir " + OWN_DIR, "")
                .replace(" mycomputeimage\n", " " + Seed.SOURCE + "\n"));
        h.on("xcatmn", CommandMatcher.program("chdef")).reply(0, "1 object definitions have been created or modified.\n");
        h.on("node01", CommandMatcher.line("crossgen-preflight")).reply(0, SeedRunTest.FACTS
                .replace("os.id=rhel", "os.id=ubuntu").replace("os.id_like=fedora", "os.id_like=debian")
                .replace("os.version_id=6.3", "os.version_id=22.04") + "tool.debootstrap=yes\n");
        SeedRunTest.addRules(h);
        return h;
    }

    @Test
    void valueEndingInColonIsSetWithChdefAfterMkdefAndEnvironvarIsExportedForUbuntuGenimage() {
        ScriptedTransport h = hosts();
        RunReport report = SeedRunTest.seed(h).run(Listeners.none());
        assertTrue(report.succeeded(), report::summary);

        String stanza = new String(h.recorded("xcatmn").stream()
                .filter(r -> r.command().argv().contains("crossgen-mkdef")).findFirst().orElseThrow().stdin(),
                StandardCharsets.UTF_8);
        assertFalse(stanza.contains("usercomment"), stanza);
        assertTrue(stanza.contains("    zone=z1\n"), "the attributes after it reach mkdef: " + stanza);
        // the copy set with chdef is still the source renamed with its own rootimgdir: the source's dry run is its
        h.assertRanInOrder("xcatmn", CommandMatcher.argv("genimage", "--dryrun", Seed.SOURCE),
                CommandMatcher.line("mkdef -z"),
                CommandMatcher.argv("chdef", "-t", "osimage", "-o", Seed.TARGET, "usercomment=see note:"));
        h.assertNotRan("xcatmn", CommandMatcher.argv("genimage", "--dryrun", Seed.TARGET));

        h.assertRanInOrder("node01", CommandMatcher.line("(?s)^export SITE=lab MIRROR=http://m/ubuntu && sh -c .*"
                + " crossgen-start /var/tmp/crossgen/r1 /opt/xcat/share/xcat/netboot/ubuntu ./genimage -a x86_64 -o"
                + " ubuntu22.04 -p compute --pkglist /opt/xcat/share/xcat/netboot/ubuntu/compute.ubuntu22.04.pkglist"
                + " --rootimgdir " + OWN_DIR + "/" + StageImage.STAGE + " mycomputeimage$"));
        RunReport.StepReport dryRun = report.steps().stream().filter(s -> s.name().equals(DryRunGenimage.NAME))
                .findFirst().orElseThrow();
        assertEquals(List.of("ubuntu/genimage has no --env: run verbatim, it would have taken '--env' as the image"
                + " name; its variables SITE, MIRROR are exported into genimage's environment instead"),
                dryRun.warnings());
        // the run as staged (StageImage): genimage writes to the stage, with the environment kept
        assertEquals(new GenimageRun("/opt/xcat/share/xcat/netboot/ubuntu", List.of("./genimage", "-a", "x86_64",
                "-o", "ubuntu22.04", "-p", "compute", "--pkglist",
                "/opt/xcat/share/xcat/netboot/ubuntu/compute.ubuntu22.04.pkglist", "--rootimgdir", OWN_DIR + "/" + StageImage.STAGE,
                "mycomputeimage"), Map.of("SITE", "lab", "MIRROR", "http://m/ubuntu")),
                report.values().stream().filter(v -> v.key().equals("genimage")).findFirst().map(v -> {
                    try {
                        // What a resumed run restores.
                        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(v.json().orElseThrow(),
                                GenimageRun.class);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new AssertionError(e);
                    }
                }).orElseThrow());
    }

    @Test
    void aGenimageRunSavedBeforeTheEnvironmentExistedRestoresWithNone() throws Exception {
        GenimageRun restored = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                "{\"folder\":\"/opt/xcat/share/xcat/netboot/rh\",\"argv\":[\"./genimage\",\"img\"]}",
                GenimageRun.class);
        assertEquals(new GenimageRun("/opt/xcat/share/xcat/netboot/rh", List.of("./genimage", "img"), Map.of()),
                restored);
        assertEquals("cd /opt/xcat/share/xcat/netboot/rh && ./genimage img", restored.toCommand().toString());
    }

    @Test
    void aNewImageNamedAsADefaultsStanzaIsRefusedBeforeAnythingRuns() {
        for (String name : List.of("default", "default-osimage")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CrossBuild.from(Seed.SOURCE).as(name).builderNode("scripted://node01").build());
            assertEquals("osimage '" + name + "': xCAT's mkdef -z reads a stanza named 'default' or 'default-X' (X"
                    + " without '-') as defaults for other objects, not as an object, so such an image cannot be"
                    + " defined through a stanza; choose another name", e.getMessage());
        }
        CrossBuild ok = CrossBuild.from(Seed.SOURCE).as("rhels7-ppc64-default-compute").builderNode("scripted://node01")
                .transports(io.crossgen.transport.Transports.of(new ScriptedTransport())).build();
        assertEquals("rhels7-ppc64-default-compute", ok.target());
    }
}
