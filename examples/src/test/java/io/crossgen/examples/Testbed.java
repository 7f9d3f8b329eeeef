package io.crossgen.examples;

import io.crossgen.transport.Host;
import io.crossgen.transport.Transports;
import io.crossgen.transport.ssh.SshIdentity;
import io.crossgen.transport.ssh.SshSettings;
import io.crossgen.transport.ssh.SshTransportProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The testbed of {@code testbed/up}: two real OpenSSH hosts, xcatmn (10.77.0.1) and builder (10.77.0.2), in
 * network namespaces, seeded with the xCAT stand-ins. Brought up once per JVM (idempotent), torn down by
 * {@code .ci/run}'s exit or {@code testbed/down}.
 */
final class Testbed {
    static final Path ROOT = projectRoot();
    private static Testbed instance;

    final Map<String, String> env;

    private Testbed(Map<String, String> env) {
        this.env = env;
    }

    /** Starts the testbed if needed and reads its testbed.env. */
    static synchronized Testbed up() throws IOException, InterruptedException {
        if (instance == null) {
            List<String> out = run(List.of(ROOT.resolve("testbed/up").toString()));
            Path envFile = Path.of(System.getenv().getOrDefault("TESTBED_DIR", "/tmp/testbed"), "testbed.env");
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : Files.readAllLines(envFile)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            if (env.isEmpty()) {
                throw new IllegalStateException("testbed/up wrote no " + envFile + ": " + out);
            }
            instance = new Testbed(env);
        }
        return instance;
    }

    Host mn() {
        return Host.parse("ssh://root@" + env.get("TESTBED_MN"));
    }

    Host builder() {
        return Host.parse("ssh://root@" + env.get("TESTBED_BUILDER"));
    }

    /** SSH settings that trust exactly the testbed's host keys and log in with the controller's key. */
    SshSettings ssh() {
        return SshSettings.builder()
                .knownHosts(Path.of(env.get("TESTBED_KNOWN_HOSTS")))
                .addIdentity(SshIdentity.of(Path.of(env.get("TESTBED_KEY"))))
                .defaultIdentities(false)
                .agent(false)
                .build()
                .withoutSshConfig();
    }

    Transports transports() {
        return Transports.discover().with(new SshTransportProvider(ssh()));
    }

    /** A file of the MN, seen from the controller. */
    Path mnFile(String absolute) {
        return hostFile("TESTBED_MN_FS", absolute);
    }

    /** A file of the builder, seen from the controller. */
    Path builderFile(String absolute) {
        return hostFile("TESTBED_BUILDER_FS", absolute);
    }

    private Path hostFile(String fsKey, String absolute) {
        Path fs = Path.of(env.get(fsKey));
        if (absolute.startsWith("/opt/xcat/")) {
            return fs.resolve("opt-xcat").resolve(absolute.substring("/opt/xcat/".length()));
        }
        return fs.resolve(absolute.substring(1));
    }

    /**
     * Drops every SSH session into {@code host} the way a network blip would: the host's sshd session processes
     * ("sshd: root@notty" and their "[priv]" monitors) are killed; the listening sshd and whatever the sessions
     * started in a session of their own live on.
     *
     * @return how many processes were killed
     */
    int dropSessions(String host) throws IOException, InterruptedException {
        int killed = 0;
        for (String pid : run(List.of("ip", "netns", "pids", "xt-" + host))) {
            Path cmdline = Path.of("/proc", pid.strip(), "cmdline");
            String cmd;
            try {
                cmd = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ').strip();
            } catch (IOException gone) {
                continue;
            }
            if (cmd.startsWith("sshd: root@notty") || cmd.startsWith("sshd: root [priv]")) {
                new ProcessBuilder("kill", "-KILL", pid.strip()).start().waitFor();
                killed++;
            }
        }
        return killed;
    }

    /** Runs a command on a testbed host with the system ssh client; returns stdout lines. */
    List<String> ssh(String host, String command) throws IOException, InterruptedException {
        return run(List.of("ssh", "-n", "-F", env.get("TESTBED_SSH_CONFIG"), host, command));
    }

    private static List<String> run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(argv + " did not end within 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(argv + " failed with exit " + p.exitValue() + ":\n" + out);
        }
        return new ArrayList<>(out.lines().toList());
    }

    private static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("testbed/up"))) {
                return p;
            }
        }
        throw new IllegalStateException("no testbed/up above " + here);
    }
}
