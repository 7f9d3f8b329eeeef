package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.ScriptedTransport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mount-install's probe in two round trips against scripted hosts: the lease script writes it on the builder, the MN
 * reads and removes it; what fails names host and path, and the lease is given back whatever happened.
 */
class MountInstallProbeTest {
    private static final String TOKEN = "r1-[0-9a-f]{8}";
    private static final CommandMatcher BUILDER_RM = CommandMatcher.line("^rm -f -- /install/\\.crossgen-probe-"
            + TOKEN + "$");

    @Test
    void aProbeTheBuilderCannotWriteFailsNamingFolderHostAndMessageAndTheLeaseIsReleased() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("node01", SeedRunTest.ACQUIRE).reply(0, SeedRunTest.MOUNTED.replace("probe=written\n", "probe=failed\n"
                + "probe-path=/install/.crossgen-probe-r1-0a1b2c3d\n"), "crossgen-mount-acquire: 1: cannot create"
                + " /install/.crossgen-probe-r1-0a1b2c3d: Read-only file system\n");
        SeedRunTest.addRules(h);

        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        RunReport.Failure failure = report.failure().orElseThrow(() -> new AssertionError(report.summary()));
        assertEquals(MountInstall.NAME, failure.step());
        assertEquals("step 'mount-install' failed: /install on the builder node01 is not writable (writing"
                + " /install/.crossgen-probe-r1-0a1b2c3d failed: crossgen-mount-acquire: 1: cannot create"
                + " /install/.crossgen-probe-r1-0a1b2c3d: Read-only file system); genimage writes the image there:"
                + " mount it read-write", failure.message());
        h.assertNotRan("xcatmn", SeedRunTest.PROBE_READ);
        h.assertNotRan("node01", CommandMatcher.line("^rm .*crossgen-probe"));
        h.assertRanInOrder("node01", SeedRunTest.ACQUIRE, SeedRunTest.RELEASE);
        assertEquals(1, report.step(MountInstall.NAME).orElseThrow().roundTrips());
    }

    @Test
    void aProbeTheMnDoesNotSeeIsRemovedOnTheBuilderAndTheErrorNamesBothHostsAndPaths() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", SeedRunTest.PROBE_READ).reply(1, "probe.1=missing\n", "cat: /install/.crossgen-probe: No such"
                + " file or directory\n");
        SeedRunTest.addRules(h);

        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        RunReport.Failure failure = report.failure().orElseThrow(() -> new AssertionError(report.summary()));
        assertTrue(failure.message().matches("step 'mount-install' failed: the probe file /install/\\.crossgen-probe-"
                + TOKEN + " written on the builder node01 is not visible on the MN xcatmn: the builder's /install is"
                + " not the MN's /install; check the mount source \\(xcatmn:/install\\)"), failure.message());
        h.assertRanInOrder("node01", SeedRunTest.ACQUIRE, BUILDER_RM, SeedRunTest.RELEASE);
        assertEquals(3, report.step(MountInstall.NAME).orElseThrow().roundTrips());
    }

    @Test
    void aProbeThatHoldsAnotherTextOnTheMnIsNotTheRunsAndTheBuilderRemovesItsOwn() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", SeedRunTest.PROBE_READ).reply(1, "probe.1=other\n");
        SeedRunTest.addRules(h);

        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        String message = report.failure().orElseThrow(() -> new AssertionError(report.summary())).message();
        assertTrue(message.matches("step 'mount-install' failed: the probe file /install/\\.crossgen-probe-" + TOKEN
                + " written on the builder node01 holds another text on the MN xcatmn: the builder's /install is not"
                + " the MN's /install; check the mount source \\(xcatmn:/install\\)"), message);
        h.assertRanInOrder("node01", SeedRunTest.ACQUIRE, BUILDER_RM, SeedRunTest.RELEASE);
    }

    @Test
    void aProbeTheMnSawButCouldNotRemoveIsRemovedOnTheBuilderAndTheRunGoesOn() {
        ScriptedTransport h = new ScriptedTransport();
        h.on("xcatmn", SeedRunTest.PROBE_READ).reply(0, "probe.1=kept\n");
        SeedRunTest.addRules(h);

        RunReport report = SeedRunTest.seed(h).run(Listeners.none());

        assertTrue(report.succeeded(), report::summary);
        h.assertRanInOrder("node01", SeedRunTest.ACQUIRE, BUILDER_RM, SeedRunTest.RELEASE);
    }

    @Test
    void eachAttemptProbesWithANewToken() {
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ScriptedTransport h = SeedRunTest.hosts();
            assertTrue(SeedRunTest.seed(h).run(Listeners.none()).succeeded());
            String read = h.commands("xcatmn").stream().filter(SeedRunTest.PROBE_READ::matches).findFirst()
                    .orElseThrow().argv().get(4);
            assertTrue(read.matches(TOKEN), read);
            tokens.add(read);
        }
        assertTrue(!tokens.get(0).equals(tokens.get(1)), tokens::toString);
    }
}
