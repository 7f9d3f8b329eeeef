package io.crossgen.build;

import static io.crossgen.build.Recorded.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.StepStatus;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Exit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A failure injected at each of the nine steps of the seed build in turn (and after the mount, in its probe), the hosts answering as xCAT and
 * Linux do (XCAT.md 3.3, 1.6, 2, 5.2): the cleanups deferred so far run, last deferred first; the report names
 * the step, the host, the exit and the last lines of stderr; nothing stays mounted or locked.
 */
class FailureAtEveryStepTest {
    static final String LOCK = "release the lock on " + Seed.OWN_DIR;
    static final String UNMOUNT = MountInstall.RELEASE;
    static final String STAGE = Seed.OWN_DIR + "/.crossgen-stage";
    static final String LEFTOVERS = "unmount what genimage left mounted under " + STAGE + "/rootimg";
    static final String UNSTAGE = "put the image tree back from " + STAGE + " unless packimage promoted it";
    static final String STOP = "stop genimage if it still runs";
    static final String RUN_FOLDER = "remove genimage's run folder /var/tmp/crossgen/r1 on the builder";
    static final String POINT_BACK = "point osimage mycomputeimage's rootimgdir back unless packimage did";

    /**
     * One injected failure.
     *
     * @param step the step that fails
     * @param host the host whose command fails
     * @param matcher the command that fails
     * @param reply what it answers
     * @param exit the exit the report shows, when the failure is a command's
     * @param tail the stderr tail the report shows
     * @param message the exact failure message, when pinned
     * @param cleanups the cleanups that run, in order
     */
    /** The probe files' run id and token, {@code -r1-} and 8 hex digits, new for every attempt. */
    static final String TOKEN = "-r1-[0-9a-f]{8}";
    static final CommandMatcher PROBE_READ = CommandMatcher.line("crossgen-probe-read r1-[0-9a-f]{8}"
            + " /install/\\.crossgen-probe-r1-[0-9a-f]{8}$");

    record Case(String step, String host, CommandMatcher matcher, Reply reply, Optional<Exit> exit, List<String> tail,
                Optional<String> message, List<String> cleanups) {
        @Override
        public String toString() {
            return step + " (" + matcher.describe() + " on " + host + ")";
        }
    }

