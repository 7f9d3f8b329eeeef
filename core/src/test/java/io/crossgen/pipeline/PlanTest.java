package io.crossgen.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import io.crossgen.transport.Host;
import io.crossgen.transport.Transports;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {
    static final Pipeline SAMPLE = Pipeline.builder("sample")
            .step(Step.of("copy-definition", c -> {
                c.exec(Role.MN, Command.of("lsdef", "-t", "osimage", "-o", "rhels8-ppc64le", "-z"));
                c.note("copy 2 files outside /install");
                c.exec(Role.BUILDER, Command.of("mkdef", "-z").withStdin(Stdin.bytes(
                        "rhels8-ppc64le:\n    objtype=osimage\n    profile=compute\n".getBytes(StandardCharsets.UTF_8))));
            }))
            .step(Step.of("mount-install", c -> {
                c.check(Role.BUILDER, Command.of("mount", "-t", "nfs", "xcatmn:/install", "/install"));
                c.defer("unmount /install", k -> k.exec(Role.BUILDER, Command.of("umount", "/install")));
            }))
            .step(Step.of("generate", c -> {
                c.warn("genimage runs for a long time");
                c.check(Role.BUILDER, Command.of("./genimage", "-o", "rhels8.8.0", "-p", "compute", "--pkglist",
                        "/install/custom/it's here.pkglist")
                        .withWorkingDirectory("/opt/xcat/share/xcat/netboot/rh").withEnv("LC_ALL", "C"));
            }))
            .build();

    private final PipelineRunner runner = PipelineRunner.builder()
            .transports(Transports.of())
            .host(Role.MN, "local:")
            .host(Role.BUILDER, "ssh://root@node01")
            .build();

    @Test
    void thePlanPrintsAsAnAnnotatedShellScript() {
        StringBuilder out = new StringBuilder();

        runner.plan(SAMPLE).print(out);

        assertEquals("""
                #!/bin/sh
                # Plan of pipeline 'sample': 3 steps, 5 commands. Nothing has run.
                # Hosts: mn = local:, builder = ssh://root@node01
                # Run the lines one by one and check each exit: a real run stops at the first failure.

                # step 1/3: copy-definition (mn local, builder root@node01)
                lsdef -t osimage -o rhels8-ppc64le -z
                # copy 2 files outside /install
                ssh root@node01 'mkdef -z' <<'CROSSGEN_EOF'
                rhels8-ppc64le:
                    objtype=osimage
                    profile=compute
                CROSSGEN_EOF

                # step 2/3: mount-install (builder root@node01)
                ssh root@node01 'mount -t nfs xcatmn:/install /install'

                # step 3/3: generate (builder root@node01)
                # WARNING: genimage runs for a long time
                ssh root@node01 'cd /opt/xcat/share/xcat/netboot/rh && export LC_ALL=C && ./genimage -o rhels8.8.0 -p compute --pkglist '\\''/install/custom/it'\\''\\'\\'''\\''s here.pkglist'\\'''

                # cleanup 1/1: unmount /install (deferred by mount-install) (builder root@node01)
                ssh root@node01 'umount /install'
                """, out.toString());
    }

    @Test
    void aPlanNamesItsCommandsPerHostAndPrintsShortly() {
        Plan plan = runner.plan(SAMPLE);

        assertEquals(List.of(Command.of("lsdef", "-t", "osimage", "-o", "rhels8-ppc64le", "-z")),
                plan.commands(Host.local()));
        assertEquals(4, plan.commands(Host.parse("ssh://root@node01")).size());
        assertEquals("Plan[sample: 3 steps, 5 commands on 2 hosts]", plan.toString());
    }

    @Test
    void aPlanWritesJson() {
        String json = runner.plan(SAMPLE).toJson();

        assertTrue(json.contains("\"stdin\" : \"56 bytes\""), json);
        assertTrue(json.contains("\"cleanup\" : \"unmount /install\""), json);
        assertTrue(json.contains("\"LC_ALL\" : \"C\""), json);
    }

    @Test
    void skippedAndResumedStepsAppearAsNotes() {
        String script = runner.plan(SAMPLE.toBuilder().skip("mount-install").build()).toScript();

        assertTrue(script.contains("# step 2/3: mount-install\n# skipped in the pipeline\n"), script);
        assertTrue(!script.contains("umount"), script);
    }

    @Test
    void aStepThatFailsWhilePlanningFailsThePlan() {
        Key<String> arch = Key.of("arch", String.class);
        Pipeline p = Pipeline.builder("p").step(Step.of("use", c -> c.require(arch))).build();

        PipelineException e = assertThrows(PipelineException.class, () -> runner.plan(p));

        assertEquals("planning step 'use' failed: step 'use' requires value 'arch:String', which no earlier step "
                + "has stored", e.getMessage());
    }
}
