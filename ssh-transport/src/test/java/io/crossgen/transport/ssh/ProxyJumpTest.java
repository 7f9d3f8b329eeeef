package io.crossgen.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.Host;
import io.crossgen.transport.TransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyJumpTest {
    @RegisterExtension
    static final SshServerExtension JUMP = new SshServerExtension();
    @RegisterExtension
    static final SshServerExtension TARGET = new SshServerExtension();

    private static SshSettings settings(Path knownHosts) throws Exception {
        // Each test server generated its own client key; offer both.
        return TARGET.settings().toBuilder()
                .knownHosts(knownHosts).addIdentity(SshIdentity.of(JUMP.clientKey())).build();
    }

    private static Path bothKnown() throws Exception {
        return TARGET.knownHosts("kh-both", JUMP.knownHostsName() + " " + JUMP.ecKey(),
                TARGET.knownHostsName() + " " + TARGET.ecKey());
    }

    @Test
    void aJumpHostRelaysToTheTargetAndRunsNothingItself() throws Exception {
        int jumpSessions = JUMP.sessionsCreated();
        int jumpCommands = JUMP.commandsRun();
        int targetCommands = TARGET.commandsRun();
        String uri = TARGET.uri() + "?jump=tester@127.0.0.1:" + JUMP.port();
        try (Connection c = new SshTransportProvider(settings(bothKnown())).connect(Host.parse(uri))) {
            Exec exec = Exec.on(c, Duration.ofMinutes(1));
            for (int i = 0; i < 3; i++) {
                assertEquals("via jump\n", exec.run(Command.of("echo", "via", "jump")).stdout().text());
            }
        }
        assertEquals(1, JUMP.sessionsCreated() - jumpSessions);
        assertEquals(0, JUMP.commandsRun() - jumpCommands);
        assertEquals(3, TARGET.commandsRun() - targetCommands);
    }

    @Test
    void proxyJumpFromSshConfigIsHonoured() throws Exception {
        Path config = TARGET.dir().resolve("ssh_config");
        Files.write(config, List.of(
                "Host builder",
                "  HostName 127.0.0.1",
                "  Port " + TARGET.port(),
                "  User tester",
                "  ProxyJump hop",
                "Host hop",
                "  HostName 127.0.0.1",
                "  Port " + JUMP.port()));
        SshSettings s = settings(bothKnown()).toBuilder().sshConfig(config).build();
        try (Connection c = new SshTransportProvider(s).connect(Host.parse("ssh://builder"))) {
            assertEquals("ok\n", Exec.on(c, Duration.ofMinutes(1)).run(Command.of("echo", "ok")).stdout().text());
        }
    }

    @Test
    void everyHopsKeyIsVerified() throws Exception {
        Path onlyTarget = TARGET.knownHosts("kh-target", TARGET.knownHostsName() + " " + TARGET.ecKey());
        String uri = TARGET.uri() + "?jump=tester@127.0.0.1:" + JUMP.port();
        TransportException.HostKey e = assertThrows(TransportException.HostKey.class,
                () -> new SshTransportProvider(settings(onlyTarget)).connect(Host.parse(uri)));
        String fp = HostKeyTest.sshKeygenFingerprint(TARGET.dir(), JUMP.ecKey());
        assertEquals("tester@127.0.0.1:" + TARGET.port() + ": jump host tester@127.0.0.1:" + JUMP.port()
                + ": unknown host key for " + JUMP.knownHostsName() + ": ecdsa-sha2-nistp256 key " + fp
                + " is not in " + onlyTarget + " (policy STRICT); verify the fingerprint out of band, then add the"
                + " key to that file or use ACCEPT_NEW", e.getMessage());
    }
}
