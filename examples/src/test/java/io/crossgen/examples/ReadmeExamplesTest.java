package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.BuildRoles;
import io.crossgen.build.BuildMatrix;
import io.crossgen.build.BuildSpec;
import io.crossgen.build.CopyDefinition;
import io.crossgen.build.CrossBuild;
import io.crossgen.build.Mount;
import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.image.YamlCodec;
import io.crossgen.pipeline.Pipeline;
import io.crossgen.pipeline.PipelineRunner;
import io.crossgen.pipeline.Plan;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.Step;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Transports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's snippets, word for word where they are code, so that every one of them compiles and runs.
 * Change both together.
 */
class ReadmeExamplesTest {
    private static final Path SAMPLE = Testbed.projectRoot().resolve(
            "examples/src/main/resources/samples/rhels8.8.0-ppc64le-netboot-compute.stanza");

    @Test
    void theEmulatedBuildSnippetLetsPreflightAcceptABuilderOfAnotherArchThroughQemuUser() {
        // README: "Emulated builds"
        var build = CrossBuild.from("rhels8.8.0-aarch64-netboot-compute").as("armcompute")
                .managementNode("local:")
                .builderReachesManagementNodeAs("xcatmn")
                .builderNode("ssh://root@el8vm")              // x86_64, RHEL 8
                .step(io.crossgen.build.Preflight.defaults().withEmulation(io.crossgen.build.Emulation.qemuUser()))
                .build();
        io.crossgen.build.Preflight preflight = (io.crossgen.build.Preflight) build.pipeline()
                .step(io.crossgen.build.Preflight.NAME).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of(io.crossgen.build.Emulation.qemuUser()),
                preflight.emulation());
        assertTrue(build.pipeline().stepNames().contains(io.crossgen.build.SmokeCheck.NAME));
    }

    @Test
    void planningACrossBuildTouchesNoHost() throws Exception {
        StringBuilder out = new StringBuilder();
        // README: "A cross build from Java"
        OsImage source = StanzaCodec.readOne(SAMPLE);
        CrossBuild build = CrossBuild.from(source)          // plan from this definition instead of asking lsdef
                .as("mycomputeimage")
                .managementNode("local:")                     // this program runs on the MN...
                .builderReachesManagementNodeAs("xcatmn")     // ...which the builder mounts /install from as xcatmn
                .builderNode("ssh://root@p9node01")
                .mount(Mount.nfs())
                .step(CopyDefinition.of(source.name(), "mycomputeimage").withReplace(true))  // a step's own option
                .build();
        Plan plan = build.plan();
        plan.print(out);                                      // System.out in the README

        String summary = out.toString();
        assertTrue(summary.contains("\n 7. mount-install (after 4) on builder root@p9node01, mn local: procedure"
                + " step 3: mount the MN's /install on the builder [2 round trips, 0 xCAT calls]\n"), summary);
        assertTrue(summary.contains("\n    $ packimage mycomputeimage\n"), summary);
        // the mount commands run in the builder's /install lease script, as its last arguments, after the view
        // ('' on a site whose installdir is /install), the unmount that undoes them and the probe it then writes
        assertTrue(plan.toScript().contains(" crossgen-mount-acquire /run/crossgen/install RUN-ID /install"
                + " xcatmn:/install 'run=RUN-ID\ncontroller-host=<this host>\ncontroller-pid=<pid>' '' 'umount /install'"
                + " RUN-ID-TOKEN /install/.crossgen-probe-RUN-ID-TOKEN ''"
                + " 'mkdir -p /install' 'mount -t nfs -o rw xcatmn:/install /install'\n"), plan::toScript);
    }

    @Test
    void aCustomStepGoesWhereItIsNamed() throws Exception {
        OsImage source = StanzaCodec.readOne(SAMPLE);
        CrossBuild build = CrossBuild.from(source).as("mycomputeimage")
                .managementNode("local:").builderReachesManagementNodeAs("xcatmn").builderNode("ssh://root@p9node01")
                .build();
        // README: "Your own steps"
        Step smokeTest = Step.of("smoke-test", context -> context.check(BuildRoles.BUILDER,
                Command.of("test", "-x", "/install/netboot/rhels8.8.0/ppc64le/mycomputeimage/rootimg/bin/bash")));
        CrossBuild checked = build.withPipeline(p -> p.after("generate", smokeTest));

        List<String> names = checked.pipeline().stepNames();
        assertEquals(names.indexOf("generate") + 1, names.indexOf("smoke-test"));
        assertTrue(checked.plan().toScript().contains(
                "\non_builder test -x /install/netboot/rhels8.8.0/ppc64le/mycomputeimage/rootimg/bin/bash\n"));
    }

    @Test
    void scriptedTransportTestsAPipelineWithoutHosts() {
        // README: "Testing your pipelines without hosts"
        ScriptedTransport hosts = new ScriptedTransport().strict();
        hosts.on("builder", CommandMatcher.argv("uname", "-m")).reply(0, "ppc64le\n");
        hosts.on("builder", CommandMatcher.program("mount")).reply(Reply.exit(32).withStderr("access denied\n"));
        hosts.on("builder", CommandMatcher.program("umount")).reply(0);

        Pipeline pipeline = Pipeline.builder("mount-check")
                .step(Step.of("arch", c -> c.check(BuildRoles.BUILDER, Command.of("uname", "-m"))))
                .step(Step.of("mount", c -> {
                    c.check(BuildRoles.BUILDER, Command.of("mount", "xcatmn:/install", "/install"));
                    c.defer("umount", d -> d.check(BuildRoles.BUILDER, Command.of("umount", "/install")));
                }))
                .build();
        RunReport report = PipelineRunner.builder()
                .transports(Transports.of(hosts))
                .host(BuildRoles.BUILDER, ScriptedTransport.host("builder"))
                .build()
                .run(pipeline);

        assertFalse(report.succeeded());
        assertEquals("mount", report.failure().orElseThrow().step());
        assertEquals(List.of("access denied"), report.failure().orElseThrow().stderrTail());
        hosts.assertNotRan("builder", "umount", "/install");      // it never mounted, so nothing to undo
    }

    @Test
    void theJshellScriptPrintsThePlan() throws Exception {
        // JShell's first start on a machine may log to stderr (e.g. "Created user preferences directory."): the
        // plan is checked on stdout alone, by content.
        Path root = Testbed.projectRoot();
        Path stderr = Files.createTempFile("jshell", ".stderr");
        try {
            Process jshell = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jshell").toString(),
                    "--class-path", System.getProperty("java.class.path"), "examples/jshell/plan.jsh")
                    .directory(root.toFile()).redirectError(stderr.toFile()).start();
            jshell.getOutputStream().close();
            String out = new String(jshell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jshell.waitFor(2, TimeUnit.MINUTES), out);
            String both = out + "\n--- stderr:\n" + Files.readString(stderr);
            assertEquals(0, jshell.exitValue(), both);
            assertTrue(out.contains("CrossBuild[rhels8.8.0-ppc64le-netboot-compute -> mycomputeimage on root@p9node01,"
                    + " MN local]\nPipeline[crossbuild-mycomputeimage: copy-definition → lock-image → dry-run-genimage"),
                    both);
            assertTrue(out.contains("\nPlan of crossbuild-mycomputeimage: 13 steps on "), both);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    @Test
    void definitionsConvertBetweenStanzaAndYaml() throws Exception {
        // README: "Definitions kept in git"
        List<OsImage> images = StanzaCodec.read(SAMPLE);       // what `lsdef -t osimage -z NAME` prints
        String yaml = YamlCodec.write(images);
        String stanza = StanzaCodec.write(YamlCodec.read(yaml)); // what `mkdef -z` reads

        assertEquals(Files.readString(SAMPLE), stanza);
    }

    @Test
    void manyImagesFromOneSpec() throws Exception {
        Path file = Testbed.projectRoot().resolve("examples/src/main/resources/samples/matrix.yaml");
        StringBuilder out = new StringBuilder();
        // README: "Many images"
        BuildSpec spec = BuildSpec.read(file);                 // refused with file:line:column when wrong
        BuildMatrix matrix = spec.matrix(Transports.discover(), true).build();
        for (BuildMatrix.Routed r : matrix.firstChoices()) {   // each build on its first candidate builder
            out.append(r.build().target()).append(" on ").append(r.build().builderNode().label()).append('\n');
        }
        // List<BuildMatrix.Result> results = spec.matrix(transports, false).failFast(true).build().run();

        assertEquals("compute-2026-12 on root@p9node01\nmycompute-2026-12 on root@p9node01\n"
                + "compute-2026-12-p9node02 on root@p9node02\n", out.toString());
        String readme = Files.readString(Testbed.projectRoot().resolve("README.md"));
        assertTrue(readme.contains("```yaml\n" + Files.readString(file) + "```\n"), "the README shows the sample spec");
    }
}
