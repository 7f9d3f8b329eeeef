package io.crossgen.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SshPiecesTest {

    @Test
    void theProviderIsFoundThroughServiceLoader() {
        assertInstanceOf(SshTransportProvider.class, Transports.discover().provider("ssh").orElseThrow());
    }

    @Test
    void defaultsAreSafe() {
        SshSettings d = SshSettings.builder().home(Path.of("/home/op")).build();
        assertEquals(HostKeyPolicy.STRICT, d.hostKeyPolicy());
        assertEquals(Path.of("/home/op/.ssh/known_hosts"), d.knownHosts());
        assertEquals(Path.of("/home/op/.ssh/config"), d.sshConfig().orElseThrow());
        assertEquals(Duration.ofSeconds(15), d.keepaliveInterval());
        assertEquals(4, d.keepaliveCountMax());
        assertEquals(8, d.maxChannels());
        assertEquals(Duration.ofSeconds(20), d.connectTimeout());
    }

    @Test
    void settingsValidateWhenSet() {
        assertEquals("fingerprint must look like ssh-keygen -lf prints it: SHA256: and 43 base64 characters"
                + " without padding, not 'SHA256:abc'", assertThrows(IllegalArgumentException.class,
                        () -> SshSettings.builder().pin("n1", "SHA256:abc")).getMessage());
        assertEquals("max channels must be at least 1, not 0", assertThrows(IllegalArgumentException.class,
                () -> SshSettings.builder().maxChannels(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SshSettings.builder().connectTimeout(Duration.ZERO));
        assertEquals(Duration.ZERO, SshSettings.defaults().toBuilder()
                .keepalive(Duration.ZERO, 1).build().keepaliveInterval());
    }

    @Test
    void theExecRequestQuotesTheCommandOnceInsideTheWrapper() {
        String line = ProcessGroupProtocol.remoteLine(Command.of("echo", "it's").withWorkingDirectory("/tmp"), "ab12");
        assertTrue(line.startsWith("exec sh -c 't=$1; c=$2;"), line);
        assertTrue(line.endsWith(" crossgen ab12 'cd /tmp && exec echo '\\''it'\\''\\'\\'''\\''s'\\'''"), line);
    }

    @Test
    void theWrapperRunsTheCommandAsItsOwnProcessGroupAndReportsIt() throws Exception {
        // Run the exact exec request through a local sh, as sshd would.
        String line = ProcessGroupProtocol.remoteLine(Command.of("sh", "-c", "echo out; echo err >&2; ps -o pgid= -p $$"),
                "tok");
        Process p = new ProcessBuilder("sh", "-c", line).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        String[] outLines = out.split("\n");
        assertEquals("out", outLines[0]);
        String pid = Long.toString(p.pid());
        assertEquals(pid, outLines[1].strip(), "the command is its own process group, with the wrapper's PID");
        assertEquals("crossgen-pgid:tok:" + pid + "\nerr\n", err);
    }

    @Test
    void theMarkerFilterRemovesOnlyItsOwnLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<OptionalLong> pgid = new CompletableFuture<>();
        MarkerFilter f = new MarkerFilter(out, "t0k", pgid);
        byte[] in = "motd\ncrossgen-pgid:other:1\ncrossg".getBytes(StandardCharsets.UTF_8);
        f.write(in, 0, in.length);
        byte[] rest = "en-pgid:t0k:4242\nuser stderr\ncrossgen-pgid:t0k:1\n".getBytes(StandardCharsets.UTF_8);
        f.write(rest, 0, rest.length);
        f.close();
        assertEquals(OptionalLong.of(4242), pgid.get());
        assertEquals("motd\ncrossgen-pgid:other:1\nuser stderr\ncrossgen-pgid:t0k:1\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStreamWithoutMarkerPassesThroughAndReportsNoGroup() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<OptionalLong> pgid = new CompletableFuture<>();
        MarkerFilter f = new MarkerFilter(out, "t0k", pgid);
        f.write("partial".getBytes(StandardCharsets.UTF_8));
        f.close();
        assertEquals(OptionalLong.empty(), pgid.get());
        assertEquals("partial", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void thePipeGrowsDeliversInOrderAndEnds() throws Exception {
        ChannelPipe pipe = new ChannelPipe();
        byte[] data = new byte[5 * 1024 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        pipe.sink().write(data, 0, data.length);
        pipe.sink().close();
        InputStream in = pipe.source();
        byte[] back = in.readAllBytes();
        assertEquals(data.length, back.length);
        assertTrue(java.util.Arrays.equals(data, back));
    }

    @Test
    void aClosedReaderNeverStallsTheWriter() throws Exception {
        ChannelPipe pipe = new ChannelPipe();
        pipe.source().close();
        byte[] big = new byte[ChannelPipe.MAX_CAPACITY * 2];
        pipe.sink().write(big, 0, big.length);
        assertEquals(-1, pipe.source().read());
    }
}
