package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.Pipeline;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.Step;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;

/** The seed example run against scripted hosts that answer with real-format xCAT output. */
class SeedRunTest {
    static final String FACTS = String.join("\n", "arch=x86_64", "os.id=rhel", "os.id_like=fedora",
            "os.version_id=6.3", "uid=0", "tool.perl=yes", "tool.tar=yes", "tool.cpio=yes", "tool.dnf=no",
            "tool.yum=yes", "tool.flock=yes", "perl.DBI=yes", "perl.JSON=yes", "install.exists=no", "install.empty=yes",
            "install.mount=/ /dev/sda2 ext4 rw,relatime", "");
    /** The lease's scripts on the builder, and what they answer when this run mounts and unmounts alone. */
    static final CommandMatcher ACQUIRE = CommandMatcher.line("crossgen-mount-acquire");
    static final CommandMatcher RELEASE = CommandMatcher.line("crossgen-mount-release");
    /** The smoke check after generate, and what a builder of the image's arch answers. */
    static final CommandMatcher SMOKE = CommandMatcher.line("crossgen-smoke");
    static final String MOUNTED = "top=/ /dev/sda2 ext4 rw,relatime\nfound=none\nmarker=no\naction=mounted\n"
            + "probe=written\n";
    /** The MN's reading of the probe file, and its answer when it saw and removed it. */
    static final CommandMatcher PROBE_READ = CommandMatcher.line("crossgen-probe-read");
    static final String SEEN = "probe.1=seen\n";
    /** The builder's own probe script, without a lease ({@link Mount#none()}). */
    static final CommandMatcher PROBE_WRITE = CommandMatcher.line("' crossgen-probe r1-");
    static final String UNMOUNTED = "registered=yes\nothers=0\nmarker=yes\ntop=/install xcatmn:/install nfs4"
            + " rw,relatime\nfound=same\naction=unmounted\n";
    static final String NOT_FOUND = "Error: [xcatmn]: Could not find an object named 'mycomputeimage' of type"
            + " 'osimage'.\n";

    /** lsdef's answer to the copy's {@code lsdef -t osimage -z SOURCE,TARGET} when only the source exists. */
    static Reply onlySource(String stanza, String target) {
        return Reply.of(1, stanza, NOT_FOUND.replace("mycomputeimage", target));
    }

    static ScriptedTransport hosts() {
        ScriptedTransport h = new ScriptedTransport();
        addRules(h);
        return h;
    }

    static void addRules(ScriptedTransport h) {
        h.on("xcatmn", "lsdef", "-t", "osimage", "-z", Seed.SOURCE + "," + Seed.TARGET)
                .reply(onlySource(Seed.stanza(), Seed.TARGET));
        h.on("xcatmn", CommandMatcher.line("mkdef -z")).reply(0, "1 object definitions have been created or modified.\n");
        h.on("xcatmn", "genimage", "--dryrun", Seed.TARGET).reply(0, Seed.dryRun());
        h.on("xcatmn", "genimage", "--dryrun", Seed.SOURCE).reply(0, Seed.sourceDryRun());
        h.on("xcatmn", CommandMatcher.line("crossgen-manifest")).reply(0,
                "E\t/opt/xcat/share/xcat/netboot\td\t4096\t1.0\t755\t\n"
                + "E\t/opt/xcat/share/xcat/netboot/rh\td\t4096\t1.0\t755\t\n"
                + "E\t/opt/xcat/share/xcat/netboot/rh/genimage\tf\t9000\t1.0\t755\t\n"
                + "E\t/opt/xcat/lib/perl\td\t4096\t1.0\t755\t\n"
                + "E\t/opt/xcat/lib/perl/xCAT\td\t4096\t1.0\t755\t\n"
                + "E\t/opt/xcat/lib/perl/xCAT/Utils.pm\tf\t90000\t1.0\t644\t\n");
        h.on("xcatmn", PROBE_READ).reply(0, SEEN);
        h.on("xcatmn", CommandMatcher.program("packimage")).reply(0, "Packing contents of " + Seed.OWN_DIR
                + "/rootimg\narchive method:cpio\ncompress method:pigz\n");
        h.on("node01", CommandMatcher.line("crossgen-preflight")).reply(0, FACTS);
        h.on("node01", SMOKE).reply(0, "machine=x86_64\n");
        h.on("node01", ACQUIRE).reply(0, MOUNTED);
        h.on("node01", PROBE_WRITE).reply(0, "probe=written\n");
        h.on("node01", RELEASE).reply(0, UNMOUNTED);
        h.on("node01", CommandMatcher.line("crossgen-start")).reply(0, "pid=4242\n");
        h.on("node01", CommandMatcher.line("crossgen-follow")).reply(0,
                "crossgen-follow rc=0 alive=no end=58 size=58\nEnter the dracut mode.\nthe initial ramdisk is ok\n");
    }

    static CrossBuild seed(ScriptedTransport h) {
        return seed(Seed.build(h).build());
    }

    static CrossBuild seed(CrossBuild build) {
        return build.withPipeline(p -> p.before(CopyDefinition.NAME, Step.of("run-id",
                c -> c.put(BuildKeys.RUN_ID, "r1"))));
    }

