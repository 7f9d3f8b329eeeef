package io.crossgen.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SshExecTest {
    @RegisterExtension
    static final SshServerExtension SERVER = new SshServerExtension();

    private static Connection connection;
    private static Exec exec;

    @BeforeAll
    static void connect() throws Exception {
        connection = new SshTransportProvider(SERVER.settings()).connect(Host.parse(SERVER.uri()));
        exec = Exec.on(connection, Duration.ofMinutes(2));
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Test
    void exitCodesComeBackExactly() throws Exception {
        for (int code : List.of(0, 1, 42, 127)) {
            ExecResult r = exec.run(Command.of("sh", "-c", "exit " + code));
            assertEquals(Exit.exited(code), r.exit());
        }
    }

    @Test
    void stdoutAndStderrArriveByteForByteWithoutTheWrapperMarker() throws Exception {
        ExecResult r = exec.run(Command.of("sh", "-c", "printf 'out\\n'; printf 'err 1\\nerr 2' >&2"));
        assertEquals("out\n", r.stdout().text());
        assertEquals("err 1\nerr 2", r.stderr().text());
    }

    @Test
    void argumentsWorkingDirectoryAndEnvironmentArriveUnexpanded() throws Exception {
        Command c = Command.of("printf", "%s|%s|%s|%s", "it's $HOME", "*", "$X")
                .withEnv("X", "a b'c")
                .withWorkingDirectory("/tmp");
        ExecResult r = exec.run(c.toBuilder().addArgs("").build());
        assertEquals("it's $HOME|*|$X|", r.stdout().text());
        ExecResult env = exec.run(Command.of("sh", "-c", "printf '%s|' \"$X\"; pwd").withEnv("X", "a b'c")
                .withWorkingDirectory("/tmp"));
        assertEquals("a b'c|/tmp\n", env.stdout().text());
    }

    @Test
    void aCommandKilledBySignalEndsSignalled() throws Exception {
        ExecResult r = exec.run(Command.of("sh", "-c", "kill -s KILL $$"));
        assertEquals(Exit.signalled("KILL"), r.exit());
    }

    @Test
    void fiftyMegabytesOnEachStreamAtOnceDoNotDeadlock() throws Exception {
        long size = 50L * 1024 * 1024;
        ExecResult r = exec.run(Command.of("sh", "-c",
                "head -c " + size + " /dev/zero & head -c " + size + " /dev/zero >&2; wait"));
        assertEquals(Exit.exited(0), r.exit());
        assertEquals(size, r.stdout().totalBytes());
        assertEquals(size, r.stderr().totalBytes());
    }

    @Test
    void stdinIsFedAndClosed() throws Exception {
        byte[] input = new byte[3 * 1024 * 1024];
        ThreadLocalRandom.current().nextBytes(input);
        ExecResult r = exec.run(Command.of("sh", "-c", "cksum").withStdin(Stdin.bytes(input)));
        ExecResult local = localCksum(input);
        assertEquals(local.stdout().text(), r.stdout().text());
    }

    private static ExecResult localCksum(byte[] input) throws Exception {
        Process p = new ProcessBuilder("cksum").start();
        try (OutputStream o = p.getOutputStream()) {
            o.write(input);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(1, TimeUnit.MINUTES);
        return new ExecResult(connection.host(), Command.of("cksum"), Exit.exited(0), Duration.ZERO,
                io.crossgen.transport.Output.of(out), io.crossgen.transport.Output.empty());
    }

    @Test
    void stdinStreamsLineByLineWhileTheCommandRuns() throws Exception {
        try (RemoteProcess p = connection.start(Command.of("cat"))) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8));
            for (int i = 0; i < 5; i++) {
                p.stdin().write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                assertEquals("line " + i, lines.readLine());
            }
            p.stdin().close();
            assertEquals(null, lines.readLine());
            assertEquals(Optional.of(Exit.exited(0)), p.waitFor(Duration.ofMinutes(1)));
        }
    }

    @Test
    void aTimedOutCommandIsKilledWithItsChildren() throws Exception {
        String marker = uniqueSleep();
        ExecResult r = exec.withTimeout(Duration.ofSeconds(3))
                .run(Command.of("sh", "-c", "sleep " + marker + " & sleep " + marker + " & wait"));
        assertInstanceOf(Exit.TimedOut.class, r.exit());
        awaitGone(marker);
    }

    @Test
    void cancelKillsTheRemoteProcessTree() throws Exception {
        String marker = uniqueSleep();
        try (RemoteProcess p = connection.start(Command.of("sh", "-c",
                "sh -c 'sleep " + marker + "' & sleep " + marker + " & echo started; wait"))) {
            p.stdin().close();
            drain(p.stderr());
            BufferedReader out = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8));
            assertEquals("started", out.readLine());
            // "started" is printed once both children are forked, not once they have exec'd sleep: wait for that.
            awaitCount(marker, 3);
            p.cancel();
            Optional<Exit> exit = p.waitFor(Duration.ofMinutes(1));
            assertTrue(exit.isPresent());
            assertEquals(Exit.signalled("TERM"), exit.get());
        }
        awaitGone(marker);
    }

    @Test
    void cancellingEveryCommandAtOnceStaysWithinTheServersChannelsAndKillsThemAll() throws Exception {
        // 8 commands (the default channel limit) and the server's 10 channels: the kills take turns.
        String marker = uniqueSleep();
        Connection other = new SshTransportProvider(SERVER.settings()).connect(Host.parse(SERVER.uri()));
        try {
            List<RemoteProcess> running = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RemoteProcess p = other.start(Command.of("sh", "-c", "sleep " + marker + " & echo started; wait"));
                p.stdin().close();
                drain(p.stderr());
                assertEquals("started", new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8))
                        .readLine());
                running.add(p);
            }
            awaitCount(marker, 8);
            List<Thread> cancels = new ArrayList<>();
            for (RemoteProcess p : running) {
                Thread t = new Thread(p::cancel);
                t.start();
                cancels.add(t);
            }
            for (Thread t : cancels) {
                t.join(TimeUnit.MINUTES.toMillis(1));
            }
            awaitGone(marker);
        } finally {
            other.close();
        }
    }

    @Test
    void closingAConnectionCancelsWhatStillRuns() throws Exception {
        String marker = uniqueSleep();
        Connection other = new SshTransportProvider(SERVER.settings()).connect(Host.parse(SERVER.uri()));
        RemoteProcess p = other.start(Command.of("sh", "-c", "sleep " + marker + " & echo started; wait"));
        p.stdin().close();
        drain(p.stderr());
        assertEquals("started", new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8))
                .readLine());
        other.close();
        awaitGone(marker);
    }

    private static void drain(InputStream in) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the test only needs the stream drained
            }
        });
        t.setDaemon(true);
        t.start();
    }

    static String uniqueSleep() {
        return "9" + ThreadLocalRandom.current().nextInt(100000, 999999) + "." + ThreadLocalRandom.current()
                .nextInt(1000, 9999);
    }

    /** How many local processes have {@code sleep MARKER} in their command line (the server is in-process). */
    static long count(String marker) {
        AtomicLong n = new AtomicLong();
        ProcessHandle.allProcesses().forEach(h -> {
            Optional<String> line = h.info().commandLine();
            if (line.isPresent() && line.get().contains("sleep " + marker) && h.isAlive()) {
                n.incrementAndGet();
            }
        });
        return n.get();
    }

    /** Waits until at least {@code n} local processes have {@code sleep MARKER} in their command line. */
    static void awaitCount(String marker, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(marker) < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(count(marker) >= n, "the process tree runs before cancel: " + count(marker) + " of " + n);
    }

    static void awaitGone(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(marker) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, count(marker), "processes with 'sleep " + marker + "' still run");
    }
}
