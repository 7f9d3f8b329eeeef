package io.crossgen.transport.ssh;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * Measures SSH throughput on loopback against the in-process server: 100 MB through {@code cat} to stdout,
 * and 100 MB of stdin into {@code cat > /dev/null}, plus the handshakes for 100 commands. A program, not a
 * test: run it by hand; numbers vary with the machine.
 */
public final class SshThroughputBenchmark {
    private SshThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        SshServerExtension server = new SshServerExtension();
        server.beforeAll(null);
        try {
            Path file = server.dir().resolve("100mb.bin");
            byte[] chunk = new byte[1024 * 1024];
            new Random(1).nextBytes(chunk);
            try (var out = Files.newOutputStream(file)) {
                for (int i = 0; i < 100; i++) {
                    out.write(chunk);
                }
            }
            try (Connection c = new SshTransportProvider(server.settings()).connect(Host.parse(server.uri()))) {
                Exec exec = Exec.on(c, Duration.ofMinutes(10));
                exec.run(Command.of("cat", file.toString())); // warm-up
                for (int round = 1; round <= 3; round++) {
                    long t0 = System.nanoTime();
                    ExecResult r = exec.run(Command.of("cat", file.toString()));
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("cat 100 MB to stdout: %d bytes in %.2f s = %.1f MB/s%n",
                            r.stdout().totalBytes(), s, r.stdout().totalBytes() / 1048576.0 / s);
                }
                long t0 = System.nanoTime();
                exec.run(Command.of("sh", "-c", "cat > /dev/null").withStdin(Stdin.file(file)));
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("100 MB through stdin: %.2f s = %.1f MB/s%n", s, 100 / s);
                int before = server.sessionsCreated();
                long t1 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    exec.run(Command.of("true"));
                }
                System.out.printf("100 commands: %d new sessions, %.1f ms per command%n",
                        server.sessionsCreated() - before, (System.nanoTime() - t1) / 1e6 / 100);
            }
        } finally {
            server.afterAll(null);
        }
    }
}