    @Test
    void atTheDefaultParallelismTheSeedRunsTheSameCommandsAndCleansUpInTheSameOrder() {
        ScriptedTransport one = hosts();
        ScriptedTransport many = hosts();
        RunReport sequential = seed(one).run(Listeners.none());
        RunReport concurrent = seed(Seed.build(many).parallelism(4).build()).run(Listeners.none());

        assertTrue(concurrent.succeeded(), concurrent.toString());
        assertEquals(sequential.steps().stream().map(RunReport.StepReport::name).toList(),
                concurrent.steps().stream().map(RunReport.StepReport::name).toList());
        assertEquals(sequential.cleanups().stream().map(RunReport.CleanupReport::description).toList(),
                concurrent.cleanups().stream().map(RunReport.CleanupReport::description).toList());
        for (String host : java.util.List.of("xcatmn", "node01")) {
            // the lock's time differs, and so does the probe files' token
            assertEquals(one.commands(host).stream().map(c -> c.toString().replaceAll("time=\\S+", "time=T")
                    .replaceAll("r1-[0-9a-f]{8}", "r1-TOKEN")).sorted().toList(), many.commands(host).stream()
                    .map(c -> c.toString().replaceAll("time=\\S+", "time=T").replaceAll("r1-[0-9a-f]{8}", "r1-TOKEN"))
                    .sorted().toList(), host);
        }
    }

    /** A listener that adds each note as {@code step: text} and each warning as {@code step: warning: text}. */
    static io.crossgen.pipeline.PipelineListener notesInto(java.util.List<String> heard) {
        return new io.crossgen.pipeline.PipelineListener() {
            @Override
            public void note(String step, String text) {
                heard.add(step + ": " + text);
            }

            @Override
            public void warning(String step, String message) {
                heard.add(step + ": warning: " + message);
            }
        };
    }

    @Test
    void seedExampleRunsEveryStepAndCleansUp() {
        ScriptedTransport h = hosts();
        java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunReport report = seed(h).run(notesInto(heard));
        assertTrue(report.succeeded(), report::summary);
        h.assertRanInOrder("xcatmn",
                CommandMatcher.argv("lsdef", "-t", "osimage", "-z", Seed.SOURCE + "," + Seed.TARGET),
                CommandMatcher.argv("genimage", "--dryrun", Seed.SOURCE),
                CommandMatcher.argv("sh", "-c", CopyDefinition.MKDEF, "crossgen-mkdef",
                        "/var/tmp/crossgen/r1/mycomputeimage.stanza"),
                CommandMatcher.line("crossgen-lock"),
                CommandMatcher.program("packimage"),
                CommandMatcher.argv("chdef", "-t", "osimage", "-o", Seed.TARGET, "rootimgdir=" + Seed.OWN_DIR),
                CommandMatcher.line("crossgen-promote"),
                CommandMatcher.line("crossgen-unlock"));
        // promote.sh removed the stage: the cleanup that would undo it has nothing to do and runs nothing
        h.assertNotRan("xcatmn", CommandMatcher.line("crossgen-unstage"));
        h.assertRanInOrder("node01",
                CommandMatcher.line("crossgen-preflight"),
                CommandMatcher.line("crossgen-mount-acquire /run/crossgen/install r1 /install xcatmn:/install"
                        + " 'run=r1\ncontroller-host=[^']*' '' 'umount /install' r1-([0-9a-f]{8})"
                        + " /install/\\.crossgen-probe-r1-\\1 '' 'mkdir -p /install'"
                        + " 'mount -t nfs -o rw xcatmn:/install /install'$"),
                CommandMatcher.line("crossgen-start /var/tmp/crossgen/r1 /opt/xcat/share/xcat/netboot/rh ./genimage"),
                CommandMatcher.argv("findmnt", "-rn", "-o", "TARGET"),
                CommandMatcher.line("crossgen-mount-release /run/crossgen/install r1 /install xcatmn:/install"
                        + " 'umount /install' ''$"));
        assertEquals(1, h.commands("node01").stream().filter(ACQUIRE::matches).count());
        assertEquals(1, h.commands("node01").stream().filter(RELEASE::matches).count());
        // the lease script wrote the probe; the MN read the same one (and removed it): two round trips in all
        String acquire = h.commands("node01").stream().filter(ACQUIRE::matches).findFirst().orElseThrow().toString();
        java.util.regex.Matcher token = java.util.regex.Pattern.compile(" (r1-[0-9a-f]{8}) ").matcher(acquire);
        assertTrue(token.find(), acquire);
        h.assertRan("xcatmn", CommandMatcher.argv("sh", "-c", MountInstall.PROBE_READ, "crossgen-probe-read",
                token.group(1), "/install/.crossgen-probe-" + token.group(1)));
        h.assertNotRan("node01", CommandMatcher.line("^rm .*crossgen-probe"));
        assertEquals(2, report.step(MountInstall.NAME).orElseThrow().roundTrips());
        assertEquals(java.util.List.of("mount-install: mounted xcatmn:/install at /install; shared with the other"
                + " crossgen runs on the builder, and unmounted by the last one",
                "mount-install: unmounted /install on the builder (no other crossgen run used it)"),
                heard.stream().filter(n -> n.startsWith("mount-install: ")).toList());
        // the source's dry run, asked with the lsdefs, stands for the copy's: the copy's is never asked, and no
        // file is written in a round trip of its own
        h.assertNotRan("xcatmn", CommandMatcher.argv("genimage", "--dryrun", Seed.TARGET));
        h.assertNotRan("xcatmn", CommandMatcher.line("crossgen-write /var/tmp/crossgen/r1/mycomputeimage.stanza"));
        assertEquals("\"" + Seed.dryRun().lines().skip(1).findFirst().orElseThrow().replace("; ", " && ") + "\"",
                report.values().stream().filter(v -> v.key().equals(BuildKeys.DRY_RUN.name())).findFirst()
                        .orElseThrow().json().orElseThrow());
        String stanza = new String(h.recorded("xcatmn").stream()
                .filter(r -> r.command().argv().contains("crossgen-mkdef")).findFirst().orElseThrow().stdin(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(stanza.contains("mycomputeimage:\n"), stanza);
        assertTrue(stanza.contains("    rootimgdir=" + Seed.OWN_DIR + "\n"), stanza);
    }
}
