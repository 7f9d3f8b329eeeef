package io.crossgen.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.TransportException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthTest {
    @RegisterExtension
    static final SshServerExtension SERVER = new SshServerExtension();

    private static SshSettings.Builder noKeys() throws Exception {
        SshSettings s = SERVER.settings();
        return SshSettings.builder().home(SERVER.dir()).knownHosts(s.knownHosts()).defaultIdentities(false)
                .agent(false).sshConfig(null).defaultUser("tester");
    }

    private static TransportException.Auth refused(SshSettings settings) {
        return assertThrows(TransportException.Auth.class,
                () -> new SshTransportProvider(settings).connect(Host.parse(SERVER.uri())));
    }

    @Test
    void aRefusedKeyIsNamedInTheMessage() throws Exception {
        TransportException.Auth e = refused(noKeys().addIdentity(SshIdentity.of(SERVER.otherKey())).build());
        assertEquals("tester@127.0.0.1:" + SERVER.port() + ": every key was refused for user tester; tried "
                + SERVER.otherKey(), e.getMessage());
    }

    @Test
    void anEncryptedKeyWithItsPassphraseLogsIn() throws Exception {
        char[] passphrase = "correct horse".toCharArray();
        SshSettings settings = noKeys().addIdentity(SshIdentity.of(SERVER.secretKey(), passphrase)).build();
        try (Connection c = new SshTransportProvider(settings).connect(Host.parse(SERVER.uri()))) {
            assertEquals(Exit.exited(0), Exec.on(c, Duration.ofMinutes(1)).run(Command.of("true")).exit());
        }
        assertFalse(settings.toString().contains("correct horse"));
        assertFalse(settings.identities().get(0).toString().contains("correct"));
        assertEquals("SshIdentity[" + SERVER.secretKey() + ", passphrase ***]",
                settings.identities().get(0).toString());
    }

    @Test
    void anEncryptedKeyWithoutPassphraseIsSkippedAndSaysWhy() throws Exception {
        TransportException.Auth e = refused(noKeys().addIdentity(SshIdentity.of(SERVER.secretKey())).build());
        assertEquals("tester@127.0.0.1:" + SERVER.port() + ": no usable key to log in as tester (none configured,"
                + " none in ~/.ssh, no agent); skipped " + SERVER.secretKey() + " (encrypted and no passphrase given)",
                e.getMessage());
    }

    @Test
    void aWrongPassphraseIsReportedWithoutTheSecret() throws Exception {
        TransportException.Auth e = refused(noKeys()
                .addIdentity(SshIdentity.of(SERVER.secretKey(), "wrong horse".toCharArray()))
                .addIdentity(SshIdentity.of(SERVER.otherKey())).build());
        assertEquals("tester@127.0.0.1:" + SERVER.port() + ": every key was refused for user tester; tried "
                + SERVER.otherKey() + "; skipped " + SERVER.secretKey() + " (wrong passphrase or unreadable)",
                e.getMessage());
    }

    @Test
    void defaultKeyFilesInTheHomeFolderAreTried() throws Exception {
        java.nio.file.Path home = SERVER.dir().resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        Files.copy(SERVER.clientKey(), home.resolve(".ssh/id_ecdsa"));
        SshSettings settings = noKeys().home(home).defaultIdentities(true).build();
        try (Connection c = new SshTransportProvider(settings).connect(Host.parse(SERVER.uri()))) {
            assertEquals(Exit.exited(0), Exec.on(c, Duration.ofMinutes(1)).run(Command.of("true")).exit());
        }
    }
}
