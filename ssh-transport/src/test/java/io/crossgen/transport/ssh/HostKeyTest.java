package io.crossgen.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.Advice;
import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HostKeyTest {
    @RegisterExtension
    static final SshServerExtension SERVER = new SshServerExtension();

    private static void runs(SshSettings settings, String uri) throws Exception {
        try (Connection c = new SshTransportProvider(settings).connect(Host.parse(uri))) {
            assertEquals(Exit.exited(0), Exec.on(c, Duration.ofMinutes(1)).run(Command.of("true")).exit());
        }
    }

    private static TransportException.HostKey refused(SshSettings settings) {
        int before = SERVER.commandsRun();
        TransportException.HostKey e = assertThrows(TransportException.HostKey.class,
                () -> new SshTransportProvider(settings).connect(Host.parse(SERVER.uri())));
        assertEquals(before, SERVER.commandsRun(), "no command ran");
        return e;
    }

    /** The fingerprint as OpenSSH's own ssh-keygen prints it. */
    static String sshKeygenFingerprint(Path dir, String keyLine) throws Exception {
        Path f = Files.createTempFile(dir, "key", ".pub");
        Files.writeString(f, keyLine + " comment\n");
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", f.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(1, TimeUnit.MINUTES);
        return out.split(" ")[1];
    }

    private static String otherEcKey() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        return PublicKeyEntry.toString(ec.generateKeyPair().getPublic());
    }

    @Test
    void strictAcceptsTheKeyListedInKnownHosts() throws Exception {
        runs(SERVER.settings(), SERVER.uri());
    }

    @Test
    void strictRefusesAnUnknownKeyNamingTypeFingerprintAndFile() throws Exception {
        Path kh = SERVER.knownHosts("kh-unknown", "# nothing yet");
        String fp = sshKeygenFingerprint(SERVER.dir(), SERVER.ecKey());
        TransportException.HostKey e = refused(SERVER.settings().toBuilder().knownHosts(kh).build());
        assertEquals("tester@127.0.0.1:" + SERVER.port() + ": unknown host key for " + SERVER.knownHostsName()
                + ": ecdsa-sha2-nistp256 key " + fp + " is not in " + kh + " (policy STRICT); verify the fingerprint"
                + " out of band, then add the key to that file or use ACCEPT_NEW", e.getMessage());
        assertEquals(Optional.of(new Advice(Advice.Kind.ACCEPT_NEW_HOST_KEY,
                "verify the fingerprint out of band, then add the key to that file or use ACCEPT_NEW")), e.advice());
    }

    @Test
    void strictRefusesAChangedKeyNamingTheLineThatDisagrees() throws Exception {
        Path kh = SERVER.knownHosts("kh-changed", "# servers", "node01 " + otherEcKey(),
                SERVER.knownHostsName() + " " + otherEcKey());
        String fp = sshKeygenFingerprint(SERVER.dir(), SERVER.ecKey());
        TransportException.HostKey e = refused(SERVER.settings().toBuilder().knownHosts(kh).build());
        assertEquals("tester@127.0.0.1:" + SERVER.port() + ": HOST KEY CHANGED for " + SERVER.knownHostsName()
                + ": offered ecdsa-sha2-nistp256 key " + fp + " does not match " + kh + ":3 (possible"
                + " man-in-the-middle; if the host was reinstalled, remove that line and verify the new key)",
                e.getMessage());
    }

    @Test
    void aRevokedKeyIsRefused() throws Exception {
        Path kh = SERVER.knownHosts("kh-revoked", SERVER.knownHostsName() + " " + SERVER.ecKey(),
                "@revoked * " + SERVER.ecKey());
        TransportException.HostKey e = refused(SERVER.settings().toBuilder().knownHosts(kh).build());
        assertTrue(e.getMessage().endsWith(" is marked @revoked in " + kh + ":2"), e.getMessage());
    }

    @Test
    void hashedKnownHostsEntriesMatch() throws Exception {
        Path kh = SERVER.knownHosts("kh-hashed", SERVER.knownHostsName() + " " + SERVER.ecKey());
        Process p = new ProcessBuilder("ssh-keygen", "-H", "-f", kh.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertTrue(Files.readString(kh).startsWith("|1|"), "ssh-keygen -H hashed the entry");
        runs(SERVER.settings().toBuilder().knownHosts(kh).build(), SERVER.uri());
    }

    @Test
    void aKnownKeyOfAnotherTypeThanTheFirstNegotiatedIsPreferred() throws Exception {
        // JSch proposes ECDSA before RSA and the server has both; only the RSA key is known.
        Path kh = SERVER.knownHosts("kh-rsa", SERVER.knownHostsName() + " " + SERVER.rsaKey());
        runs(SERVER.settings().toBuilder().knownHosts(kh).build(), SERVER.uri());
    }

    @Test
    void acceptNewTrustsTheFirstContactAndAppendsTheKey() throws Exception {
        Path kh = SERVER.dir().resolve("fresh").resolve("known_hosts");
        runs(SERVER.settings().toBuilder()
                .knownHosts(kh).hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW).build(), SERVER.uri());
        assertEquals(List.of(SERVER.knownHostsName() + " " + SERVER.ecKey()), Files.readAllLines(kh));
        runs(SERVER.settings().toBuilder().knownHosts(kh).build(), SERVER.uri());
    }

    @Test
    void acceptNewStillRefusesAChangedKey() throws Exception {
        Path kh = SERVER.knownHosts("kh-changed-new", SERVER.knownHostsName() + " " + otherEcKey());
        TransportException.HostKey e = refused(SERVER.settings().toBuilder().knownHosts(kh)
                .hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW).build());
        assertTrue(e.getMessage().contains(": HOST KEY CHANGED for " + SERVER.knownHostsName()), e.getMessage());
        assertEquals(1, Files.readAllLines(kh).size(), "known_hosts was not touched");
    }

    @Test
    void pinnedAcceptsTheFingerprintSshKeygenPrints() throws Exception {
        String fp = sshKeygenFingerprint(SERVER.dir(), SERVER.ecKey());
        runs(SERVER.settings().toBuilder()
                .hostKeyPolicy(HostKeyPolicy.PINNED).pin("127.0.0.1", fp).build(), SERVER.uri());
        runs(SERVER.settings().toBuilder()
                .hostKeyPolicy(HostKeyPolicy.PINNED).build(), SERVER.uri() + "?fingerprint=" + fp);
    }

    @Test
    void pinnedRefusesAnotherFingerprint() throws Exception {
        String fp = sshKeygenFingerprint(SERVER.dir(), SERVER.ecKey());
        String wrong = sshKeygenFingerprint(SERVER.dir(), otherEcKey());
        TransportException.HostKey e = refused(SERVER.settings().toBuilder().hostKeyPolicy(HostKeyPolicy.PINNED)
                .pin("127.0.0.1", wrong).build());
        assertEquals("tester@127.0.0.1:" + SERVER.port() + ": host key for " + SERVER.knownHostsName()
                + " does not match the pinned fingerprint: offered ecdsa-sha2-nistp256 key " + fp + ", pinned "
                + wrong, e.getMessage());
    }

    @Test
    void pinnedWithoutAPinRefuses() throws Exception {
        TransportException.HostKey e = refused(SERVER.settings().toBuilder()
                .hostKeyPolicy(HostKeyPolicy.PINNED).build());
        assertTrue(e.getMessage().contains(": no fingerprint pinned for " + SERVER.knownHostsName()
                + " (policy PINNED)"), e.getMessage());
    }

    @Test
    void insecureAcceptAnyConnectsWithoutAKnownKey() throws Exception {
        Path kh = SERVER.knownHosts("kh-empty");
        runs(SERVER.settings().toBuilder().knownHosts(kh).hostKeyPolicy(HostKeyPolicy.INSECURE_ACCEPT_ANY).build(),
                SERVER.uri());
        assertEquals(List.of(), Files.readAllLines(kh), "INSECURE_ACCEPT_ANY writes nothing");
    }
}