    static Stream<Case> cases() {
        String genimageLog = "The repository for /install/rhels6.3/x86_64 should be created before running the"
                + " genimge. Try to run [createrepo /install/rhels6.3/x86_64].\nNeed /install/rhels6.3/x86_64/"
                + " available from a system that has ran copycds on rhels6.3 x86_64\n";
        return Stream.of(
                new Case("copy-definition", "xcatmn", CommandMatcher.line("mkdef -z"),
                        Reply.of(1, "", "Error: [xcatmn]: No object names were provided.\n"),
                        Optional.of(Exit.exited(1)), List.of("Error: [xcatmn]: No object names were provided."),
                        Optional.of("step 'copy-definition' failed: xcatmn: `cat"
                                + " /var/tmp/crossgen/r1/mycomputeimage.stanza | mkdef -z` (crossgen-mkdef) failed"
                                + " with exit 1; last stderr:\n  Error: [xcatmn]: No object names were provided."),
                        List.of()),
                // the source's dry run, asked with the lsdefs: it fails the copy before mkdef, before the lock
                new Case("copy-definition", "xcatmn", CommandMatcher.argv("genimage", "--dryrun", Seed.SOURCE),
                        Reply.of(1, "Generating image: \n", "Error: [xcatmn]: The pkglist specified"
                                + " '/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist' does not exist!\n"),
                        Optional.of(Exit.exited(1)),
                        List.of("Error: [xcatmn]: The pkglist specified"
                                + " '/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist' does not exist!"),
                        Optional.of("step 'copy-definition' failed: genimage --dryrun failed (exit 1): The pkglist"
                                + " specified '/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist' does"
                                + " not exist! (on xcatmn); asked as genimage --dryrun " + Seed.SOURCE + " before"
                                + " defining osimage mycomputeimage: nothing was changed on the MN"),
                        List.of()),
                new Case("preflight", "node01", CommandMatcher.line("crossgen-preflight"),
                        Reply.of(0, SeedRunTest.FACTS.replace("arch=x86_64", "arch=ppc64le"), ""),
                        Optional.empty(), List.of(),
                        Optional.of("step 'preflight' failed: the builder node01 failed 1 check:\n  arch: the"
                                + " builder's machine is ppc64le but the image is for x86_64; pick a builder of that"
                                + " architecture"),
                        List.of(LOCK)),
                new Case("copy-netboot", "node01", CommandMatcher.line("crossgen-relay"),
                        Reply.of(2, "", "tar: opt/xcat/lib/perl/xCAT/Utils.pm: Cannot open: No space left on device\n"
                                + "tar: Exiting with failure status due to previous errors\n"),
                        Optional.of(Exit.exited(2)),
                        List.of("tar: opt/xcat/lib/perl/xCAT/Utils.pm: Cannot open: No space left on device",
                                "tar: Exiting with failure status due to previous errors"),
                        Optional.empty(), List.of(LOCK)),
                new Case("copy-external-files", "xcatmn", CommandMatcher.line("crossgen-read"),
                        Reply.of(126, "", "sh: /bin/cat: Permission denied\n"),
                        Optional.of(Exit.exited(126)), List.of("sh: /bin/cat: Permission denied"),
                        Optional.empty(), List.of(LOCK)),
                new Case("lock-image", "xcatmn", CommandMatcher.line("crossgen-lock"),
                        Reply.of(2, "", "mkdir: cannot create directory '/install/.crossgen-locks': Read-only file"
                                + " system\n"),
                        Optional.of(Exit.exited(2)),
                        List.of("mkdir: cannot create directory '/install/.crossgen-locks': Read-only file system"),
                        Optional.empty(), List.of()),
                // the mount fails inside the lease's script: the report names the mount command, and the release
                // deferred before the script ran finds that this run holds no use of /install
                new Case("mount-install", "node01", SeedRunTest.ACQUIRE,
                        Reply.of(32, "top=/ /dev/sda2 ext4 rw,relatime\nfound=none\nmarker=no\naction=failed\n"
                                + "failed=2\n", "mount.nfs: access denied by server while mounting xcatmn:/install\n"),
                        Optional.of(Exit.exited(32)),
                        List.of("mount.nfs: access denied by server while mounting xcatmn:/install"),
                        Optional.of("step 'mount-install' failed: node01: `mount -t nfs -o rw xcatmn:/install"
                                + " /install` failed with exit 32; last stderr:\n  mount.nfs: access denied by server"
                                + " while mounting xcatmn:/install"),
                        List.of(UNMOUNT, LOCK)),
                // the MN does not see the probe the builder wrote (messages pinned with the attempt's token as TOKEN)
                new Case("mount-install", "xcatmn", PROBE_READ,
                        Reply.of(1, "probe.1=missing\n", "cat: /install/.crossgen-probe-r1-TOKEN: No such file or"
                                + " directory\n"),
                        Optional.of(Exit.exited(1)),
                        List.of("cat: /install/.crossgen-probe-r1-TOKEN: No such file or directory"),
                        Optional.of("step 'mount-install' failed: the probe file /install/.crossgen-probe-r1-TOKEN"
                                + " written on the builder node01 is not visible on the MN xcatmn: the builder's"
                                + " /install is not the MN's /install; check the mount source (xcatmn:/install)"),
                        List.of(UNMOUNT, LOCK)),
                new Case("generate", "node01", CommandMatcher.line("crossgen-follow"),
                        Reply.of(0, "crossgen-follow rc=1 alive=no end=" + genimageLog.length() + " size="
                                + genimageLog.length() + "\n" + genimageLog, ""),
                        Optional.of(Exit.exited(1)),
                        List.of("The repository for /install/rhels6.3/x86_64 should be created before running the"
                                        + " genimge. Try to run [createrepo /install/rhels6.3/x86_64].",
                                "Need /install/rhels6.3/x86_64/ available from a system that has ran copycds on"
                                        + " rhels6.3 x86_64"),
                        Optional.of("step 'generate' failed: genimage failed with exit 1 on node01 (log:"
                                + " /var/tmp/crossgen/r1/log); last lines:\n  The repository for"
                                + " /install/rhels6.3/x86_64 should be created before running the genimge. Try to run"
                                + " [createrepo /install/rhels6.3/x86_64].\n  Need /install/rhels6.3/x86_64/"
                                + " available from a system that has ran copycds on rhels6.3 x86_64"),
                        List.of(STOP, LEFTOVERS, UNSTAGE, UNMOUNT, LOCK)),
                new Case("packimage", "xcatmn", CommandMatcher.program("packimage"),
                        Reply.of(1, "", "Error: [xcatmn]: Command pigz does not exist, please make sure it is"
                                + " installed.\n"),
                        Optional.of(Exit.exited(1)),
                        List.of("Error: [xcatmn]: Command pigz does not exist, please make sure it is installed."),
                        Optional.of("step 'packimage' failed: packimage mycomputeimage failed (exit 1): Command pigz"
                                + " does not exist, please make sure it is installed. (install pigz on the management"
                                + " node, or pass -c gzip) (on xcatmn)"),
                        List.of(POINT_BACK, RUN_FOLDER, STOP, LEFTOVERS, UNSTAGE, UNMOUNT, LOCK)));
    }

