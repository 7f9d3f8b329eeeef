package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.BuildMatrix;
import io.crossgen.build.CopyDefinition;
import io.crossgen.build.CrossBuild;
import io.crossgen.build.Generate;
import io.crossgen.build.Mount;
import io.crossgen.build.Preflight;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.Step;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.StdStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The manual procedure, automated, against two real OpenSSH hosts and xCAT stand-ins that keep xCAT's traps:
 * the MN (xcatmn) and the builder are both reached over SSH from this JVM, and the builder mounts the MN's
 * /install with the seed's literal {@code mount xcatmn:/install /install}.
 */
@Tag("e2e")
class EndToEndTest {
    private static final String ARCH = Testbed.ARCH;
    private static final String NETBOOT = Testbed.netboot();
    private static Testbed testbed;

    @BeforeAll
    static void up() throws Exception {
        testbed = Testbed.up();
    }

    private static CrossBuild build(String profile, String target) {
        return testbed.build(profile, target);
    }

    @Test
    void seedProcedureBuildsAndPacksTheImageAndLeavesNothingMounted() throws Exception {
        StringWriter progress = new StringWriter();
        RunReport report = build("compute", "e2eimage").run(Listeners.console(progress));

        assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
        String rootimgdir = NETBOOT + "e2eimage";
        Path archive = testbed.mnFile(rootimgdir + "/rootimg.cpio.gz");
        assertTrue(Files.size(archive) > 0, archive + " is empty");
        assertTrue(Files.isRegularFile(testbed.mnFile(rootimgdir + "/rootimg/var/lib/standin/openssh-server")));
        assertTrue(Files.isRegularFile(testbed.mnFile(rootimgdir + "/kernel")));
        // The copy has its own rootimgdir; the source image's is untouched.
        assertTrue(testbed.ssh("xcatmn", "lsdef -t osimage -z e2eimage").contains("    rootimgdir=" + rootimgdir));
        assertTrue(Files.notExists(testbed.mnFile(NETBOOT + "compute/rootimg")));
        assertNothingLeftOnTheBuilder();
        // The xCAT Perl libraries reached the builder (genimage dies without xCAT/Utils.pm), symlinks as symlinks.
        assertTrue(Files.isRegularFile(testbed.builderFile("/opt/xcat/lib/perl/xCAT/Utils.pm")));
        assertTrue(Files.isSymbolicLink(testbed.builderFile("/opt/xcat/share/xcat/netboot/sle")));
    }

