package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.StageImage;
import io.crossgen.pipeline.RunReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code crossgen} command line as an admin uses it: a real child JVM, its stdout read through a pipe,
 * stopped with real signals, and the testbed's hosts inspected afterwards.
 */
@Tag("e2e")
class CommandLineEndToEndTest {
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static Testbed testbed;

    @TempDir
    Path dir;

    /** The CLI processes a test started: a test that fails half-way must not leave one building on the hosts. */
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        testbed = Testbed.up();
    }

    @AfterEach
    void stopWhatStillRuns() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
                if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {   // its cleanups had their time
                    p.destroyForcibly().waitFor();
                }
            }
        }
    }

    /** A line the CLI printed, and when it arrived (System.nanoTime). */
    private record Line(String text, long nanos) {
    }

    /** A running {@code crossgen} child process; its stdout is collected line by line as it arrives. */
    private static final class Cli {
        final Process process;
        final Path stderr;
        final List<Line> lines = new ArrayList<>();
        final Thread reader;

        Cli(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            this.reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        synchronized (lines) {
                            lines.add(new Line(l, System.nanoTime()));
                            lines.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "cli-stdout");
            reader.start();
        }

        Line await(Predicate<String> wanted) throws InterruptedException {
            long end = System.nanoTime() + DEADLINE.toNanos();
            synchronized (lines) {
                while (true) {
                    Optional<Line> found = lines.stream().filter(l -> wanted.test(l.text())).findFirst();
                    if (found.isPresent()) {
                        return found.get();
                    }
                    long left = end - System.nanoTime();
                    if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                        throw new AssertionError("no such line; the CLI printed:\n" + text());
                    }
                    TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                }
            }
        }

        int exit() throws Exception {
            assertTrue(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the CLI did not end");
            reader.join(TimeUnit.SECONDS.toMillis(30));
            return process.exitValue();
        }

        String text() {
            synchronized (lines) {
                return lines.stream().map(Line::text).collect(Collectors.joining("\n"));
            }
        }

        String err() {
            try {
                return Files.readString(stderr);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
        }
    }

    /**
     * Starts {@code crossgen ARGS} in a JVM of its own with this test's class path. Perl resets SIGINT and SIGTERM
     * to their defaults first: a child of a process started in the background may inherit them ignored.
     */
    private Cli crossgen(List<String> args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = $SIG{TERM} = 'DEFAULT'; exec @ARGV"
                + " or die \"exec: $!\"", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        argv.addAll(args);
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(argv).redirectError(stderr.toFile()).start();
        started.add(p);
        p.getOutputStream().close();
        return new Cli(p, stderr);
    }

    private List<String> run(String profile, String target, Path knownHosts, String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--source", Testbed.sourceImage(profile), "--as", target,
                "--mn", testbed.mn().toString(), "--builder", testbed.builder().toString(),
                "--known-hosts", knownHosts.toString(), "--identity", testbed.get("TESTBED_KEY"), "--replace"));
        args.addAll(List.of(more));
        return args;
    }

    private Path knownHosts() {
        return Path.of(testbed.get("TESTBED_KNOWN_HOSTS"));
    }

    @Test
    void sigintDuringGenerateStopsGenimageCleansUpWritesTheReportAndExits130() throws Exception {
        signalDuringGenerate("INT", 130, "e2esigint");
    }

    @Test
    void sigtermDuringGenerateStopsGenimageCleansUpWritesTheReportAndExits143() throws Exception {
        signalDuringGenerate("TERM", 143, "e2esigterm");
    }

    private void signalDuringGenerate(String signal, int status, String target) throws Exception {
        Path report = dir.resolve("report.json");
        Cli cli = crossgen(run("slow", target, knownHosts(), "--report", report.toString()));
        cli.await(l -> l.contains(" Installing       : "));
        assertFalse(genimageProcesses().isEmpty(), "genimage runs on the builder");

        cli.signal(signal);

        assertEquals(status, cli.exit(), () -> cli.text() + "\n" + cli.err());
        RunReport r = RunReport.fromJson(Files.readString(report));
        assertEquals(RunReport.Outcome.CANCELLED, r.outcome());
        assertEquals("generate", r.failure().orElseThrow().step());
        String out = cli.text();
        // every deferred cleanup ran, and the last lines (cleanups, summary) reached the pipe
        for (String cleanup : List.of("stop genimage if it still runs", "unmount what genimage left mounted under ",
                "release the lock on ")) {
            assertTrue(out.contains("<== cleanup: " + cleanup), () -> cleanup + " missing in:\n" + out);
        }
        assertTrue(out.contains("\ncancelled by SIG" + signal + "\n"), out);
        assertTrue(out.contains("\nthe new osimage " + target + " stays defined on the MN; remove it with: rmdef -t"
                + " osimage -o " + target + "\nfull log: "), out);
        assertTrue(cli.err().contains("crossgen: SIG" + signal + ": cancelling run "), cli::err);
        String runId = r.values().stream().filter(v -> v.key().equals("run-id")).findFirst().orElseThrow().json()
                .orElseThrow().replace("\"", "");
        assertNothingLeftBy(runId);
    }

    @Test
    void sigintDuringPackimageLeavesThePreviousBootFilesAndTheDefinitionAsTheyWere() throws Exception {
        String target = "e2esigpack";
        String image = Testbed.netboot() + target;
        assertEquals(0, crossgen(run("compute", target, knownHosts())).exit());
        List<String> bootFiles = List.of("rootimg.cpio.gz", "kernel", "initrd-stateless.gz");
        for (String f : bootFiles.subList(1, 3)) {   // genimage writes the same bytes each time: mark the old ones
            Files.writeString(testbed.mnFile(image + "/" + f), "booted before\n", StandardOpenOption.APPEND);
        }
        List<String> before = sha256(image, bootFiles);
        String definition = Files.readString(testbed.mnFile("/opt/xcat/standin/db/osimage/" + target));
        Path slow = testbed.mnFile("/opt/xcat/standin/packimage-seconds");
        Path report = dir.resolve("report.json");
        Files.writeString(slow, "8\n");
        Cli cli;
        try {
            cli = crossgen(run("compute", target, knownHosts(), "--report", report.toString()));
            cli.await(l -> l.startsWith("==> packimage"));
            Path partial = testbed.mnFile(image + "/" + StageImage.STAGE + "/rootimg.cpio.gz");
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (!Files.exists(partial) && System.nanoTime() < end) {   // packimage is writing in the stage
                Thread.sleep(20);
            }
            assertTrue(Files.exists(partial), cli::text);
            cli.signal("INT");
            assertEquals(130, cli.exit(), () -> cli.text() + "\n" + cli.err());
        } finally {
            Files.deleteIfExists(slow);
        }

        RunReport r = RunReport.fromJson(Files.readString(report));
        assertEquals(RunReport.Outcome.CANCELLED, r.outcome());
        assertEquals("packimage", r.failure().orElseThrow().step());
        assertEquals(before, sha256(image, bootFiles), "the boot files nodes fetch changed");
        assertFalse(Files.exists(testbed.mnFile(image + "/" + StageImage.STAGE)), "the stage was left");
        assertTrue(Files.isDirectory(testbed.mnFile(image + "/rootimg")), "the image tree is not back in place");
        assertEquals(definition, Files.readString(testbed.mnFile("/opt/xcat/standin/db/osimage/" + target)),
                "the osimage's rootimgdir was not pointed back");
        // the hosts share this machine's process table: match the stand-in's own command line, not this pgrep's
        String packimage = "pgrep -af '[p]erl .*/packimage " + target + "'; true";
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!testbed.ssh("xcatmn", packimage).isEmpty() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), testbed.ssh("xcatmn", packimage), "packimage left running on the MN");
        String runId = r.values().stream().filter(v -> v.key().equals("run-id")).findFirst().orElseThrow().json()
                .orElseThrow().replace("\"", "");
        assertNothingLeftBy(runId);
    }

    private List<String> sha256(String dir, List<String> files) throws Exception {
        List<String> out = new ArrayList<>();
        for (String f : files) {
            out.add(f + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(testbed.mnFile(dir + "/" + f)))));
        }
        return out;
    }

    @Test
    void aSecondBuildOfTheSameImageIsRefusedByTheLockBeforeItCopiesAnything() throws Exception {
        Cli first = crossgen(run("slow", "e2esecond", knownHosts()));
        first.await(l -> l.contains(" Installing       : "));
        String firstRun = first.lines.get(0).text().split(" ")[1];
        Path report = dir.resolve("second.json");
        List<String> again = new ArrayList<>(run("slow", "e2esecond", knownHosts(), "--report", report.toString()));
        again.remove("--replace");   // the definition is the same: it is left as it is

        Cli second = crossgen(again);

        assertEquals(3, second.exit(), () -> second.text() + "\n" + second.err());
        RunReport r = RunReport.fromJson(Files.readString(report));
        RunReport.Failure failure = r.failure().orElseThrow();
        assertEquals("lock-image", failure.step());
        assertTrue(failure.message().contains(" is locked by crossgen run " + firstRun + " of image e2esecond since "),
                failure::message);
        assertTrue(failure.message().matches("(?s).*genimage pid [0-9]+ on [^:]+: running.*"), failure::message);
        List<String> after = r.steps().stream().dropWhile(s -> !s.name().equals("lock-image")).skip(1)
                .filter(s -> !s.commands().isEmpty()).map(RunReport.StepReport::name).toList();
        assertEquals(List.of(), after, "steps after the refused lock ran commands");
        // on the builder only the lock's question whether the holder's genimage still runs
        assertTrue(r.steps().stream().filter(s -> !s.name().equals("lock-image"))
                .flatMap(s -> s.hosts().stream()).noneMatch(testbed.builder()::equals), r::summary);

        first.signal("INT");
        assertEquals(130, first.exit(), () -> first.text() + "\n" + first.err());
        assertNothingLeftBy(firstRun);
    }

    @Test
    void consoleLinesArriveWhileGenimageRuns() throws Exception {
        Cli cli = crossgen(run("slow", "e2elive", knownHosts()));
        // The slow stand-in spreads 8 s over its packages, then prints the dracut line: the first package's line
        // must reach the pipe well before genimage's last line was even written.
        Line first = cli.await(l -> l.contains(" Installing       : "));
        Line last = cli.await(l -> l.contains("] Enter the dracut mode"));
        assertEquals(0, cli.exit(), () -> cli.text() + "\n" + cli.err());
        assertTrue(last.nanos() - first.nanos() > TimeUnit.SECONDS.toNanos(4),
                () -> "lines arrived together: " + (last.nanos() - first.nanos()) / 1_000_000 + " ms apart");
    }

    @Test
    void aChangedBuilderHostKeyStopsTheRunBeforeAnythingRunsOnTheMn() throws Exception {
        Path changed = dir.resolve("known_hosts");
        Path key = dir.resolve("other");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(knownHosts())) {
            String[] f = line.split(" ");
            if (f[0].contains(testbed.get("TESTBED_BUILDER"))) {
                Files.deleteIfExists(key);
                Files.deleteIfExists(Path.of(key + ".pub"));
                String type = f[1].startsWith("ecdsa") ? "ecdsa" : "ed25519";
                Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-f", key.toString())
                        .inheritIO().start();
                assertEquals(0, keygen.waitFor());
                String[] other = Files.readString(Path.of(key + ".pub")).strip().split(" ");
                line = f[0] + " " + other[0] + " " + other[1];
            }
            lines.add(line);
        }
        Files.write(changed, lines);
        Path report = dir.resolve("report.json");

        Cli cli = crossgen(run("compute", "e2ekeychanged", changed, "--report", report.toString()));

        assertEquals(1, cli.exit(), () -> cli.text() + "\n" + cli.err());
        RunReport r = RunReport.fromJson(Files.readString(report));
        String message = r.failure().orElseThrow().message();
        assertTrue(message.startsWith("run " + r.runId() + " changed nothing: root@" + testbed.get("TESTBED_BUILDER")
                + ": HOST KEY CHANGED for "), message);
        assertTrue(r.steps().stream().allMatch(s -> s.commands().isEmpty()), r::summary);
        assertFalse(Files.exists(testbed.mnFile("/opt/xcat/standin/db/osimage/e2ekeychanged")),
                "no osimage was defined");
    }

    @Test
    void anUnknownHostKeyIsRefusedNamingTheCommandLineOption() throws Exception {
        Path onlyBuilder = dir.resolve("known_hosts");
        Files.write(onlyBuilder, Files.readAllLines(knownHosts()).stream()
                .filter(l -> !l.split(" ")[0].contains(testbed.get("TESTBED_MN"))).toList());

        Cli cli = crossgen(run("compute", "e2ekeyunknown", onlyBuilder));

        assertEquals(1, cli.exit(), () -> cli.text() + "\n" + cli.err());
        String out = cli.text();
        assertTrue(out.contains("(policy STRICT); verify the fingerprint out of band, then add the key to that file"
                + " or run with --accept-new"), out);
        assertFalse(out.contains("ACCEPT_NEW"), out);
        assertFalse(Files.exists(testbed.mnFile("/opt/xcat/standin/db/osimage/e2ekeyunknown")));
    }

    private void assertNothingLeftBy(String runId) throws Exception {
        assertEquals(List.of(), testbed.ssh("xcatmn", "ls -A /install/.crossgen-locks 2>/dev/null; true"),
                "crossgen locks left on the MN");
        assertEquals(List.of(), testbed.ssh("builder", "ls -A /run/crossgen/install/users 2>/dev/null"
                + " | grep -F -- " + io.crossgen.command.Shell.quote(runId) + "; true"), "lease entry left");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);   // a killed process may take a moment to go
        while (!genimageProcesses().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), genimageProcesses(), "genimage left running");
        List<String> mounts = testbed.ssh("builder", "findmnt -rn -o TARGET,FSTYPE");
        assertTrue(mounts.stream().noneMatch(m -> m.startsWith("/install ") && (m.contains("sshfs")
                || m.contains("nfs"))), () -> "/install still mounted: " + mounts);
        assertTrue(mounts.stream().noneMatch(m -> m.contains("/rootimg")), () -> "left mounted: " + mounts);
    }

    /** The command lines of the genimage processes in the builder's network namespace. */
    private static List<String> genimageProcesses() throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "pids", "xt-builder").redirectErrorStream(true).start();
        List<String> pids = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor());
        List<String> found = new ArrayList<>();
        for (String pid : pids) {
            try {
                String cmd = new String(Files.readAllBytes(Path.of("/proc", pid.strip(), "cmdline")),
                        StandardCharsets.UTF_8).replace('\0', ' ').strip();
                if (cmd.contains("genimage") && !cmd.contains("crossgen-follow")) {
                    found.add(pid.strip() + " " + cmd);
                }
            } catch (IOException gone) {
                // ended meanwhile
            }
        }
        return found;
    }
}
