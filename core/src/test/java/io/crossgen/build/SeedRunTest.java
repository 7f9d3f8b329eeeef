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
            "tool.yum=yes", "perl.DBI=yes", "perl.JSON=yes", "install.exists=no", "install.empty=yes",
            "install.mount=/ /dev/sda2 ext4 rw,relatime", "");
    static final String NOT_FOUND = "Error: [xcatmn]: Could not find an object named 'mycomputeimage' of type"
            + " 'osimage'.\n";

    static ScriptedTransport hosts() {
        ScriptedTransport h = new ScriptedTransport();
        addRules(h);
        return h;
    }

    static void addRules(ScriptedTransport h) {
        h.on("xcatmn", "lsdef", "-t", "osimage", "-z", Seed.SOURCE).reply(0, Seed.stanza());
        h.on("xcatmn", "lsdef", "-t", "osimage", "-z", Seed.TARGET)
                .reply(Reply.of(1, "# <xCAT data object stanza file>\n", NOT_FOUND));
        h.on("xcatmn", CommandMatcher.line("mkdef -z")).reply(0, "1 object definitions have been created or modified.\n");
        h.on("xcatmn", "genimage", "--dryrun", Seed.TARGET).reply(0, Seed.dryRun());
        h.on("xcatmn", CommandMatcher.line("crossgen-manifest")).reply(0,
                "E\t/opt/xcat/share/xcat/netboot\td\t4096\t1.0\t755\t\n"
                + "E\t/opt/xcat/share/xcat/netboot/rh\td\t4096\t1.0\t755\t\n"
                + "E\t/opt/xcat/share/xcat/netboot/rh/genimage\tf\t9000\t1.0\t755\t\n"
                + "E\t/opt/xcat/lib/perl\td\t4096\t1.0\t755\t\n"
                + "E\t/opt/xcat/lib/perl/xCAT\td\t4096\t1.0\t755\t\n"
                + "E\t/opt/xcat/lib/perl/xCAT/Utils.pm\tf\t90000\t1.0\t644\t\n");
        h.on("xcatmn", CommandMatcher.line("crossgen-probe|^cat /install/.crossgen-probe-r1")).reply(0, "r1\n");
        h.on("xcatmn", CommandMatcher.program("packimage")).reply(0, "Packing contents of " + Seed.OWN_DIR
                + "/rootimg\narchive method:cpio\ncompress method:pigz\n");
        h.on("node01", CommandMatcher.line("crossgen-preflight")).reply(0, FACTS);
        h.on("node01", CommandMatcher.prefix("findmnt", "-rn", "-o", "TARGET,SOURCE,FSTYPE,OPTIONS"))
                .reply(0, "/ /dev/sda2 ext4 rw,relatime\n").once();
        h.on("node01", CommandMatcher.prefix("findmnt", "-rn", "-o", "TARGET,SOURCE,FSTYPE,OPTIONS"))
                .reply(0, "/install xcatmn:/install nfs4 rw,relatime\n");
        h.on("node01", CommandMatcher.line("crossgen-start")).reply(0, "pid=4242\n");
        h.on("node01", CommandMatcher.line("crossgen-follow")).reply(0,
                "crossgen-follow rc=0 alive=no end=58 size=58\nEnter the dracut mode.\nthe initial ramdisk is ok\n");
    }

    static CrossBuild seed(ScriptedTransport h) {
        return seed(Seed.build(h).build());
    }

    static CrossBuild seed(CrossBuild build) {
        Pipeline p = build.pipeline().toBuilder()
                .before(CopyDefinition.NAME, Step.of("run-id", c -> c.put(BuildKeys.RUN_ID, "r1"))).build();
        return build.withPipeline(p);
    }

    @Test
    void seedExampleRunsEveryStepAndCleansUp() {
        ScriptedTransport h = hosts();
        RunReport report = seed(h).run(Listeners.none());
        assertTrue(report.succeeded(), report::summary);
        h.assertRanInOrder("xcatmn",
                CommandMatcher.argv("lsdef", "-t", "osimage", "-z", Seed.SOURCE),
                CommandMatcher.argv("lsdef", "-t", "osimage", "-z", Seed.TARGET),
                CommandMatcher.line("crossgen-write /var/tmp/crossgen/r1/mycomputeimage.stanza"),
                CommandMatcher.line("cat \"\\$1\" \\| mkdef -z"),
                CommandMatcher.argv("genimage", "--dryrun", Seed.TARGET),
                CommandMatcher.line("crossgen-lock"),
                CommandMatcher.program("packimage"),
                CommandMatcher.line("crossgen-unlock"));
        h.assertRanInOrder("node01",
                CommandMatcher.line("crossgen-preflight"),
                CommandMatcher.argv("mount", "-t", "nfs", "-o", "rw", "xcatmn:/install", "/install"),
                CommandMatcher.line("crossgen-start /var/tmp/crossgen/r1 /opt/xcat/share/xcat/netboot/rh ./genimage"),
                CommandMatcher.argv("findmnt", "-rn", "-o", "TARGET"),
                CommandMatcher.argv("umount", "/install"));
        String stanza = new String(h.recorded("xcatmn").stream()
                .filter(r -> r.command().argv().contains("crossgen-write")).findFirst().orElseThrow().stdin(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(stanza.contains("mycomputeimage:\n"), stanza);
        assertTrue(stanza.contains("    rootimgdir=" + Seed.OWN_DIR + "\n"), stanza);
    }
}
