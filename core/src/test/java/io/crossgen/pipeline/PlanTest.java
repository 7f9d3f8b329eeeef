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
    private static final Role MN = Role.of("mn");
    private static final Role BUILDER = Role.of("builder");

    static final Pipeline SAMPLE = Pipeline.builder("sample")
            .step(Step.of("copy-definition", c -> {
                c.exec(MN, Command.of("lsdef", "-t", "osimage", "-o", "rhels8-ppc64le", "-z").asXcatCall());
                c.note("copy 2 files outside /install");
                c.exec(BUILDER, Command.of("mkdef", "-z").withStdin(Stdin.bytes(
                        "rhels8-ppc64le:\n    objtype=osimage\n    profile=compute\n".getBytes(StandardCharsets.UTF_8)))
                        .asXcatCall());
            }))
            .step(Step.of("mount-install", c -> {
                c.check(BUILDER, Command.of("mount", "-t", "nfs", "xcatmn:/install", "/install").asProcedure());
                c.defer("unmount /install", k -> k.exec(BUILDER, Command.of("umount", "/install")));
            }))
            .step(Step.of("generate", c -> {
                c.warn("genimage runs for a long time");
                c.check(BUILDER, Command.of("./genimage", "-o", "rhels8.8.0", "-p", "compute", "--pkglist",
                        "/install/custom/it's here.pkglist")
                        .withWorkingDirectory("/opt/xcat/share/xcat/netboot/rh").withEnv("LC_ALL", "C").asProcedure());
            }))
            .build();

    private final PipelineRunner runner = PipelineRunner.builder()
            .transports(Transports.of())
            .host(MN, "local:")
            .host(BUILDER, "ssh://root@node01")
            .build();

    @Test
    void thePlanPrintsAsASummaryOfXcatCommandsNotesAndCleanups() {
        StringBuilder out = new StringBuilder();

        runner.plan(SAMPLE).print(out);

        assertEquals("""
                Plan of sample: 3 steps on mn local:, builder ssh://root@node01. Nothing has run.
                Shown: xCAT's commands verbatim and each step's notes; --script prints every command as a runnable script, --json for tools.

                 1. copy-definition on mn local, builder root@node01 [2 round trips, 2 xCAT calls]
                    - copy 2 files outside /install

                 2. mount-install on builder root@node01 [1 round trip, 0 xCAT calls]
                    $ mount -t nfs xcatmn:/install /install

                 3. generate on builder root@node01 [1 round trip, 0 xCAT calls]
                    warning: genimage runs for a long time
                    $ cd /opt/xcat/share/xcat/netboot/rh && export LC_ALL=C && ./genimage -o rhels8.8.0 -p compute --pkglist '/install/custom/it'\\''s here.pkglist'

                Cleanups, in the order they run (whatever happens):
                  1. unmount /install (mount-install, builder root@node01)
                """, out.toString());
    }

    @Test
    void theScriptDefinesEachHelperOnceAndRunsRemoteCommandsThroughTheHostsFunction() {
        Plan plan = runner.plan(SAMPLE);

        assertEquals("""
                #!/bin/sh
                # shellcheck disable=SC2016,SC2029 # quoted text is for the shell that runs it, remote or not
                # Plan of pipeline 'sample': 3 steps, 5 commands. Nothing has run.
                # Hosts: mn = local:, builder = ssh://root@node01
                # Run the commands one by one and check each exit: a real run stops at the first failure.

                # quote ARG...: the arguments as one line for a remote shell, each in single quotes
                quote() {
                    q=
                    for a in "$@"; do
                        a=$(printf '%sx' "$a" | sed "s/'/'\\\\\\\\''/g")
                        q="$q '${a%x}'"
                    done
                    printf '%s' "$q"
                }
                # on_builder ARG...: runs ARG... as one command on builder root@node01
                on_builder() { ssh root@node01 "$(quote "$@")"; }

                # crossgen's helper scripts, each defined once and run as: sh -c "$helper" NAME ARG...
                crossgen_in=$(cat <<'CROSSGEN_EOF'
                cd "$1" && shift && exec "$@"
                CROSSGEN_EOF
                )

                # step 1/3: copy-definition (mn local, builder root@node01)
                lsdef -t osimage -o rhels8-ppc64le -z
                # copy 2 files outside /install
                on_builder mkdef -z <<'CROSSGEN_EOF'
                rhels8-ppc64le:
                    objtype=osimage
                    profile=compute
                CROSSGEN_EOF

                # step 2/3: mount-install (builder root@node01)
                on_builder mount -t nfs xcatmn:/install /install

                # step 3/3: generate (builder root@node01)
                # WARNING: genimage runs for a long time
                on_builder sh -c "$crossgen_in" crossgen-in /opt/xcat/share/xcat/netboot/rh env LC_ALL=C ./genimage -o rhels8.8.0 -p compute --pkglist '/install/custom/it'\\''s here.pkglist'

                # cleanup 1/1: unmount /install (deferred by mount-install) (builder root@node01)
                on_builder umount /install
                """, plan.toScript());
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
    void thePlanSaysWhichStepsRunAtOnceAndWhatEachNeeds() {
        Pipeline wide = Pipeline.builder("wide")
                .step(Step.of("copy-definition", c -> { }).needing())
                .step(Step.of("mount-install", c -> { }).needing("copy-definition"))
                .step(Step.of("copy-netboot", c -> { }).needing("copy-definition"))
                .step(Step.of("generate", c -> { }).needing("mount-install", "copy-netboot", "copy-definition"))
                .build();

        Plan p = runner.plan(wide);

        assertEquals(List.of(List.of("copy-definition"), List.of("mount-install", "copy-netboot"),
                List.of("generate")), p.together());
        assertEquals(List.of("mount-install", "copy-netboot"), p.sections().get(3).needs());
        assertTrue(p.toSummary().contains("\nRun at once: steps 2, 3 (each starts as soon as the steps it comes after"
                + " are done).\n"), p.toSummary());
        assertTrue(p.toSummary().contains("\n 4. generate (after 2, 3)\n"), p.toSummary());
        assertTrue(p.toScript().contains("\n# A real run runs these steps at once (each as soon as the steps it needs"
                + " are done); this script runs them one after another: mount-install, copy-netboot\n"), p.toScript());
        assertTrue(p.toScript().contains("\n# step 4/4: generate\n# needs: mount-install, copy-netboot\n"),
                p.toScript());
        String json = p.toJson().replaceAll("\\s+", "");
        assertTrue(json.contains("\"together\":[[\"copy-definition\"],[\"mount-install\",\"copy-netboot\"],"
                + "[\"generate\"]]"), json);
        assertTrue(json.contains("\"step\":\"generate\",\"number\":4,\"of\":4,\"needs\":[\"mount-install\","
                + "\"copy-netboot\"]"), json);
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
