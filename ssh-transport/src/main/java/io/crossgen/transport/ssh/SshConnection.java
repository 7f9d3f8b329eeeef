package io.crossgen.transport.ssh;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.crossgen.command.Command;
import io.crossgen.command.Shell;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import io.crossgen.transport.ShellScripts;
import io.crossgen.transport.TransportException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH session to one host (through its ProxyJump hops), shared by every command run on it.
 *
 * <p>Each command gets its own exec channel (cheap); the session and its handshake are made once, and again
 * only when the session was found dead before a command starts. A command whose session dies while it runs
 * is not retried: it ends with {@link io.crossgen.transport.Exit.Unknown}. At most
 * {@link SshSettings#maxChannels()} commands run at once; {@link #start} waits for a free channel. Cancelling
 * uses one more channel outside that limit, so keep the limit below the server's {@code MaxSessions}.
 *
 * <p>How a remote command is run, so that cancel really ends it. The exec request is
 * <pre>
 * exec sh -c WRAPPER crossgen TOKEN 'cd DIR &amp;&amp; export K=V &amp;&amp; exec ARGV...'
 * </pre>
 * where the last word is {@link Shell#render} of the command with {@code exec} prefixed. The wrapper finds
 * its own process group in {@code /proc/$$/stat}. Under OpenSSH the command's shell is already the leader of
 * its own process group (sshd calls {@code setsid} for every session channel), so the wrapper {@code exec}s
 * the command as is; otherwise it {@code exec}s it through {@code setsid}, which does not fork for a
 * non-leader. Either way, every step is an {@code exec}: the command keeps the wrapper's PID, which is also
 * its process group id, and its exit code or killing signal is what sshd reports. Before that, the wrapper
 * prints {@code crossgen-pgid:TOKEN:PID} on stderr; the transport takes that one line out of stderr (stdout
 * and stderr reach the caller byte for byte) and keeps the PID. Cancel sends the channel a TERM signal
 * request, then runs {@code kill -s TERM -- -PGID} through a second channel, waits up to 5 seconds for the
 * group to be gone, sends KILL, and closes the channel. Closing a channel alone would not do: without a
 * terminal, sshd does not kill what the channel started.
 *
 * <p>Pitfalls: the host must have a POSIX {@code sh} and (for cancel) {@code /proc}; the login shell of the
 * user must accept POSIX single quotes. A command that puts itself in another process group escapes cancel.
 */
final class SshConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(SshConnection.class);

    /** The wrapper script; $1 is the token, $2 the command line. */
    static final String WRAPPER = "t=$1; c=$2; g=; { read -r s < /proc/$$/stat; } 2>/dev/null"
            + " && { s=${s##*\") \"}; set -- $s; g=$3; };"
            + " printf 'crossgen-pgid:%s:%s\\n' \"$t\" \"$$\" >&2;"
            + " if [ \"$g\" = \"$$\" ] || ! command -v setsid >/dev/null 2>&1; then exec sh -c \"$c\"; fi;"
            + " exec setsid sh -c \"$c\"";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Host host;
    private final SshTarget target;
    private final SshSettings settings;
    private final Identities identities;
    private final Semaphore permits;
    private final Object lock = new Object();
    private List<Session> chain = List.of();
    private final Set<SshProcess> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sessionsOpened = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();

    private SshConnection(Host host, SshTarget target, SshSettings settings, Identities identities) {
        this.host = host;
        this.target = target;
        this.settings = settings;
        this.identities = identities;
        this.permits = new Semaphore(settings.maxChannels(), true);
    }

    /** Resolves the host and opens its session at once, so that failures surface here. */
    static SshConnection open(Host host, SshSettings settings, Identities identities, SshConfigFile config)
            throws InterruptedException {
        SshTarget target;
        try {
            target = SshTarget.resolve(host, settings, config);
        } catch (IllegalArgumentException e) {
            throw new TransportException.Connect(host, e.getMessage(), e);
        }
        SshConnection c = new SshConnection(host, target, settings, identities);
        c.session();
        return c;
    }

    @Override
    public Host host() {
        return host;
    }

    /** The resolved target (for tests and diagnostics). */
    SshTarget target() {
        return target;
    }

    /** How many sessions to the target were established so far (1 unless reconnected). */
    int sessionsOpened() {
        return sessionsOpened.get();
    }

    /** The current session to the target, connecting (again) when there is none or it died. */
    Session session() throws InterruptedException {
        synchronized (lock) {
            if (!chain.isEmpty()) {
                Session s = chain.get(chain.size() - 1);
                if (s.isConnected()) {
                    return s;
                }
                LOG.info("{}: SSH session lost; reconnecting", host.label());
                disconnectChain();
            }
            chain = connectChain();
            sessionsOpened.incrementAndGet();
            return chain.get(chain.size() - 1);
        }
    }

    private List<Session> connectChain() throws InterruptedException {
        List<SshTarget> hops = new ArrayList<>(target.jumps());
        hops.add(target);
        List<Session> built = new ArrayList<>();
        boolean ok = false;
        try {
            Session via = null;
            for (SshTarget hop : hops) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while connecting to " + host.label());
                }
                via = connectHop(hop, via);
                built.add(via);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while connecting to " + host.label());
            }
            ok = true;
            return List.copyOf(built);
        } finally {
            if (!ok) {
                for (int i = built.size() - 1; i >= 0; i--) {
                    built.get(i).disconnect();
                }
            }
        }
    }

    private Session connectHop(SshTarget hop, Session via) {
        HostKeyVerifier verifier = new HostKeyVerifier(settings.hostKeyPolicy(), hop.knownHosts(), hop.pin());
        Identities.Selection keys = identities.select(hop);
        String where = hop == target ? "" : "jump host " + hop.label() + ": ";
        try {
            JSch jsch = new JSch();
            jsch.setInstanceLogger(JschLogger.INSTANCE);
            jsch.setHostKeyRepository(verifier);
            Session s = jsch.getSession(hop.user(), hop.hostname(), hop.port());
            s.setHostKeyRepository(verifier);
            s.setIdentityRepository(keys.repository());
            if (!hop.knownHostsName().equals(KnownHostsFile.hostName(hop.hostname(), hop.port()))) {
                s.setHostKeyAlias(hop.knownHostsName());
            }
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("HashKnownHosts", "no");
            s.setConfig("PreferredAuthentications", "publickey");
            s.setConfig("prefer_known_host_key_types", "no");
            s.setConfig("server_host_key", KnownHostsFile.preferKnownTypes(JSch.getConfig("server_host_key"),
                    verifier.knownTypes(hop.knownHostsName())));
            s.setConfig("max_input_buffer_size", Integer.toString(ChannelPipe.MAX_CAPACITY));
            if (!settings.keepaliveInterval().isZero()) {
                s.setServerAliveInterval((int) settings.keepaliveInterval().toMillis());
                s.setServerAliveCountMax(settings.keepaliveCountMax());
            }
            s.setDaemonThread(true);
            if (via != null) {
                s.setProxy(new JumpProxy(via));
            }
            if (settings.hostKeyPolicy() == HostKeyPolicy.INSECURE_ACCEPT_ANY) {
                LOG.warn("{}: connecting WITHOUT host key verification (policy INSECURE_ACCEPT_ANY)", hop.label());
            }
            s.connect((int) settings.connectTimeout().toMillis());
            LOG.debug("{}: connected to {} ({})", host.label(), hop.label(), s.getServerVersion());
            return s;
        } catch (JSchException e) {
            if (verifier.refusal().isPresent()) {
                String refusal = where + verifier.refusal().get();
                throw verifier.refusalAdvice().map(a -> new TransportException.HostKey(host, refusal, a, e))
                        .orElseGet(() -> new TransportException.HostKey(host, refusal, e));
            }
            String msg = String.valueOf(e.getMessage());
            if (msg.startsWith("Auth fail") || msg.startsWith("Auth cancel")) {
                throw new TransportException.Auth(host, where + describe(hop, keys), e);
            }
            throw new TransportException.Connect(host, where + "cannot connect to " + hop.hostname() + ":"
                    + hop.port() + ": " + msg, e);
        } catch (RuntimeException e) {
            throw new TransportException.Connect(host, where + "cannot connect to " + hop.hostname() + ":"
                    + hop.port() + ": " + e.getMessage(), e);
        }
    }

    private static String describe(SshTarget hop, Identities.Selection keys) {
        String skipped = keys.skipped().isEmpty() ? "" : "; skipped " + String.join(", ", keys.skipped());
        if (keys.tried().isEmpty()) {
            return "no usable key to log in as " + hop.user() + " (none configured, none in ~/.ssh, no agent)"
                    + skipped;
        }
        return "every key was refused for user " + hop.user() + "; tried " + String.join(", ", keys.tried())
                + skipped;
    }

    private void disconnectChain() {
        for (int i = chain.size() - 1; i >= 0; i--) {
            chain.get(i).disconnect();
        }
        chain = List.of();
    }

    @Override
    public RemoteProcess start(Command command) throws InterruptedException {
        Objects.requireNonNull(command, "command");
        if (closing.get()) {
            throw new TransportException.Connect(host, "connection is closed", null);
        }
        permits.acquire();
        boolean started = false;
        try {
            SshProcess p = open(command, true);
            started = true;
            return p;
        } finally {
            if (!started) {
                permits.release();
            }
        }
    }

    private SshProcess open(Command command, boolean mayRetry) throws InterruptedException {
        Session session = session();
        String token = HexFormat.of().formatHex(randomBytes());
        Channel opened;
        try {
            opened = session.openChannel("exec");
        } catch (JSchException e) {
            opened = null;
        }
        if (opened == null) {
            if (mayRetry && !session.isConnected()) {
                return open(command, false);
            }
            throw new TransportException.Connect(host, "cannot open a channel for " + command.program(), null);
        }
        ChannelExec channel = (ChannelExec) opened;
        channel.setCommand(remoteLine(command, token).getBytes(StandardCharsets.UTF_8));
        ChannelPipe out = new ChannelPipe();
        ChannelPipe err = new ChannelPipe();
        CompletableFuture<OptionalLong> pgid = new CompletableFuture<>();
        channel.setOutputStream(out.sink(), false);
        channel.setExtOutputStream(new MarkerFilter(err.sink(), token, pgid), false);
        OutputStream in;
        try {
            in = channel.getOutputStream();
            // No timeout here on purpose: with one, JSch waits for the open confirmation in a single wait()
            // that a dying session never wakes; without, it polls every 10 ms (about 20 s at most) and
            // notices a dead session at once.
            channel.connect(0);
        } catch (JSchException | java.io.IOException e) {
            channel.disconnect();
            String msg = String.valueOf(e.getMessage());
            // Retry only when the exec request cannot have reached the host (the session was already gone).
            if (mayRetry && !session.isConnected() && !msg.contains("failed to send channel request")) {
                LOG.debug("{}: session died before {} started; reconnecting: {}", host.label(), command.program(),
                        msg);
                return open(command, false);
            }
            throw new TransportException.Connect(host, "cannot start " + command.program() + ": " + msg, e);
        }
        SshProcess p = new SshProcess(this, channel, out, err, in, pgid, host.label() + " " + command.program());
        running.add(p);
        LOG.debug("{}: started {}", host.label(), command);
        return p;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The exec request for a command: the wrapper, the token and the rendered command. */
    static String remoteLine(Command command, String token) {
        String line = Shell.render(command.withPrefix(List.of("exec")));
        return "exec sh -c " + Shell.quote(WRAPPER) + " crossgen " + token + " " + Shell.quote(line);
    }

    /** Kills a process group on the host through a channel of its own, waiting at most {@code limit}. */
    void killGroup(long pgid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session().openChannel("exec");
            if (channel == null) {
                LOG.warn("{}: cannot open a channel to kill process group {}", host.label(), pgid);
                return;
            }
            channel.setCommand(ShellScripts.killGroup(pgid, Duration.ofSeconds(5)).toString());
            channel.setOutputStream(OutputStream.nullOutputStream());
            channel.setExtOutputStream(OutputStream.nullOutputStream());
            channel.connect(0);
            while (!channel.isClosed() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            if (!channel.isClosed()) {
                LOG.warn("{}: killing process group {} did not finish within {}", host.label(), pgid, limit);
            }
        } catch (JSchException | TransportException e) {
            LOG.warn("{}: cannot kill process group {}: {}", host.label(), pgid, e.getMessage());
        } finally {
            if (channel != null) {
                channel.disconnect();
            }
        }
    }

    /**
     * Whether the session a channel belongs to is still up. JSch closes a dying session's channels before it
     * marks the session down, so a closed channel waits up to a second for that mark.
     */
    boolean sessionAlive(Channel channel) {
        try {
            Session s = channel.getSession();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (s.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return s.isConnected();
        } catch (JSchException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Called once per process when its channel is done. */
    void release(SshProcess process) {
        running.remove(process);
        permits.release();
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        for (SshProcess p : List.copyOf(running)) {
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.debug("{}: closing a process failed: {}", host.label(), e.toString());
            }
        }
        synchronized (lock) {
            disconnectChain();
        }
    }

    @Override
    public String toString() {
        return "SshConnection[" + host + "]";
    }
}
