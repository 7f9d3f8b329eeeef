package io.crossgen.transport.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.KeySetPublickeyAuthenticator;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-process Apache MINA SSHD server that runs every exec request as a real local process, {@code sh -c
 * REQUEST}, for the SSH transport's tests.
 *
 * <p>It has an ECDSA and an RSA host key generated per test class, accepts the client key generated with
 * {@code ssh-keygen} (ECDSA, OpenSSH format) for any user, relays {@code direct-tcpip} (for ProxyJump), counts
 * the sessions it accepted and the commands it ran, and can drop every session.
 *
 * <p>Like OpenSSH without a terminal, closing a channel does not kill the process it started; unlike OpenSSH
 * the process is not a process-group leader (it is a child of this JVM). A process killed by a signal is
 * reported with an {@code exit-signal} request: Java only reports {@code 128+N} for it, so exit values 129 to
 * 159 are reported as signals 1 to 31 (test commands use other exit codes).
 */
final class SshServerExtension implements BeforeAllCallback, AfterAllCallback {
    private static final String[] SIGNALS = {"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
        "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
        "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};

    private SshServer server;
    private Path dir;
    private KeyPair ecHostKey;
    private KeyPair rsaHostKey;
    private final AtomicInteger sessionsCreated = new AtomicInteger();
    private final AtomicInteger commandsRun = new AtomicInteger();
    private final AtomicInteger runningCommands = new AtomicInteger();
    private final AtomicInteger maxConcurrentCommands = new AtomicInteger();
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private boolean rsaFirst;

    /** A server whose preferred host key type is RSA, not ECDSA (JSch proposes ECDSA before RSA). */
    SshServerExtension rsaOnly() {
        this.rsaFirst = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("crossgen-sshd");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        ecHostKey = ec.generateKeyPair();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        rsaHostKey = rsa.generateKeyPair();
        keygen(dir.resolve("id_ecdsa"), "");
        keygen(dir.resolve("id_other"), "");
        keygen(dir.resolve("id_secret"), "correct horse");

        List<PublicKey> accepted = new ArrayList<>();
        for (String name : List.of("id_ecdsa.pub", "id_secret.pub")) {
            for (AuthorizedKeyEntry e : AuthorizedKeyEntry.readAuthorizedKeys(dir.resolve(name))) {
                accepted.add(e.resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
            }
        }
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        // Without it, Nagle's algorithm holds the server's last small packets (exit-status, close) for the
        // client's delayed ACK: about 40 ms per command.
        org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(server, true);
        // As OpenSSH's default MaxSessions: at most 10 channels open at once per connection.
        org.apache.sshd.core.CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(server, 10);
        server.setKeyPairProvider(rsaFirst ? KeyPairProvider.wrap(rsaHostKey) : KeyPairProvider.wrap(ecHostKey, rsaHostKey));
        server.setPublickeyAuthenticator(new KeySetPublickeyAuthenticator("test", accepted));
        server.setCommandFactory((channel, command) -> new ProcessCommand(command));
        server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessionsCreated.incrementAndGet();
            }
        });
        server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        server.stop(true);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void keygen(Path file, String passphrase) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", passphrase, "-C",
                "crossgen-test", "-f", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + out);
        }
    }

    int port() {
        return server.getPort();
    }

    /** A folder for the test's own files (deleted after the class). */
    Path dir() {
        return dir;
    }

    /** The client key the server accepts. */
    Path clientKey() {
        return dir.resolve("id_ecdsa");
    }

    /** A client key the server does not accept. */
    Path otherKey() {
        return dir.resolve("id_other");
    }

    /** An encrypted client key the server accepts; its passphrase is {@code correct horse}. */
    Path secretKey() {
        return dir.resolve("id_secret");
    }

    /** The name known_hosts uses for this server. */
    String knownHostsName() {
        return "[127.0.0.1]:" + port();
    }

    /** {@code TYPE BASE64} of the ECDSA host key. */
    String ecKey() {
        return rsaFirst ? rsaKey() : PublicKeyEntry.toString(ecHostKey.getPublic());
    }

    /** {@code TYPE BASE64} of the RSA host key. */
    String rsaKey() {
        return PublicKeyEntry.toString(rsaHostKey.getPublic());
    }

    /** A known_hosts file listing the given lines. */
    Path knownHosts(String name, String... lines) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, List.of(lines), StandardCharsets.UTF_8);
        return f;
    }

    /** Settings that trust this server strictly and log in with {@link #clientKey()} only. */
    SshSettings settings() throws IOException {
        return SshSettings.builder()
                .home(dir)
                .knownHosts(knownHosts("known_hosts-" + port(), knownHostsName() + " " + ecKey()))
                .addIdentity(SshIdentity.of(clientKey()))
                .defaultIdentities(false)
                .agent(false)
                .sshConfig(null)
                .defaultUser("tester")
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** The URI of this server. */
    String uri() {
        return "ssh://tester@127.0.0.1:" + port();
    }

    int sessionsCreated() {
        return sessionsCreated.get();
    }

    /** The most commands that ran at once (not counting cancel's kill commands, which are short). */
    int maxConcurrentCommands() {
        return maxConcurrentCommands.get();
    }

    int commandsRun() {
        return commandsRun.get();
    }

    int activeSessions() {
        return server.getActiveSessions().size();
    }

    /** Closes every session at once, as a restarted sshd or a network cut would. */
    void dropAllSessions() {
        for (Session s : server.getActiveSessions()) {
            try {
                s.close(true).await(Duration.ofSeconds(30));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Runs an exec request as {@code sh -c REQUEST}. */
    private final class ProcessCommand implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        ProcessCommand(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            commandsRun.incrementAndGet();
            maxConcurrentCommands.accumulateAndGet(runningCommands.incrementAndGet(), Math::max);
            Process p = new ProcessBuilder("sh", "-c", command).start();
            processes.add(p);
            Thread feed = pump(in, p.getOutputStream(), true);
            Thread o = pump(p.getInputStream(), out, false);
            Thread e = pump(p.getErrorStream(), err, false);
            Thread waiter = new Thread(() -> {
                try {
                    int code = p.waitFor();
                    o.join();
                    e.join();
                    feed.interrupt();
                    processes.remove(p);
                    runningCommands.decrementAndGet();
                    if (code > 128 && code < 128 + SIGNALS.length) {
                        sendExitSignal(channel, SIGNALS[code - 128]);
                    }
                    exit.onExit(code);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                } catch (IOException ioe) {
                    exit.onExit(255, ioe.toString());
                }
            }, "sshd-test-wait");
            waiter.setDaemon(true);
            waiter.start();
        }

        private Thread pump(InputStream from, OutputStream to, boolean closeAtEnd) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[32768];
                try {
                    int n;
                    while ((n = from.read(buf)) != -1) {
                        to.write(buf, 0, n);
                        to.flush();
                    }
                } catch (IOException ignored) {
                    // the channel or the process went away
                } finally {
                    if (closeAtEnd) {
                        try {
                            to.close();
                        } catch (IOException ignored) {
                            // nothing left to tell
                        }
                    }
                }
            }, "sshd-test-pump");
            t.setDaemon(true);
            t.start();
            return t;
        }

        @Override
        public void destroy(ChannelSession channel) {
            // Like OpenSSH without a pty: the process is left running.
        }
    }

    private static void sendExitSignal(ChannelSession channel, String signal) throws IOException {
        Buffer b = channel.getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 64);
        b.putUInt(channel.getRecipient());
        b.putString("exit-signal");
        b.putBoolean(false);
        b.putString(signal);
        b.putBoolean(false);
        b.putString("");
        b.putString("");
        channel.writePacket(b);
    }
}
