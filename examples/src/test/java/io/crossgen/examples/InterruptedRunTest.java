package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.StageImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line killed with kill -9 while genimage runs on the builder: {@code status} shows what it left,
 * {@code resume} finishes the build, {@code unlock} cleans up after a run whose genimage died too. The CLI runs
 * as a real child java process.
 */
@Tag("e2e")
class InterruptedRunTest {
    private static Testbed testbed;
    private static String source;

    @TempDir
    Path journal;

    @BeforeAll
    static void up() throws Exception {
        testbed = Testbed.up();
        // the stand-in's slow image, made slower: genimage runs 30 s
        source = Testbed.sourceImage("slow") + "-30";
        Path slow = testbed.mnFile("/opt/xcat/standin/db/osimage/" + Testbed.sourceImage("slow"));
        Files.writeString(testbed.mnFile("/opt/xcat/standin/db/osimage/" + source), Files.readString(slow)
                .replace("STANDIN_GENIMAGE_SECONDS=8", "STANDIN_GENIMAGE_SECONDS=30"));
    }

    private List<String> cliArgv(String... args) {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.crossgen.examples.Main"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--journal", journal.toString()));
        return argv;
    }

    private List<String> hostOptions() {
        return List.of("--mn", testbed.mn().toString(), "--builder", testbed.builder().toString(),
                "--known-hosts", testbed.get("TESTBED_KNOWN_HOSTS"), "--identity", testbed.get("TESTBED_KEY"));
    }

    /** Runs the CLI to its end; its exit and output. */
    private Result cli(String... args) throws Exception {
        Process p = new ProcessBuilder(cliArgv(args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "crossgen " + String.join(" ", args) + " did not end");
        System.out.println("$ crossgen " + String.join(" ", args) + "\n" + out);
        return new Result(p.exitValue(), out);
    }

    private record Result(int exit, String out) {
    }

    /** Starts {@code crossgen run} of {@code target} and kills it (SIGKILL) once genimage runs; the run id. */
    private String runAndKillDuringGenerate(String target) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--source", source, "--as", target));
        args.addAll(hostOptions());
        Process p = new ProcessBuilder(cliArgv(args.toArray(String[]::new))).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertTrue(first != null && first.startsWith("run "), "first line: " + first);
        String runId = first.split(" ")[1];
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // the console's progress, not needed here
                }
            } catch (IOException e) {
                // the process was killed
            }
        });
        drain.start();
        // genimage started and recorded in the lock's owner on the MN
        try {
            await(() -> testbed.ssh("xcatmn", "cat /install/.crossgen-locks/*/owner 2>/dev/null; true").stream()
                    .anyMatch(l -> l.startsWith("genimage-pid=")), "genimage recorded in the lock");
        } finally {
            p.destroyForcibly();   // the kill under test, and no build left running if the wait failed
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue());
        return runId;
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits up to a minute for {@code c}, polling; fails naming {@code what}. */
    static void await(Condition c, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!c.holds()) {
            assertTrue(Instant.now().isBefore(deadline), "timed out waiting for: " + what);
            Thread.sleep(200);
        }
    }

    @Test
    void aRunKilledDuringGenerateIsShownByStatusAndFinishedByResume() throws Exception {
        String runId = runAndKillDuringGenerate("crashimg");

        List<String> status = new ArrayList<>(List.of("status"));
        status.addAll(hostOptions());
        Result s = cli(status.toArray(String[]::new));
        assertEquals(0, s.exit(), s.out());
        assertTrue(s.out().contains("  " + runId + "  crashimg  interrupted  controller pid "), s.out());
        assertTrue(s.out().contains("  live   run " + runId + "  image crashimg  "), s.out());
        assertTrue(s.out().contains(": gone; genimage pid "), s.out());
        assertTrue(s.out().lines().anyMatch(l -> l.startsWith("  run " + runId + "  pid ") && l.endsWith("running")),
                s.out());

        Result r = cli("resume", runId);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("resuming run " + runId + " of image crashimg from step 'lock-image'"), r.out());
        assertTrue(r.out().contains("of this run still runs on root@" + testbed.get("TESTBED_BUILDER")
                + ": attached to it"), r.out());
        assertTrue(r.out().contains(": SUCCEEDED in "), r.out());
        assertTrue(Files.size(testbed.mnFile(Testbed.netboot() + "crashimg/rootimg.cpio.gz")) > 0);
        assertNothingLeft(runId);
        assertTrue(Files.readString(journal.resolve(runId).resolve("run.json")).contains("\"state\" : \"succeeded\""));
    }

    @Test
    void aRunKilledWithItsGenimageIsCleanedUpByUnlock() throws Exception {
        String runId = runAndKillDuringGenerate("crashimg2");
        String pid = testbed.ssh("builder", "cat /var/tmp/crossgen/" + runId + "/pid").get(0);
        testbed.ssh("builder", "kill -KILL -- -" + pid);
        await(() -> testbed.ssh("builder", "kill -0 " + pid + " 2>/dev/null && echo alive; true").isEmpty()
                || testbed.ssh("builder", "grep -q '^State:.*Z' /proc/" + pid + "/status && echo zombie; true")
                        .contains("zombie"), "genimage killed");

        Result u = cli("unlock", "crashimg2");
        assertEquals(0, u.exit(), u.out());
        assertTrue(u.out().contains("  removed the lock /install/.crossgen-locks/"), u.out());
        assertTrue(u.out().contains("  removed run " + runId + "'s /install lease entry on the builder"), u.out());
        String dir = Testbed.netboot() + "crashimg2";
        assertTrue(u.out().contains("  put the image tree back in " + dir + "/rootimg\n"), u.out());
        assertTrue(u.out().contains("  removed the stage " + dir + "/.crossgen-stage\n"), u.out());
        assertFalse(Files.exists(testbed.mnFile(dir + "/" + StageImage.STAGE)), "the stage was left on the MN");
        assertTrue(Files.isDirectory(testbed.mnFile(dir + "/rootimg")), "the image tree is back in place");
        assertNothingLeft(runId);
    }

    @Test
    void aRunKilledDuringPackimageLeavesThePreviousArchiveAndUnlockPointsTheDefinitionBack() throws Exception {
        String target = "crashpack";
        String dir = Testbed.netboot() + target;
        List<String> args = new ArrayList<>(List.of("run", "--source", Testbed.sourceImage("compute"), "--as",
                target));
        args.addAll(hostOptions());
        assertEquals(0, cli(args.toArray(String[]::new)).exit());
        String archive = sha256(testbed.mnFile(dir + "/rootimg.cpio.gz"));
        Path slow = testbed.mnFile("/opt/xcat/standin/packimage-seconds");
        Files.writeString(slow, "8\n");
        args.add("--replace");
        String runId;
        try {
            Process p = new ProcessBuilder(cliArgv(args.toArray(String[]::new))).redirectErrorStream(true)
                    .redirectOutput(journal.resolve("crashpack.out").toFile()).start();
            Path partial = testbed.mnFile(dir + "/" + StageImage.STAGE + "/rootimg.cpio.gz");
            try {
                await(() -> Files.exists(partial), "packimage writing in the stage");
            } finally {
                p.destroyForcibly();
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            runId = Files.readAllLines(journal.resolve("crashpack.out")).get(0).split(" ")[1];
            assertEquals(archive, sha256(testbed.mnFile(dir + "/rootimg.cpio.gz")), "the archive nodes fetch");
            await(() -> testbed.ssh("xcatmn", "pgrep -af '[p]erl .*/packimage " + target + "'; true").isEmpty(),
                    "packimage on the MN ends with its session");
        } finally {
            Files.deleteIfExists(slow);
        }
        assertTrue(Files.readString(testbed.mnFile("/opt/xcat/standin/db/osimage/" + target))
                .contains("rootimgdir=" + dir + "/" + StageImage.STAGE + "\n"), "killed while the stage was named");

        Result u = cli("unlock", target);
        assertEquals(0, u.exit(), u.out());
        assertTrue(u.out().contains("  pointed osimage " + target + "'s rootimgdir back at " + dir
                + " (it named the stage)\n"), u.out());
        assertTrue(Files.readString(testbed.mnFile("/opt/xcat/standin/db/osimage/" + target))
                .contains("rootimgdir=" + dir + "\n"));
        assertFalse(Files.exists(testbed.mnFile(dir + "/" + StageImage.STAGE)), "the stage was left on the MN");
        assertTrue(Files.isDirectory(testbed.mnFile(dir + "/rootimg")), "the image tree is back in place");
        assertEquals(archive, sha256(testbed.mnFile(dir + "/rootimg.cpio.gz")));
        assertNothingLeft(runId);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static void assertNothingLeft(String runId) throws Exception {
        EndToEndTest.assertNothingLeftOnTheBuilder(testbed);
        assertTrue(testbed.ssh("builder", "ls -A /var/tmp/crossgen/" + runId + " 2>/dev/null; true").isEmpty(),
                "genimage's run folder was left");
        assertTrue(testbed.ssh("builder", "ps -eo args | grep -c '[c]rossgen-detached' ; true").equals(List.of("0")),
                "a detached crossgen process still runs");
    }
}
