package io.crossgen.transport.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.RelayException;
import io.crossgen.transport.RelayResult;
import io.crossgen.transport.RemoteProcess;
import io.crossgen.transport.TarRelay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarRelayTest {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private final Connection from = new LocalTransportProvider().connect(Host.local());
    private final Connection to = new LocalTransportProvider().connect(Host.local());

    @TempDir
    Path dir;
    private Path src;

    @AfterEach
    void close() {
        from.close();
        to.close();
    }

    @BeforeEach
    void makeTree() throws IOException {
        src = Files.createDirectories(dir.resolve("src"));
        Random random = new Random(7);
        Path sub = Files.createDirectories(src.resolve("sub/deeper"));
        byte[] blob = new byte[300_000];
        random.nextBytes(blob);
        Files.write(sub.resolve("blob.bin"), blob);
        Files.writeString(src.resolve("with space"), "spaces\n");
        Files.writeString(src.resolve("new\nline"), "newline\n");
        Files.writeString(src.resolve("quo'te\"s"), "quotes\n");
        Files.writeString(src.resolve("\u00fcn\u00efc\u00f6de \u20ac"), "unicode\n");
        Files.writeString(src.resolve("-dash"), "dash\n");
        Path script = Files.writeString(src.resolve("sub/run.sh"), "#!/bin/sh\necho hi\n");
        Tree.chmod(script, "rwxr-x---");
        Path secret = Files.writeString(src.resolve("secret"), "s\n");
        Tree.chmod(secret, "rw-------");
        Tree.chmod(Files.createDirectories(src.resolve("empty")), "rwx------");
        Files.createDirectories(src.resolve("empty too/inner empty"));
        Files.createSymbolicLink(src.resolve("abs-link"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(src.resolve("rel-link"), Path.of("sub/run.sh"));
        Files.createSymbolicLink(src.resolve("sub/up-link"), Path.of("../with space"));
        Files.createSymbolicLink(src.resolve("dir-link"), Path.of("sub"));
        Files.createSymbolicLink(src.resolve("dangling"), Path.of("nowhere/at all"));
        Files.setLastModifiedTime(src.resolve("secret"), FileTime.fromMillis(1_000_000_000_000L));
    }

    @Test
    void relayCopiesTheTreeExactly() throws Exception {
        Path dst = dir.resolve("dst/not yet there");
        List<Long> progress = new CopyOnWriteArrayList<>();
        RelayResult r = TarRelay.of(src.toString(), dst.toString(), LIMIT).run(from, to, progress::add);
        Map<String, String> expected = Tree.list(src);
        assertEquals(expected, Tree.list(dst));
        assertEquals(OptionalLong.of(expected.size()), r.entries(), "one entry per path, the root included");
        assertEquals(r.bytes(), progress.get(progress.size() - 1));
        assertTrue(r.bytes() > 300_000);
        assertEquals(Exit.exited(0), r.source().exit());
        assertEquals(Exit.exited(0), r.target().exit());
    }

    @Test
    void relaysIntoOneTreeWithATargetLockTakeTurnsAndAllSucceed() throws Exception {
        Path links = Files.createDirectories(src.resolve("links"));
        for (int i = 0; i < 300; i++) {
            Files.createSymbolicLink(links.resolve("l" + i), Path.of("/nowhere/" + i));
        }
        Path lock = dir.resolve("locks/relay.lock");
        for (int round = 0; round < 8; round++) {
            Path dst = dir.resolve("dst" + round);
            TarRelay relay = TarRelay.of(src.toString(), dst.toString(), LIMIT).withTargetLock(lock.toString());
            AtomicReference<Exception> other = new AtomicReference<>();
            Thread second = new Thread(() -> {
                try (Connection a = new LocalTransportProvider().connect(Host.local());
                        Connection b = new LocalTransportProvider().connect(Host.local())) {
                    relay.run(a, b);
                } catch (Exception e) {
                    other.set(e);
                }
            });
            second.start();
            relay.run(from, to);   // without the lock, two tar -x creating the same links fail with "File exists"
            second.join();
            assertEquals(null, other.get(), "round " + round);
            assertEquals(Tree.list(src), Tree.list(dst));
        }
        assertTrue(Files.isRegularFile(lock), "the lock file and its folder are made on the target");
        assertThrows(IllegalArgumentException.class, () -> TarRelay.of("/", "/", LIMIT).withTargetLock("lock"));
    }

    @Test
    void onlyTheGivenPathsAreCopied() throws Exception {
        Path dst = dir.resolve("dst");
        TarRelay relay = TarRelay.of(src.toString(), dst.toString(), LIMIT)
                .withPaths(List.of("sub/deeper", "new\nline", "-dash", "dir-link"));
        RelayResult r = relay.run(from, to);
        Map<String, String> all = Tree.list(src);
        Map<String, String> expected = new TreeMap<>();
        for (String key : List.of("sub/deeper", "sub/deeper/blob.bin", "new\nline", "-dash", "dir-link")) {
            expected.put(key, all.get(key));
        }
        Map<String, String> got = Tree.list(dst);
        got.remove(".");
        got.remove("sub"); // created as a parent, with default mode
        assertEquals(expected, got);
        assertEquals(OptionalLong.of(5), r.entries());
    }

    @Test
    void commandsAreThereToPlan() {
        TarRelay relay = TarRelay.of("/src root", "/dst", LIMIT).withPaths(List.of("a b"));
        assertEquals("LC_ALL=C tar -c -f - --format=gnu --numeric-owner -C '/src root' -- 'a b'",
                relay.sourceCommand().toString().replace("export LC_ALL=C && ", "LC_ALL=C "));
        assertEquals(List.of("sh", "-c", "mkdir -p -- \"$1\" && shift && exec \"$@\"", "crossgen-relay", "/dst",
                "tar", "-x", "-f", "-", "-p", "--numeric-owner", "-C", "/dst"), relay.targetCommand().argv());
        assertEquals(Map.of("LC_ALL", "C"), relay.targetCommand().environment());
    }

    @Test
    void pathsThatLeaveTheRootAreRefused() {
        TarRelay relay = TarRelay.of("/a", "/b", LIMIT);
        assertEquals("relay paths are relative to the source root, not '/etc'",
                assertThrows(IllegalArgumentException.class, () -> relay.withPaths(List.of("/etc"))).getMessage());
        assertEquals("relay path 'x/../../etc' leaves the source root through ..",
                assertThrows(IllegalArgumentException.class, () -> relay.withPaths(List.of("x/../../etc")))
                        .getMessage());
    }

    @Test
    void missingSourceFailsWithBothSidesInTheMessage() {
        TarRelay relay = TarRelay.of(dir.resolve("nope").toString(), dir.resolve("dst").toString(), LIMIT);
        RelayException e = assertThrows(RelayException.class, () -> relay.run(from, to));
        assertEquals(Exit.exited(2), e.result().source().exit());
        String msg = e.getMessage();
        assertTrue(msg.startsWith("tar relay failed after "), msg);
        assertTrue(msg.contains("; source local: `export LC_ALL=C && tar -c -f - --format=gnu --numeric-owner -C "
                + dir.resolve("nope") + " -- .` exit 2, stderr:\n  tar: " + dir.resolve("nope")
                + ": Cannot open: No such file or directory"), msg);
        assertTrue(msg.contains("; target local: `export LC_ALL=C && sh -c "), msg);
    }

    @Test
    void brokenTargetFailsTheRelayAndStopsTheSource() throws Exception {
        Path blocker = Files.writeString(dir.resolve("a file"), "x");
        TarRelay relay = TarRelay.of(src.toString(), blocker.resolve("dst").toString(), LIMIT);
        RelayException e = assertThrows(RelayException.class, () -> relay.run(from, to));
        assertTrue(e.getMessage().contains("mkdir: cannot create directory"), e.getMessage());
        assertEquals(Exit.exited(1), e.result().target().exit());
    }

    /** Runs {@code sleep} whatever it is asked to run, to stand for a source that hangs. */
    private static Connection hanging(Connection real, AtomicReference<String> pid) {
        return new Connection() {
            @Override
            public Host host() {
                return real.host();
            }

            @Override
            public RemoteProcess start(Command command) throws InterruptedException {
                RemoteProcess p = real.start(Command.of("sh", "-c", "echo $$ >&2; exec sleep 1000"));
                try {
                    byte[] line = new byte[32];
                    int n = p.stderr().read(line);
                    pid.set(new String(line, 0, n, StandardCharsets.US_ASCII).trim());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return p;
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    @Test
    void hangingRelayTimesOutAndCancelsBothSides() throws Exception {
        AtomicReference<String> pid = new AtomicReference<>();
        TarRelay relay = TarRelay.of(src.toString(), dir.resolve("dst").toString(), Duration.ofMillis(500));
        RelayException e = assertThrows(RelayException.class, () -> relay.run(hanging(from, pid), to));
        assertEquals(Exit.timedOut(Duration.ofMillis(500)), e.result().source().exit());
        assertEquals(Exit.timedOut(Duration.ofMillis(500)), e.result().target().exit());
        assertTrue(Processes.awaitGone(Long.parseLong(pid.get())));
    }

    @Test
    void interruptCancelsBothSides() throws Exception {
        AtomicReference<String> pid = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        TarRelay relay = TarRelay.of(src.toString(), dir.resolve("dst").toString(), LIMIT);
        Thread runner = new Thread(() -> {
            try {
                relay.run(hanging(from, pid), to);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        runner.start();
        for (int i = 0; i < 600 && pid.get() == null; i++) {
            Thread.sleep(50);
        }
        Thread.sleep(200);
        runner.interrupt();
        runner.join(TimeUnit.MINUTES.toMillis(1));
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertTrue(Processes.awaitGone(Long.parseLong(pid.get())));
    }
}