    @ParameterizedTest(name = "failure in {0}")
    @MethodSource("cases")
    void failureRunsTheDeferredCleanupsInReverseAndNamesWhereItFailed(Case c) {
        ScriptedTransport h = new ScriptedTransport();
        h.on(c.host(), c.matcher()).reply(c.reply());
        if (c.matcher() == SeedRunTest.ACQUIRE) {
            h.on("node01", SeedRunTest.RELEASE).reply(0, "registered=no\nothers=0\nmarker=no\n"
                    + "top=/ /dev/sda2 ext4 rw,relatime\nfound=none\naction=nothing\n");
        }
        SeedRunTest.addRules(h);

        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        assertEquals(RunReport.Outcome.FAILED, report.outcome(), report::summary);
        RunReport.Failure failure = report.failure().orElseThrow();
        assertEquals(c.step(), failure.step(), report::summary);
        assertEquals(Optional.empty(), failure.cleanup());
        c.message().ifPresent(m -> assertEquals(m, failure.message().replaceAll(TOKEN, "-r1-TOKEN")));
        assertTrue(failure.message().contains(c.host()), failure.message());
        if (c.exit().isPresent()) {
            assertEquals(Optional.of(ScriptedTransport.host(c.host())), failure.host(), failure.message());
            assertEquals(c.exit(), failure.exit(), failure.message());
            assertEquals(c.tail(), failure.stderrTail(), failure.message());
        }
        assertEquals(StepStatus.FAILED, report.step(c.step()).orElseThrow().status());
        List<String> names = SeedRunTest.seed(h).pipeline().stepNames();
        for (String later : names.subList(names.indexOf(c.step()) + 1, names.size())) {
            assertEquals(StepStatus.SKIPPED, report.step(later).orElseThrow().status(), later);
        }

        List<String> ran = report.cleanups().stream().map(RunReport.CleanupReport::description).toList();
        assertEquals(c.cleanups(), ran, report::summary);
        assertTrue(report.cleanups().stream().allMatch(r -> r.status() == StepStatus.DONE), report::summary);

        boolean released = c.cleanups().contains(UNMOUNT);
        boolean mounted = released && c.matcher() != SeedRunTest.ACQUIRE;
        if (released) {
            List<Recorded.On> order = new ArrayList<>();
            if (c.cleanups().contains(POINT_BACK)) {
                order.add(on("xcatmn", CommandMatcher.argv("chdef", "-t", "osimage", "-o", "mycomputeimage",
                        "rootimgdir=" + Seed.OWN_DIR)));
            }
            if (c.cleanups().contains(LEFTOVERS)) {
                order.add(on("node01", CommandMatcher.argv("findmnt", "-rn", "-o", "TARGET")));
            }
            if (c.cleanups().contains(UNSTAGE)) {
                order.add(on("xcatmn", CommandMatcher.line("crossgen-unstage")));
            }
            order.add(on("node01", SeedRunTest.RELEASE));
            order.add(on("xcatmn", CommandMatcher.line("crossgen-unlock")));
            Recorded.assertRanInOrder(h, order.toArray(Recorded.On[]::new));
        } else {
            h.assertNotRan("node01", SeedRunTest.RELEASE);
        }
        if (c.cleanups().contains(LOCK)) {
            h.assertRanInOrder("xcatmn", CommandMatcher.line("crossgen-lock"), CommandMatcher.line("crossgen-unlock"));
        } else {
            h.assertNotRan("xcatmn", CommandMatcher.line("crossgen-unlock"));
        }
        if (mounted) {
            // the lease script wrote the probe; the MN read it; the builder removes it only when the MN did not
            CommandMatcher rm = CommandMatcher.line("^rm -f -- /install/\\.crossgen-probe" + TOKEN + "$");
            Recorded.assertRanInOrder(h, on("node01", SeedRunTest.ACQUIRE), on("xcatmn", PROBE_READ),
                    on("node01", SeedRunTest.RELEASE));
            if (c.matcher() == PROBE_READ) {
                h.assertRanInOrder("node01", SeedRunTest.ACQUIRE, rm, SeedRunTest.RELEASE);
            } else {
                h.assertNotRan("node01", rm);
            }
            assertEquals(1, h.commands("xcatmn").stream().filter(PROBE_READ::matches).count());
        } else if (!c.step().equals("mount-install")) {
            h.assertNotRan("node01", SeedRunTest.ACQUIRE);
        }
    }
}
