package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.ScriptedTransport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed's x86_64 image built on an aarch64 builder under qemu-user emulation, against scripted hosts that
 * answer with real-format binfmt_misc and lsxcatd output; the smoke check; the MN as its own builder.
 */
class EmulatedBuildTest {
    private static final String X86_64_ENTRY = String.join("\n", "binfmt qemu-x86_64 enabled",
            "binfmt qemu-x86_64 interpreter /usr/libexec/qemu-binfmt/x86_64-binfmt-P", "binfmt qemu-x86_64 flags: POF",
            "binfmt qemu-x86_64 offset 0", "binfmt qemu-x86_64 magic 7f454c4602010100000000000000000002003e00",
            "binfmt qemu-x86_64 mask fffffffffffefe00fffffffffffffffffeffffff", "binfmt qemu-x86_64 present yes", "");
    private static final String AARCH64_BUILDER = SeedRunTest.FACTS.replace("arch=x86_64", "arch=aarch64")
            + "binfmt.status=enabled\n";

    private static ScriptedTransport hosts(String builderFacts) {
        ScriptedTransport h = new ScriptedTransport();
        h.on("node01", CommandMatcher.line("crossgen-preflight")).reply(0, builderFacts);
        h.on("xcatmn", "lsxcatd", "-v").reply(0, "Version 2.18.2 (git commit 7733d16f8de0, built Fri Aug 21 2026)\n");
        SeedRunTest.addRules(h);
        return h;
    }

    private static CrossBuild emulated(ScriptedTransport h) {
        return SeedRunTest.seed(Seed.build(h).step(Preflight.defaults().withEmulation(Emulation.qemuUser())).build());
    }

    @Test
    void anEmulatedBuildPassesPreflightOnAForeignBuilderAndTheReportAndProvenanceNameTheInterpreter() throws Exception {
        ScriptedTransport h = hosts(AARCH64_BUILDER + X86_64_ENTRY);
        RunReport report = emulated(h).run(Listeners.none());

        assertTrue(report.succeeded(), report::summary);
        assertEquals(List.of("emulated via /usr/libexec/qemu-binfmt/x86_64-binfmt-P (binfmt_misc entry qemu-x86_64,"
                + " flags POF): x86_64 on the aarch64 builder"), report.step(Preflight.NAME).orElseThrow().notes());
        assertEquals(List.of("smoke check: " + Seed.OWN_DIR + "/.crossgen-stage/rootimg/usr/bin/true ran under chroot on"
                + " the builder; uname -m inside says x86_64 (emulated via /usr/libexec/qemu-binfmt/x86_64-binfmt-P)"),
                report.step(SmokeCheck.NAME).orElseThrow().notes());
        h.assertRan("xcatmn", "lsxcatd", "-v");
        String statement = report.values().stream().filter(v -> v.key().equals(BuildKeys.STATEMENT.name()))
                .findFirst().orElseThrow().json().orElseThrow();
        assertEquals("/usr/libexec/qemu-binfmt/x86_64-binfmt-P", Provenance.fromJson(
                new com.fasterxml.jackson.databind.ObjectMapper().readValue(statement, String.class), "report").emulation());
    }

    @Test
    void aDisabledEntryStopsTheBuildInPreflightBeforeAnythingReachesTheBuilder() {
        ScriptedTransport h = hosts(AARCH64_BUILDER + X86_64_ENTRY.replace("qemu-x86_64 enabled",
                "qemu-x86_64 disabled"));
        RunReport report = emulated(h).run(Listeners.none());

        assertFalse(report.succeeded());
        assertEquals("step 'preflight' failed: the builder node01 failed 1 check:\n  arch: the builder is aarch64 and the image for x86_64, so"
                + " it is built under emulation: the binfmt_misc entry qemu-x86_64 for x86_64 is disabled on the"
                + " builder: run `echo 1 > /proc/sys/fs/binfmt_misc/qemu-x86_64`",
                report.failure().orElseThrow().message());
        assertEquals(Preflight.NAME, report.failure().orElseThrow().step());
        // Only the preflight's facts were read from the builder: nothing copied, mounted or started.
        assertEquals(1, h.commands("node01").size(), () -> h.commands("node01").toString());
    }

    @Test
    void withoutEmulationAForeignBuilderIsStillRefusedForItsArchitecture() {
        ScriptedTransport h = hosts(AARCH64_BUILDER + X86_64_ENTRY);
        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        assertEquals("step 'preflight' failed: the builder node01 failed 1 check:\n  arch: the builder's machine is aarch64 but the image is"
                + " for x86_64; pick a builder of that architecture", report.failure().orElseThrow().message());
        h.assertNotRan("xcatmn", "lsxcatd", "-v");
    }

    @Test
    void aRootimgWhoseBinariesReportAnotherMachineIsAFailedBuild() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("node01", SeedRunTest.SMOKE).reply(0, "machine=ppc64le\n");
        SeedRunTest.addRules(h);
        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        assertEquals(SmokeCheck.NAME, report.failure().orElseThrow().step());
        assertEquals("step 'smoke-check' failed: the image is for x86_64 but its binaries report machine 'ppc64le' under chroot on the builder"
                + " node01; the rootimg " + Seed.OWN_DIR + "/.crossgen-stage/rootimg holds binaries of another"
                + " architecture", report.failure().orElseThrow().message());
        h.assertNotRan("xcatmn", CommandMatcher.program("packimage"));
    }

    @Test
    void aRootimgThatCannotExecuteItsBinariesIsAFailedBuild() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("node01", SeedRunTest.SMOKE).reply(io.crossgen.testing.Reply.of(126, "",
                "chroot: failed to run command '/usr/bin/true': Exec format error\n"));
        SeedRunTest.addRules(h);
        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        assertEquals("step 'smoke-check' failed: the image's binaries do not run on the builder node01: exit 126: chroot: failed to run command"
                + " '/usr/bin/true': Exec format error; the rootimg " + Seed.OWN_DIR + "/.crossgen-stage/rootimg"
                + " cannot execute its own programs", report.failure().orElseThrow().message());
    }

    @Test
    void theMnAsItsOwnBuilderMountsAndCopiesNothing() {
        CrossBuild build = CrossBuild.from(Seed.source()).as(Seed.TARGET).managementNode("local:")
                .builderReachesManagementNodeAs("xcatmn").builderNode("local:").build();
        assertEquals(List.of("copy-definition", "lock-image", "dry-run-genimage", "preflight", "stage-image",
                "generate", "provenance", "smoke-check", "inventory", "packimage"), build.pipeline().stepNames());
        assertEquals(List.of("copy-definition", "lock-image", "dry-run-genimage", "preflight", "copy-netboot",
                "copy-external-files", "mount-install", "stage-image", "generate", "provenance", "smoke-check",
                "inventory", "packimage"),
                Seed.planned(new ScriptedTransport()).build().pipeline().stepNames());
    }
}
