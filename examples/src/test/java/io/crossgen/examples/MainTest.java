package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.CrossBuild;
import io.crossgen.build.RunJournal;
import io.crossgen.build.RunOwner;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Host;
import io.crossgen.transport.TransportException;
import io.crossgen.transport.Transports;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
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
        assertTrue(plan.startsWith("(sample values, as no option gave them: --as mycomputeimage, --builder"
                + " ssh://root@p9node01)\nPlan of crossbuild-mycomputeimage: 13 steps on mn local:, builder"
                + " ssh://root@p9node01. Nothing has run.\n"), plan);
        // the site, the source and the source's dry run are read at once, in one round trip
        assertTrue(plan.contains("\n    $ lsdef -t site -o clustersite -i installdir,timezone -c & lsdef -t osimage -z"
                + " rhels8.8.0-ppc64le-netboot-compute,mycomputeimage & genimage --dryrun"
                + " rhels8.8.0-ppc64le-netboot-compute\n"), plan);
        assertFalse(plan.contains("$ genimage --dryrun mycomputeimage"), plan);
        assertTrue(plan.contains("\n    $ packimage mycomputeimage\n"), plan);
        assertTrue(plan.lines().count() <= 60, plan);
    }

    @Test
    void planAsScriptCallsEachHelperByNameWithItsArguments() {
        assertEquals(0, crossgen("plan", "--script", "--as", "img", "--builder", "ssh://root@node01"), err::toString);
        String plan = out.toString();
        assertTrue(plan.startsWith("#!/bin/sh\n"), plan);
        assertTrue(plan.contains("\n# Hosts: mn = local:, builder = ssh://root@node01\n"), plan);
        assertTrue(plan.contains("\nsh -c \"$crossgen_together\" crossgen-together 8 lsdef -t site -o clustersite -i"
                + " installdir,timezone -c 5 lsdef -t osimage -z rhels8.8.0-ppc64le-netboot-compute,img 3 genimage"
                + " --dryrun rhels8.8.0-ppc64le-netboot-compute\n"), plan);
        // the mount commands run in the builder's /install lease script, as its last arguments
        assertTrue(plan.contains("\non_builder sh -c \"$crossgen_mount_acquire\" crossgen-mount-acquire"
                + " /run/crossgen/install RUN-ID /install xcatmn:/install 'run=RUN-ID\ncontroller-host=<this host>\n"
                + "controller-pid=<pid>' '' 'umount /install' RUN-ID-TOKEN /install/.crossgen-probe-RUN-ID-TOKEN ''"
                + " 'mkdir -p /install' 'mount -t nfs -o rw xcatmn:/install /install'\n"), plan);
        // the MN (local: here) reads the probe the lease script wrote, and removes it
        assertTrue(plan.contains("\nsh -c \"$crossgen_probe_read\" crossgen-probe-read RUN-ID-TOKEN"
                + " /install/.crossgen-probe-RUN-ID-TOKEN\n"), plan);
        assertEquals(1, plan.lines().filter(l -> l.startsWith("crossgen_mount_acquire=")).count(), plan);
        out.getBuffer().setLength(0);
        assertEquals(0, crossgen("plan", "--script"), err::toString);
        assertTrue(out.toString().startsWith("#!/bin/sh\n# (sample values, as no option gave them: --as mycomputeimage,"
                + " --builder ssh://root@p9node01)\n# shellcheck disable="), out::toString);
        assertTrue(plan.contains("\npackimage img\n"), plan);
    }

    @Test
    void planWithEmulateOnTheMnItselfSaysEmulatedAndShowsNoMountAndNoCopies() {
        assertEquals(0, crossgen("plan", "--emulate", "--builder", "local:"), err::toString);
        String plan = out.toString();
        assertTrue(plan.contains("\nPlan of crossbuild-mycomputeimage: 10 steps on mn local:, builder local:."), plan);
        assertTrue(plan.contains("\n    - emulated via qemu-user when the builder is not ppc64le: preflight then needs"
                + " an enabled binfmt_misc entry on the builder for ppc64le binaries, its interpreter present, flag F;"
                + " the rh family; xCAT 2.17 or later on the MN\n"), plan);
        assertTrue(plan.contains("\n 5. stage-image (after 3, 4) on mn local:"), plan);
        assertFalse(plan.contains("mount-install") || plan.contains("copy-netboot") || plan.contains("mount -t nfs"),
                plan);
        out.getBuffer().setLength(0);
        assertEquals(0, crossgen("plan", "--script", "--emulate", "--builder", "local:"), err::toString);
        assertTrue(out.toString().contains("\nlsxcatd -v\n"), out::toString);
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
    void runNeedsTheNewImagesNameAndNamesTheOption() {
        assertEquals(2, crossgen("run", "--source", "img", "--builder", "ssh://root@node01"));
        assertEquals("crossgen: run needs --as NAME, the name of the new osimage\n", err.toString());
    }

    @Test
    void runNeedsTheBuilderAndNamesTheOption() {
        assertEquals(2, crossgen("run", "--source", "img", "--as", "new"));
        assertEquals("crossgen: run needs --builder URI, the builder node (e.g. ssh://root@p9node01)\n",
                err.toString());
    }

    @Test
    void definitionWithSourceInRunIsAnErrorNamingBothEvenForAMissingFile() {
        assertEquals(2, crossgen("run", "--definition", "/nonexistent/img.stanza", "--source", "img", "--as", "new",
                "--builder", "ssh://root@node01"));
        assertEquals("crossgen: --definition and --source exclude each other in run: run copies the MN's own"
                + " definition of the source image; name it with --source, or with --definition FILE holding only"
                + " that image\n", err.toString());
    }

    @Test
    void replaceWithExistingImageIsAnErrorNamingBoth() {
        assertEquals(2, crossgen("plan", "--replace", "--existing-image"));
        assertEquals("crossgen: --replace and --existing-image exclude each other: --replace defines the new"
                + " osimage again, --existing-image builds it as it is defined\n", err.toString());
    }

    @Test
    void aBuilderOfASchemeTheCommandLineCannotServeIsRefusedBeforeAnythingConnects() {
        assertEquals(2, crossgen("run", "--source", "img", "--as", "new", "--mn", "ssh://root@192.0.2.1",
                "--builder", "ftp://x"));
        assertEquals("crossgen: --builder ftp://x: the crossgen command line reaches hosts by local: and ssh://"
                + " only\n", err.toString());
    }

    @Test
    void theApisAdviceOnAnExistingImageIsWordedWithTheCommandLinesOptions() {
        ScriptedTransport hosts = new ScriptedTransport();
        String attributes = "    objtype=osimage\n    osarch=x86_64\n    osvers=rhels8.8.0\n    profile=compute\n"
                + "    provmethod=netboot\n    pkglist=/opt/xcat/share/xcat/netboot/rh/compute.pkglist\n";
        hosts.on("xcatmn", "lsdef", "-t", "osimage", "-z", "src,new").reply(0, "# <xCAT data object stanza file>\n"
                + "\nnew:\n" + attributes + "\nsrc:\n" + attributes);
        StringWriter console = new StringWriter();
        RunReport report = CrossBuild.from("src").as("new")
                .managementNode(ScriptedTransport.host("xcatmn").toString())
                .builderReachesManagementNodeAs("xcatmn")
                .builderNode(ScriptedTransport.host("node01").toString())
                .transports(Transports.of(hosts))
                .build()
                .run(Listeners.console(console, Wording::describe));

        String cli = "; replace it with --replace (mkdef -f), or build it as it is with --existing-image";
        assertTrue(report.failure().orElseThrow().message().endsWith("; replace it (CopyDefinition.withReplace(true),"
                + " mkdef -f), or build it as it is (CopyDefinition.withExistingImage())"), report::summary);
        assertTrue(Wording.summary(report).contains(cli + "\n"), () -> Wording.summary(report));
        assertTrue(console.toString().contains(cli + "\n"), console::toString);
        assertFalse(console.toString().contains("CopyDefinition"), console::toString);
    }

    @Test
    void theApisAdviceOnAnUnknownSchemeIsWordedWithTheSchemesTheCommandLineServes() {
        TransportException e = assertThrows(TransportException.class,
                () -> Transports.discover().connect(Host.parse("ftp://x")));
        assertEquals("x: no transport serves scheme 'ftp' (available: local, ssh); add the jar of its transport,"
                + " e.g. crossgen-ftp-transport", e.getMessage());
        assertEquals("x: no transport serves scheme 'ftp' (available: local, ssh); the crossgen command line"
                + " reaches hosts by local: and ssh:// only", Wording.describe(e));
    }

    @Test
    void validateListsFilesTheBuilderNeeds() {
        Path sample = Testbed.projectRoot().resolve("examples/src/main/resources/samples/mycomputeimage.stanza");
        assertEquals(0, crossgen("validate", sample.toString()), err::toString);
        assertTrue(out.toString().contains("  external file (pkglist, BUILDER): /custom/netboot/mycompute.pkglist\n"),
                out::toString);
    }

    @Test
    @Tag("e2e")
    void runBuildsOnTheTestbedAndWritesTheReport(@TempDir Path dir) throws Exception {
        Testbed testbed = Testbed.up();
        Path report = dir.resolve("report.json");
        int status = crossgen("run", "--source", Testbed.sourceImage("compute"), "--as", "cliimage",
                "--mn", testbed.mn().toString(), "--builder", testbed.builder().toString(),
                "--known-hosts", testbed.get("TESTBED_KNOWN_HOSTS"), "--identity", testbed.get("TESTBED_KEY"),
                "--report", report.toString(), "--journal", dir.resolve("runs").toString());
        assertEquals(0, status, () -> out + "\n" + err);
        String console = out.toString();
        assertTrue(console.contains("==> generate"), console);
        assertTrue(Files.readString(report).contains("\"outcome\""), () -> report.toString());
        // the console shows the build; the full log, named at the start and the end, holds the plumbing too
        assertTrue(console.lines().count() <= 80, console);
        String runId = console.lines().findFirst().orElseThrow().split(" ")[1];
        Path log = dir.resolve("runs").resolve(runId).resolve("console.log");
        assertTrue(console.startsWith("run " + runId + " (journal " + log.getParent() + "); full log: " + log + "\n")
                && console.endsWith("\nfull log: " + log + "\n"), console);
        String full = Files.readString(log);
        for (String plumbing : List.of("crossgen-lock", "crossgen-manifest", "crossgen-mount-acquire")) {
            assertFalse(console.contains(plumbing), plumbing);
            assertTrue(full.contains(plumbing), plumbing);
        }
    }

    @Test
    void resumeOfARunTheJournalDoesNotHoldNamesTheJournal(@TempDir Path dir) {
        assertEquals(2, crossgen("resume", "20260101T000000-abcdef", "--journal", dir.toString()));
        assertEquals("crossgen: no run 20260101T000000-abcdef in the journal " + dir + "; `crossgen status` lists"
                + " the runs\n", err.toString());
    }

    @Test
    void statusWithoutHostsListsTheJournalsRunsAndTellsAnInterruptedOneFromARunningOne(@TempDir Path dir)
            throws Exception {
        Process ended = new ProcessBuilder("true").start();
        String start = ended.toHandle().info().startInstant().map(Object::toString).orElse("");
        ended.waitFor();
        String host = RunOwner.thisHost();
        RunJournal journal = RunJournal.at(dir);
        journal.recorder(new RunJournal.Entry("r1", "img1", "local:", "ssh://root@b", List.of(), host, ended.pid(),
                start, "running", "2026-01-01T00:00:00Z"));
        journal.recorder(RunJournal.Entry.running("r2", "img2", "local:", "ssh://root@b", List.of()));

        assertEquals(0, crossgen("status", "--journal", dir.toString()), err::toString);

        assertEquals("runs in " + dir + ":\n"
                + "  r2  img2  running  controller pid " + ProcessHandle.current().pid() + " on " + host
                + "  builder ssh://root@b\n"
                + "  r1  img1  interrupted  controller pid " + ended.pid() + " on " + host + "  builder ssh://root@b\n",
                out.toString());
    }

    @Test
    void resumeRefusesARunWhoseControllerStillRuns(@TempDir Path dir) {
        RunJournal.at(dir).recorder(RunJournal.Entry.running("r2", "img2", "local:", "ssh://root@b", List.of()));

        assertEquals(2, crossgen("resume", "r2", "--journal", dir.toString()));

        assertEquals("crossgen: run r2 is still running (controller pid " + ProcessHandle.current().pid()
                + " on host " + RunOwner.thisHost() + "); nothing to resume\n", err.toString());
    }
}
