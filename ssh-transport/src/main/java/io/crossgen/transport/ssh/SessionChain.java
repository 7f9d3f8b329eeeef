package io.crossgen.transport.ssh;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.crossgen.transport.Host;
import io.crossgen.transport.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH sessions to one target: one per ProxyJump hop, each tunnelled through the one before, the last to the
 * target. Made on first use and again when the target's session is found dead; failures become
 * {@link TransportException.HostKey}, {@link TransportException.Auth} or {@link TransportException.Connect}
 * naming the hop.
 */
final class SessionChain {
    private static final Logger LOG = LoggerFactory.getLogger(SessionChain.class);

    private final Host host;
    private final SshTarget target;
    private final SshSettings settings;
    private final Identities identities;
    private final Object lock = new Object();
    private List<Session> chain = List.of();
    private final AtomicInteger sessionsOpened = new AtomicInteger();

    SessionChain(Host host, SshTarget target, SshSettings settings, Identities identities) {
        this.host = host;
        this.target = target;
        this.settings = settings;
        this.identities = identities;
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

    /** Disconnects every session, the target's first. */
    void disconnect() {
        synchronized (lock) {
            disconnectChain();
        }
    }

    /**
     * Whether the session a channel belongs to is still up. JSch closes a dying session's channels before it
     * marks the session down, so a closed channel waits up to a second for that mark.
     */
    static boolean alive(Channel channel) {
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
}
