package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Step;
import io.crossgen.testing.ScriptedTransport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The build's one configuration surface: build-level settings on the builder, step options on the steps. */
class CrossBuildTest {
    private static final List<String> STEPS = List.of("copy-definition", "lock-image", "dry-run-genimage",
            "preflight", "copy-netboot", "copy-external-files", "mount-install", "stage-image", "generate",
            "provenance", "smoke-check", "inventory", "packimage");

    @Test
    void aStepGivenReplacesThePresetsStepOfItsNameInItsPlace() {
        CrossBuild build = Seed.planned(new ScriptedTransport())
                .step(CopyNetboot.defaults().withMethod(CopyMethod.SCP_LEGACY))
                .step(Generate.defaults().withTimeout(Duration.ofHours(5)))
                .build();

        assertEquals(STEPS, build.pipeline().stepNames());
        assertEquals("copy-netboot(SCP_LEGACY, [/opt/xcat/share/xcat/netboot, /opt/xcat/lib/perl])",
                build.pipeline().step(CopyNetboot.NAME).orElseThrow().toString());
        assertEquals(Optional.of(Duration.ofHours(5)),
                ((Generate) build.pipeline().step(Generate.NAME).orElseThrow()).timeout());
    }

    @Test
    void thePresetsStepsGivenAsTheyArePlanExactlyAsThePresetWithTheBuildsMountAndManagementNodeName()
            throws Exception {
        String preset = Seed.planned(new ScriptedTransport()).mount(Mount.sshfs())
                .builderReachesManagementNodeAs("mn2").build().plan().toScript();
        String given = Seed.planned(new ScriptedTransport()).mount(Mount.sshfs())
                .builderReachesManagementNodeAs("mn2")
                .step(Preflight.defaults()).step(CopyNetboot.defaults())
                .build().plan().toScript();

        assertEquals(preset, given);
        assertTrue(given.contains(" mn2:/install "), given);
        assertNotEquals(preset, Seed.planned(new ScriptedTransport()).build().plan().toScript());
    }

    @Test
    void aGivenPreflightKeepsItsOwnOptions() {
        CrossBuild build = Seed.planned(new ScriptedTransport())
                .step(Preflight.defaults().withWaived("tools").withEmulation(Emulation.qemuUser())).build();

        Preflight preflight = (Preflight) build.pipeline().step(Preflight.NAME).orElseThrow();
        assertEquals(Set.of("tools"), preflight.waived());
        assertEquals(Optional.of(Emulation.qemuUser()), preflight.emulation());
    }

    @Test
    void aStepNameThePresetLacksIsRefusedNamingItAndListingTheSteps() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Seed.build(new ScriptedTransport()).step(Step.of("smoke-test", c -> { })));
        assertEquals("the cross build has no step 'smoke-test' to replace; its steps: copy-definition, lock-image,"
                + " dry-run-genimage, preflight, copy-netboot, copy-external-files, mount-install, stage-image,"
                + " generate, provenance, smoke-check, inventory, packimage, liteimg (add a step of your own with"
                + " CrossBuild.withPipeline)", e.getMessage());
    }

    @Test
    void aMountInstallGivenIsRefusedAsItHoldsOnlyTheBuildsSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Seed.build(new ScriptedTransport()).step(MountInstall.of(Mount.sshfs(), "mn2")));
        assertEquals("mount-install is made of the build's settings: give them with mount(...) and"
                + " builderReachesManagementNodeAs(...)", e.getMessage());
    }

    @Test
    void aCopyDefinitionOfOtherImagesIsRefusedNamingBoth() {
        CrossBuild.Builder b = Seed.build(new ScriptedTransport()).step(CopyDefinition.of(Seed.SOURCE, "other"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals("the copy-definition step given copies 'rhels6.3-x86_64-netboot-compute' to 'other', the build"
                + " 'rhels6.3-x86_64-netboot-compute' to 'mycomputeimage'; give"
                + " CopyDefinition.of(\"rhels6.3-x86_64-netboot-compute\", \"mycomputeimage\")", e.getMessage());
    }

    @Test
    void aCustomStepOfAPresetNameReplacesItAsItIsAndTheLastGivenWins() {
        Step mine = Step.of(Generate.NAME, c -> { });
        CrossBuild build = Seed.build(new ScriptedTransport())
                .step(Generate.defaults().withTimeout(Duration.ofHours(5))).step(mine).build();

        assertEquals(mine, build.pipeline().step(Generate.NAME).orElseThrow());
    }

    @Test
    void withPipelineEditsThePipelineInPlace() {
        Step after = Step.of("after-generate", c -> { });
        CrossBuild build = Seed.build(new ScriptedTransport()).build()
                .withPipeline(p -> p.after(Generate.NAME, after).remove(TakeInventory.NAME));

        List<String> names = build.pipeline().stepNames();
        assertEquals(names.indexOf(Generate.NAME) + 1, names.indexOf("after-generate"));
        assertTrue(!names.contains(TakeInventory.NAME), names::toString);
    }

    @Test
    void theBuilderNodeIsNamedWithBuilderNodeAndTheMessageSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossBuild.from(Seed.SOURCE).as(Seed.TARGET).build());
        assertEquals("name the builder node with builderNode(...)", e.getMessage());
    }
}
