package io.crossgen.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SessionReuseTest {
    @RegisterExtension
    static final SshServerExtension SERVER = new SshServerExtension();

    private static SshConnection connect(SshSettings settings) throws Exception {
        return (SshConnection) new SshTransportProvider(settings).connect(Host.parse(SERVER.uri()));
    }

    @Test
    void aHundredCommandsShareOneSession() throws Exception {
        int before = SERVER.sessionsCreated();
        try (SshConnection c = connect(SERVER.settings())) {
            Exec exec = Exec.on(c, Duration.ofMinutes(1));
            for (int i = 0; i < 100; i++) {
                assertEquals("" + i + "\n", exec.run(Command.of("echo", "" + i)).stdout().text());
            }
            assertEquals(1, c.sessionsOpened());
        }
        assertEquals(1, SERVER.sessionsCreated() - before, "handshakes seen by the server");
    }

    @Test
    void concurrentCommandsShareTheSessionAndStayUnderTheChannelLimit() throws Exception {
        int before = SERVER.sessionsCreated();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try (SshConnection c = connect(SERVER.settings().toBuilder().maxChannels(3).build())) {
            Exec exec = Exec.on(c, Duration.ofMinutes(2));
            List<Future<ExecResult>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> exec.run(Command.of("sh", "-c",
                        "n=$(ls /proc | grep -c .); sleep 0.3; echo ok"))));
            }
            for (Future<ExecResult> f : results) {
                assertEquals("ok\n", f.get().stdout().text());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, SERVER.sessionsCreated() - before);
        assertTrue(SERVER.maxConcurrentCommands() <= 3, "at most 3 at once, saw " + SERVER.maxConcurrentCommands());
    }

    @Test
    void aSessionDroppedBetweenCommandsIsReopenedTransparently() throws Exception {
        try (SshConnection c = connect(SERVER.settings())) {
            Exec exec = Exec.on(c, Duration.ofMinutes(1));
            assertEquals(Exit.exited(0), exec.run(Command.of("true")).exit());
            SERVER.dropAllSessions();
            assertEquals("back\n", exec.run(Command.of("echo", "back")).stdout().text());
            assertEquals(2, c.sessionsOpened());
        }
    }

    @Test
    void aCommandWhoseSessionDiesEndsUnknown() throws Exception {
        String marker = SshExecTest.uniqueSleep();
        try (SshConnection c = connect(SERVER.settings())) {
            RemoteProcess p = c.start(Command.of("sh", "-c", "echo started; exec sleep " + marker));
            p.stdin().close();
            assertEquals("started", new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8))
                    .readLine());
            SERVER.dropAllSessions();
            Optional<Exit> exit = p.waitFor(Duration.ofMinutes(1));
            assertEquals(Optional.of(Exit.unknown("the SSH session was lost while the command ran")), exit);
            assertInstanceOf(Exit.Unknown.class, exit.get());
            p.close();
        } finally {
            // Like sshd without a terminal, the test server leaves the orphan running: clean it up here.
            ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains("sleep " + marker))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void keepaliveSettingsReachTheSession() throws Exception {
        try (SshConnection c = connect(SERVER.settings().toBuilder().keepalive(Duration.ofSeconds(5), 3).build())) {
            assertEquals(5000, c.session().getServerAliveInterval());
            assertEquals(3, c.session().getServerAliveCountMax());
        }
        try (SshConnection c = connect(SERVER.settings())) {
            assertEquals(15000, c.session().getServerAliveInterval());
            assertEquals(4, c.session().getServerAliveCountMax());
        }
    }
}
