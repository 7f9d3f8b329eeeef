package io.crossgen.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import io.crossgen.transport.RelayResult;
import io.crossgen.transport.TarRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TarRelayOverSshTest {
    @RegisterExtension
    static final SshServerExtension SOURCE = new SshServerExtension();
    @RegisterExtension
    static final SshServerExtension TARGET = new SshServerExtension();

    @TempDir
    Path dir;

    @Test
    void aTreeCrossesBetweenTwoSshHostsUnchanged() throws Exception {
        Path from = dir.resolve("from");
        Path to = dir.resolve("to/image");
        Files.createDirectories(from.resolve("etc/empty"));
        Files.writeString(from.resolve("etc/hosts"), "127.0.0.1 localhost\n");
        Files.writeString(from.resolve("it's a \"name\"\nwith newline"), "odd\n");
        byte[] big = new byte[20 * 1024 * 1024];
        new Random(7).nextBytes(big);
        Files.write(from.resolve("rootimg.bin"), big);
        Files.createSymbolicLink(from.resolve("link"), Path.of("etc/hosts"));
        Files.createSymbolicLink(from.resolve("dangling"), Path.of("/nowhere"));

        SshSettings settings = SOURCE.settings()
                .toBuilder().knownHosts(TARGET.knownHosts("kh-relay", SOURCE.knownHostsName() + " " + SOURCE.ecKey(),
                        TARGET.knownHostsName() + " " + TARGET.ecKey()))
                .addIdentity(SshIdentity.of(TARGET.clientKey())).build();
        SshTransportProvider ssh = new SshTransportProvider(settings);
        try (Connection src = ssh.connect(Host.parse(SOURCE.uri()));
                Connection dst = ssh.connect(Host.parse(TARGET.uri()))) {
            RelayResult r = TarRelay.of(from.toString(), to.toString(), Duration.ofMinutes(5)).run(src, dst);
            assertTrue(r.isSuccess());
            assertTrue(r.bytes() > big.length, "bytes relayed: " + r.bytes());
        }
        Process diff = new ProcessBuilder("diff", "-r", "--no-dereference", from.toString(), to.toString())
                .redirectErrorStream(true).start();
        String out = new String(diff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(diff.waitFor(1, TimeUnit.MINUTES));
        assertEquals("", out);
        assertEquals(0, diff.exitValue());
        assertEquals(Path.of("/nowhere"), Files.readSymbolicLink(to.resolve("dangling")));
    }
}
