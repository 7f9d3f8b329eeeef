package io.crossgen.transport.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import io.crossgen.transport.TransportException;
import io.crossgen.transport.Transports;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTransportTest {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private final Connection local = new LocalTransportProvider().connect(Host.local());

    @AfterEach
    void close() {
        local.close();
    }

    private ExecResult run(String script) throws InterruptedException {
        return Exec.on(local, LIMIT).run(Command.of("sh", "-c", script));
    }

    @Test
    void serviceLoaderFindsTheLocalTransport() throws Exception {
        Transports transports = Transports.discover();
        assertTrue(transports.schemes().contains("local"), transports.toString());
        try (Connection c = transports.connect(Host.parse("local:"))) {
            assertEquals(Exit.exited(0), Exec.on(c, LIMIT).run(Command.of("true")).exit());
        }
    }

    @Test
    void exitCodesComeBackAsExited() throws Exception {
        assertEquals(Exit.exited(0), run("exit 0").exit());
        assertEquals(Exit.exited(3), run("exit 3").exit());
        assertEquals(Exit.exited(255), run("exit 255").exit());
        assertEquals(Exit.exited(148), run("exit 148").exit(), "128+TSTP cannot be a death by signal");
    }

    @Test
    void processThatKillsItselfWithASignalComesBackSignalled() throws Exception {
        assertEquals(Exit.signalled("TERM"), run("kill -TERM $$").exit());
        assertEquals(Exit.signalled("KILL"), run("kill -KILL $$").exit());
        assertEquals(Exit.signalled("SEGV"), run("kill -SEGV $$").exit());
    }

    @Test
    void exitOf143IsIndistinguishableFromTermAndReadsAsTerm() throws Exception {
        // The documented ambiguity: the JVM reports a death by signal N as 128+N.
        assertEquals(Exit.signalled("TERM"), run("exit 143").exit());
    }

    @Test
    void argvReachesTheProgramWordForWord() throws Exception {
        ExecResult r = Exec.on(local, LIMIT).run(Command.of("printf", "<%s>\\n", "${HOME}", "a  b", "'q\"", "",
                "*", "$(id)", "tab\there", "new\nline", "\u00fcn\u00efc\u00f6de"));
        assertEquals("<${HOME}>\n<a  b>\n<'q\">\n<>\n<*>\n<$(id)>\n<tab\there>\n<new\nline>\n<\u00fcn\u00efc\u00f6de>\n",
                r.stdout().text());
    }

    @Test
    void workingFolderAndEnvironmentAreAddedToTheCurrentOnes(@TempDir Path dir) throws Exception {
        ExecResult r = Exec.on(local, LIMIT).check(Command.builder()
                .addArgs("sh", "-c", "printf '%s|%s|%s' \"$(pwd)\" \"$CROSSGEN_X\" \"$HOME\"")
                .workingDirectory(dir.toString()).env("CROSSGEN_X", "a b").build());
        assertEquals(dir + "|a b|" + System.getenv("HOME"), r.stdout().text());
    }

    @Test
    void providerEnvironmentIsAddedAndTheCommandsOwnWins() throws Exception {
        Connection c = new LocalTransportProvider().withEnvironment(Map.of("A", "provider", "B", "provider"))
                .connect(Host.local());
        try (c) {
            ExecResult r = Exec.on(c, LIMIT).check(Command.of("sh", "-c", "printf '%s %s' \"$A\" \"$B\"")
                    .withEnv("B", "command"));
            assertEquals("provider command", r.stdout().text());
        }
    }

    @Test
    void missingWorkingFolderFailsTheStart() {
        TransportException e = assertThrows(TransportException.class,
                () -> local.start(Command.of("true").withWorkingDirectory("/nonexistent/crossgen")));
        assertEquals("local: cannot start true: working folder /nonexistent/crossgen does not exist or is not a"
                + " folder", e.getMessage());
    }

    @Test
    void missingProgramExits127AsAShellWouldSay() throws Exception {
        ExecResult r = Exec.on(local, LIMIT).run(Command.of("crossgen-no-such-program", "x"));
        assertEquals(Exit.exited(127), r.exit());
        assertEquals("setsid: failed to execute crossgen-no-such-program: No such file or directory\n",
                r.stderr().text());
    }

    @Test
    void timeoutSaysTimedOutAndLeavesNoProcessBehind() throws Exception {
        ExecResult r = Exec.on(local, Duration.ofMillis(500))
                .run(Command.of("sh", "-c", "sleep 1000 & echo $$ $!; sleep 1000"));
        assertEquals(Exit.timedOut(Duration.ofMillis(500)), r.exit());
        for (String pid : r.stdout().text().trim().split(" ")) {
            assertTrue(Processes.awaitGone(Long.parseLong(pid)), "pid " + pid + " still runs");
        }
    }

    @Test
    void cancelKillsGrandchildrenToo() throws Exception {
        try (RemoteProcess p = local.start(Command.of("sh", "-c", "sleep 1000 & echo $$ $!; sleep 1000"))) {
            p.stdin().close();
            String[] pids = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8))
                    .readLine().split(" ");
            p.cancel();
            assertEquals(Exit.signalled("TERM"), p.waitFor(LIMIT).orElseThrow());
            for (String pid : pids) {
                assertTrue(Processes.awaitGone(Long.parseLong(pid)), "pid " + pid + " still runs");
            }
        }
    }

    @Test
    void cancelKillsAnOrphanedGrandchildThatDescendantsNoLongerShow() throws Exception {
        // (sleep &) runs sleep in a subshell that exits at once: sleep is re-parented, but stays in the group.
        try (RemoteProcess p = local.start(Command.of("sh", "-c",
                "(sleep 1000 & echo $! > /dev/stderr); sleep 1000"))) {
            p.stdin().close();
            long orphan = Long.parseLong(new BufferedReader(new InputStreamReader(p.stderr(), StandardCharsets.UTF_8))
                    .readLine().trim());
            assertFalse(Processes.gone(orphan));
            p.cancel();
            assertTrue(Processes.awaitGone(orphan), "orphan " + orphan + " still runs");
        }
    }

    @Test
    void closingTheConnectionCancelsWhatStillRuns() throws Exception {
        Connection c = new LocalTransportProvider().connect(Host.local());
        RemoteProcess p = c.start(Command.of("sh", "-c", "echo $$; sleep 1000"));
        p.stdin().close();
        long pid = Long.parseLong(new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8))
                .readLine().trim());
        c.close();
        assertTrue(Processes.awaitGone(pid));
        assertThrows(TransportException.class, () -> c.start(Command.of("true")));
    }

    @Test
    void hugeOutputOnBothStreamsAtOnceNeitherDeadlocksNorFillsTheHeap() throws Exception {
        long size = 200L * 1024 * 1024;
        String line = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdef";
        AtomicLong lines = new AtomicLong();
        System.gc();
        long before = usedHeap();
        ExecResult r = Exec.on(local, Duration.ofMinutes(5)).withListener((s, l) -> lines.incrementAndGet())
                .run(Command.of("sh", "-c", "yes " + line + " | head -c " + size + " & yes " + line
                        + " | head -c " + size + " >&2; wait"));
        System.gc();
        long after = usedHeap();
        assertEquals(Exit.exited(0), r.exit());
        assertEquals(size, r.stdout().totalBytes());
        assertEquals(size, r.stderr().totalBytes());
        assertTrue(r.stdout().isTruncated());
        assertTrue(r.stderr().isTruncated());
        assertEquals(2 * (size / (line.length() + 1)) + 2, lines.get(), "every line reached the listener");
        assertTrue(r.stdout().text().length() < 2 * Exec.DEFAULT_CAPTURE_BYTES);
        assertTrue(after - before < 64L * 1024 * 1024, "heap grew by " + (after - before) / 1024 + " KiB");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void largeStdinStreamsThroughCatIntact() throws Exception {
        long size = 64L * 1024 * 1024;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        Stdin input = Stdin.stream(() -> new PseudoRandomStream(size, 42));
        try (InputStream in = input.open()) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                expected.update(buf, 0, n);
            }
        }
        ExecResult r = Exec.on(local, Duration.ofMinutes(5))
                .check(Command.of("sh", "-c", "cat | sha256sum").withStdin(input));
        assertEquals(HexFormat.of().formatHex(expected.digest()) + "  -\n", r.stdout().text());
    }

    @Test
    void interruptCancelsTheProcessAndThrows() throws Exception {
        AtomicReference<String> pid = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfterCatch = new AtomicBoolean(true);
        Thread runner = new Thread(() -> {
            try {
                Exec.on(local, LIMIT).withListener((s, l) -> pid.compareAndSet(null, l))
                        .run(Command.of("sh", "-c", "echo $$; sleep 1000"));
            } catch (Throwable t) {
                thrown.set(t);
                flagAfterCatch.set(Thread.currentThread().isInterrupted());
            }
        });
        runner.start();
        for (int i = 0; i < 600 && pid.get() == null; i++) {
            Thread.sleep(50);
        }
        runner.interrupt();
        runner.join(TimeUnit.MINUTES.toMillis(1));
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertFalse(flagAfterCatch.get(), "InterruptedException clears the flag, as usual");
        assertTrue(Processes.awaitGone(Long.parseLong(pid.get())));
    }

    @Test
    void sudoHostRunsCommandsThroughTheSudoOnThePath(@TempDir Path dir) throws Exception {
        Path sudo = dir.resolve("sudo");
        Files.writeString(sudo, "#!/bin/sh\n[ \"$1\" = -n ] && [ \"$2\" = -- ] || exit 99\nshift 2\n"
                + "echo \"$*\" >> \"$(dirname \"$0\")/log\"\nexec \"$@\"\n");
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
        LocalTransportProvider provider = new LocalTransportProvider()
                .withEnvironment(Map.of("PATH", dir + ":" + System.getenv("PATH")));
        try (Connection c = Transports.of(provider).connect(Host.parse("local:?sudo=true"))) {
            assertEquals("hi\n", Exec.on(c, LIMIT).check(Command.of("echo", "hi")).stdout().text());
        }
        assertEquals(List.of("true", "echo hi"), Files.readAllLines(dir.resolve("log")));
    }

    @Test
    void manyProcessesAtOnceFromSeveralThreads() throws Exception {
        List<CompletableFuture<ExecResult>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return Exec.on(local, LIMIT).run(Command.of("sh", "-c", "echo " + n + "; exit " + n));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 0; i < 8; i++) {
            ExecResult r = runs.get(i).get(2, TimeUnit.MINUTES);
            assertEquals(Exit.exited(i), r.exit());
            assertEquals(i + "\n", r.stdout().text());
        }
    }

    /** A deterministic stream of pseudo-random bytes. */
    static final class PseudoRandomStream extends InputStream {
        private final Random random;
        private long left;

        PseudoRandomStream(long size, long seed) {
            this.left = size;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            left -= n;
            return n;
        }
    }
}