    @Test
    void theSeedsPipeLosesItsInputBehindASlowXcatdButCrossgensCopyDoesNot() throws Exception {
        // Real lsdef answers after a round trip to xcatd; mkdef -z waits at most 1 s for its stdin (XCAT.md 3.3).
        Path latency = testbed.mnFile("/opt/xcat/standin/latency");
        Files.writeString(latency, "1.5\n");
        try {
            Process seed = new ProcessBuilder(testbed.sshArgv("xcatmn", "lsdef -t osimage -z "
                    + Testbed.sourceImage("compute") + " | sed 's/^[^ ]\\+:/e2eseedpipe:/' | mkdef -z"))
                    .redirectErrorStream(true).start();
            String said = new String(seed.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(1, seed.waitFor());
            assertEquals("Error: [xcatmn]: No object names were provided.\n", said);

            StringWriter progress = new StringWriter();
            RunReport report = build("compute", "e2epipe").run(Listeners.console(progress));
            assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
            assertTrue(testbed.ssh("xcatmn", "lsdef -t osimage -z e2epipe").contains("e2epipe:"));
        } finally {
            Files.deleteIfExists(latency);
        }
    }

    @Test
    void filesOutsideInstallAndIncludedPackageListsReachTheBuilder() throws Exception {
        StringWriter progress = new StringWriter();
        RunReport report = build("site", "e2esite").run(Listeners.console(progress));

        assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
        // compute.pkglist includes common/base.pkglist, which includes common/$SITE.pkglist (SITE=lab).
        for (String f : List.of("/custom/netboot/compute.pkglist", "/custom/netboot/common/base.pkglist",
                "/custom/netboot/common/lab.pkglist")) {
            assertTrue(Files.isRegularFile(testbed.builderFile(f)), f + " was not copied to the builder");
        }
        assertTrue(Files.isExecutable(testbed.builderFile("/custom/scripts/site.postinstall")));
        String rootimg = NETBOOT + "e2esite/rootimg";
        assertTrue(Files.isRegularFile(testbed.mnFile(rootimg + "/var/lib/standin/site-tools")));
        // genimage built the tree in the stage: that is the rootimg its postinstall scripts were given.
        assertEquals("site postinstall " + NETBOOT + "e2esite/.crossgen-stage/rootimg rhels8.8.0 " + ARCH
                + " site lab for e2esite",
                Files.readString(testbed.mnFile(rootimg + "/etc/site-postinstall")).strip());
        assertNothingLeftOnTheBuilder();
    }

    @Test
    void aUbuntuImageWithEnvironvarBuildsAndUbuntuGenimageSawTheVariablesAndTheRightImageName() throws Exception {
        // xCAT prints --env for every family; ubuntu/genimage has no --env and, run verbatim, would take '--env'
        // for the image name (XCAT.md 8.2). crossgen drops it and exports environvar instead.
        StringWriter progress = new StringWriter();
        CrossBuild build = CrossBuild.from("ubuntu22.04-" + ARCH + "-netboot-compute").as("e2eubuntu")
                .managementNode(testbed.mn().toString())
                .builderReachesManagementNodeAs("xcatmn")
                .builderNode(testbed.builder().toString())
                .mount(Mount.nfs())
                .step(CopyDefinition.of("ubuntu22.04-" + ARCH + "-netboot-compute", "e2eubuntu").withReplace(true))
                // the testbed's builder is a RHEL 8.8 stand-in without debootstrap
                .step(Preflight.defaults().withWaived("os-release", "tools"))
                .transports(testbed.transports())
                .build();
        RunReport report = build.run(Listeners.console(progress));

        assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
        assertEquals(List.of("ubuntu/genimage has no --env: run verbatim, it would have taken '--env' as the image"
                + " name; its variables SITE, STANDIN_MARK are exported into genimage's environment instead"),
                report.steps().stream().filter(s -> s.name().equals("dry-run-genimage")).findFirst().orElseThrow()
                        .warnings());
        String rootimg = "/install/netboot/ubuntu22.04/" + ARCH + "/e2eubuntu/rootimg";
        List<String> seen = Files.readAllLines(testbed.mnFile(rootimg + "/etc/crossgen-standin"));
        assertTrue(seen.contains("IMAGENAME=e2eubuntu"), seen::toString);
        assertTrue(seen.contains("LEFTOVERS=e2eubuntu"), seen::toString);
        List<String> env = Files.readAllLines(testbed.mnFile(rootimg + "/etc/crossgen-standin.env"));
        assertTrue(env.contains("SITE=lab") && env.contains("STANDIN_MARK=exported"), env::toString);
        assertTrue(Files.isRegularFile(testbed.mnFile(rootimg + "/var/lib/standin/linux-image-generic")));
        // The value ending in ':' reached the copy through chdef (mkdef -z would have dropped it and what follows).
        List<String> copy = testbed.ssh("xcatmn", "lsdef -t osimage -z e2eubuntu");
        assertTrue(copy.contains("    usercomment=see note:") && copy.contains("    rootimgdir="
                + "/install/netboot/ubuntu22.04/" + ARCH + "/e2eubuntu"), copy::toString);
        // crossgen took the copy's line from the source's dry run (asked with the lsdefs) with the copy's name and
        // rootimgdir: the MN's own answer for the copy is that line, and so is what the run used
        io.crossgen.command.GenimageCommand ofSource = io.crossgen.command.GenimageCommand.fromDryRun(String.join("\n",
                testbed.ssh("xcatmn", "genimage --dryrun ubuntu22.04-" + ARCH + "-netboot-compute")) + "\n");
        io.crossgen.command.GenimageCommand ofCopy = io.crossgen.command.GenimageCommand.fromDryRun(String.join("\n",
                testbed.ssh("xcatmn", "genimage --dryrun e2eubuntu")) + "\n");
        assertEquals(ofCopy, ofSource.toBuilder().imageName("e2eubuntu")
                .rootimgdir("/install/netboot/ubuntu22.04/" + ARCH + "/e2eubuntu").build());
        assertEquals(List.of(), report.steps().stream().filter(s -> s.name().equals("dry-run-genimage")).findFirst()
                .orElseThrow().commands(), "the copy's dry run is not asked again");
        assertNothingLeftOnTheBuilder();
    }

    @Test
    void theUbuntuLineTheMnPrintsRunVerbatimTakesEnvForTheImageName() throws Exception {
        String source = "ubuntu22.04-" + ARCH + "-netboot-compute";
        String rootimg = "/install/netboot/ubuntu22.04/" + ARCH + "/compute/rootimg";
        String line = testbed.ssh("xcatmn", "genimage --dryrun " + source).stream()
                .filter(l -> l.startsWith("cd ")).findFirst().orElseThrow();
        assertTrue(line.contains(" --env SITE=lab,STANDIN_MARK=exported --srcdir "), line);
        try {
            testbed.ssh("xcatmn", line);  // as the manual procedure would run it on a builder
            assertEquals(List.of("IMAGENAME=--env", "OSVER=ubuntu22.04", "ARCH=" + ARCH, "PROFILE=compute",
                    "LEFTOVERS=--env SITE=lab,STANDIN_MARK=exported " + source),
                    Files.readAllLines(testbed.mnFile(rootimg + "/etc/crossgen-standin")));
            assertTrue(Files.readAllLines(testbed.mnFile(rootimg + "/etc/crossgen-standin.env")).stream()
                    .noneMatch(l -> l.startsWith("SITE=")));
        } finally {
            testbed.ssh("xcatmn", "rm -rf /install/netboot/ubuntu22.04/" + ARCH + "/compute");
        }
    }

    @Test
    void predictEqualsWhatTheMnPrintsForEveryFamily() throws Exception {
        Path db = testbed.mnFile("/opt/xcat/standin/db/osimage");
        List<String> names = new java.util.ArrayList<>();
        try {
            for (String osvers : List.of("rhels8.8.0", "fedora12", "sles12.2", "leap15.3", "sle15.4", "ubuntu22.04",
                    "debian11", "suse11", "mic3.1", "leap42.3")) {
                java.util.Map<String, String> a = new java.util.TreeMap<>(java.util.Map.of("environvar",
                        "SITE=lab,LANG=C", "driverupdatesrc", "dud:/d.iso,", "imagetype", "linux", "osarch", ARCH,
                        "osvers", osvers, "pkgdir", "/install/" + osvers + "/" + ARCH + ",",
                        "pkglist", "/opt/xcat/share/xcat/netboot/ubuntu/compute.ubuntu22.04.pkglist,",
                        "profile", "compute", "provmethod", "netboot", "permission", "755"));
                String name = "e2efamily-" + osvers;
                names.add(name);
                StringBuilder file = new StringBuilder();
                a.forEach((k, v) -> file.append(k).append('=').append(v).append('\n'));
                Files.writeString(db.resolve(name), file);
                io.crossgen.image.OsImage image = io.crossgen.image.OsImage.of(name, a);
                Process p = new ProcessBuilder(testbed.sshArgv("xcatmn", "genimage --dryrun " + name)).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                int rc = p.waitFor();
                if (osvers.equals("leap42.3")) {
                    assertEquals(1, rc);
                    assertEquals("Error: [xcatmn]: Unable to find genimage script in /opt/xcat/share/xcat/netboot/leap.\n",
                            err);
                    org.junit.jupiter.api.Assertions.assertThrows(io.crossgen.command.CommandException.class,
                            () -> io.crossgen.command.GenimageCommand.predict(image, java.util.Optional.of("UTC")));
                    continue;
                }
                io.crossgen.command.GenimageCommand printed = io.crossgen.command.GenimageCommand.fromDryRun(out, err,
                        rc);
                io.crossgen.command.GenimageCommand predicted = io.crossgen.command.GenimageCommand.predict(image,
                        java.util.Optional.of("UTC"));
                assertEquals(predicted, printed, () -> osvers + ": " + predicted.diff(printed) + "\n" + out);
                assertEquals(osvers.startsWith("sles") || osvers.startsWith("leap15"), out.contains(" --timezone UTC "),
                        out);
            }
        } finally {
            for (String name : names) {
                Files.deleteIfExists(db.resolve(name));
            }
        }
    }

    @Test
    void aFailedGenimageIsReportedWithHostExitAndStderrAndNothingIsLeftMounted() throws Exception {
        StringWriter progress = new StringWriter();
        RunReport report = build("broken", "e2ebroken").run(Listeners.console(progress));

        assertFalse(report.succeeded(), progress::toString);
        RunReport.Failure failure = report.failure().orElseThrow();
        assertEquals("generate", failure.step());
        assertEquals(testbed.builder(), failure.host().orElseThrow());
        String message = failure.message();
        // The stand-in dies like Perl's die does: with errno as exit status, non-zero.
        Exit exit = failure.exit().orElseThrow();
        assertTrue(exit instanceof Exit.Exited exited && exited.code() != 0, exit::toString);
        assertTrue(message.contains("genimage failed with " + exit.describe() + " on root@10.77.0.2"), message);
        assertTrue(failure.stderrTail().contains("site check failed: no license server"), failure::toString);
        // genimage died with proc mounted in the rootimg: the cleanup unmounted it before /install.
        assertNothingLeftOnTheBuilder();
        assertTrue(Files.notExists(testbed.mnFile(NETBOOT + "e2ebroken/rootimg.cpio.gz")));
    }

    @Test
    void aDroppedSshSessionDuringGenerateDoesNotStopTheBuild() throws Exception {
        StringWriter progress = new StringWriter();
        AtomicInteger dropped = new AtomicInteger(-1);
        PipelineListener dropper = new PipelineListener() {
            @Override
            public void outputLine(String step, Host host, StdStream stream, String line) {
                if (step.equals("generate") && line.strip().startsWith("Installing") && dropped.get() < 0) {
                    dropped.set(0);
                    try {
                        dropped.set(testbed.dropSessions("builder"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        RunReport report = build("slow", "e2eslow").run(Listeners.all(Listeners.console(progress), dropper));

        assertTrue(dropped.get() > 0, "no SSH session of the builder was dropped:\n" + progress);
        assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
        assertTrue(Files.size(testbed.mnFile(NETBOOT + "e2eslow/rootimg.cpio.gz")) > 0);
        assertNothingLeftOnTheBuilder();
    }

    @Test
    void twoBuildsOnOneBuilderAtOnceShareTheMountAndLeaveNothing() throws Exception {
        StringWriter progress = new StringWriter();
        // Neither genimage starts before both builds hold /install: the first one's cleanup then runs while the
        // other still writes its image through the mount (the bug the lease fixes).
        CountDownLatch bothMounted = new CountDownLatch(2);
        Step await = Step.of("await-the-other-build", c -> {
            bothMounted.countDown();
            if (!bothMounted.await(10, TimeUnit.MINUTES)) {
                throw new AssertionError("the other build never got /install");
            }
        });
        BuildMatrix matrix = BuildMatrix.builder()
                .add(before(build("compute", "e2epair1"), Generate.NAME, await))
                .add(before(build("site", "e2epair2"), Generate.NAME, await))
                .perBuilder(2)
                .listener(Listeners.console(progress))
                .build();

        List<BuildMatrix.Result> results = matrix.run();

        for (BuildMatrix.Result r : results) {
            assertTrue(r.report().succeeded(), () -> r.report().summary() + "\n" + progress);
            assertTrue(Files.size(testbed.mnFile(NETBOOT + r.build().target() + "/rootimg.cpio.gz")) > 0);
        }
        List<String> mountNotes = results.stream()
                .map(r -> r.report().step("mount-install").orElseThrow().notes().get(0)).sorted().toList();
        assertTrue(mountNotes.get(0).startsWith("/install is crossgen's mount of ")
                && mountNotes.get(1).startsWith("mounted xcatmn:/install at /install"),
                "one build mounts, the other shares its mount: " + mountNotes);
        assertNothingLeftOnTheBuilder();
    }

    private static CrossBuild before(CrossBuild build, String step, Step inserted) {
        return build.withPipeline(p -> p.before(step, inserted));
    }

    private static void assertNothingLeftOnTheBuilder() throws Exception {
        assertNothingLeftOnTheBuilder(testbed);
    }

    /** Nothing of a run is left: /install is not mounted on the builder, no lock on the MN, no lease entry. */
    static void assertNothingLeftOnTheBuilder(Testbed testbed) throws Exception {
        // The top of /install is the host's own folder again, and nothing is mounted under a rootimg.
        List<String> install = testbed.ssh("builder", "findmnt -rn -o FSTYPE --target /install | tail -n 1");
        assertFalse(install.get(0).contains("sshfs") || install.get(0).startsWith("nfs"), "still mounted: " + install);
        List<String> all = testbed.ssh("builder", "findmnt -rn -o TARGET");
        assertTrue(all.stream().noneMatch(t -> t.contains("/rootimg")), "left mounted: " + all);
        assertTrue(testbed.ssh("xcatmn", "ls -A /install/.crossgen-locks 2>/dev/null || true").isEmpty(),
                "a crossgen lock was left on the MN");
        // No run is registered in the builder's /install lease, and no crossgen mount is marked.
        List<String> lease = testbed.ssh("builder", "ls -A /run/crossgen/install/users 2>/dev/null;"
                + " cat /run/crossgen/install/mounted 2>/dev/null; true");
        assertTrue(lease.isEmpty(), "left in the builder's /install lease: " + lease);
        // No probe file of mount-install is left, on the MN (which removes the ones it read) or on the builder (its
        // own /install and /xcatinstall, seen now that nothing is mounted there).
        for (String host : List.of("xcatmn", "builder")) {
            assertEquals(List.of(), testbed.ssh(host, "ls -A /install /xcatinstall | grep crossgen-probe || true"),
                    "probe files left on " + host);
        }
    }
}
