package io.crossgen.transport.ssh;

import com.jcraft.jsch.Session;
import io.crossgen.command.Command;
import io.crossgen.command.Shell;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import io.crossgen.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH session to one host (through its ProxyJump hops), shared by every command run on it.
 *
 * <p>Each command gets its own exec channel (cheap); the session and its handshake are made once, and again
 * only when the session was found dead before a command starts. A command whose session dies while it runs
 * is not retried: it ends with {@link io.crossgen.transport.Exit.Unknown}. At most
 * {@link SshSettings#maxChannels()} commands run at once; {@link #start} waits for a free channel. Cancelling
 * uses one more channel outside that limit, at most {@link #KILLS_AT_ONCE} at once, so keep the limit that much
 * below the server's {@code MaxSessions}.
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
 * <p>The pieces: {@link SessionChain} (the sessions through the ProxyJump hops, reconnecting),
 * {@link ExecChannels} (one channel per command, retried on a dead session), {@link ProcessGroupProtocol} (the
 * wrapper and the kill); this class bounds the channels and closes what still runs.
 *
 * <p>Pitfalls: the host must have a POSIX {@code sh} and (for cancel) {@code /proc}; the login shell of the
 * user must accept POSIX single quotes. A command that puts itself in another process group escapes cancel.
 */
final class SshConnection implements Connection {
    /** Kill channels open at once at most, beside the {@link SshSettings#maxChannels()} commands. */
    static final int KILLS_AT_ONCE = 2;
    private static final Logger LOG = LoggerFactory.getLogger(SshConnection.class);

    private final Host host;
    private final SshTarget target;
    private final SessionChain sessions;
    private final Semaphore permits;
    private final Semaphore kills = new Semaphore(KILLS_AT_ONCE, true);
    private final Set<SshProcess> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closing = new AtomicBoolean();

    private SshConnection(Host host, SshTarget target, SshSettings settings, Identities identities) {
        this.host = host;
        this.target = target;
        this.sessions = new SessionChain(host, target, settings, identities);
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
        return sessions.sessionsOpened();
    }

    /** The current session to the target, connecting (again) when there is none or it died. */
    Session session() throws InterruptedException {
        return sessions.session();
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
            ExecChannels.Started s = ExecChannels.start(sessions, host, command);
            SshProcess p = new SshProcess(this, s.channel(), s.stdout(), s.stderr(), s.stdin(), s.pgid(),
                    host.label() + " " + command.program());
            running.add(p);
            LOG.debug("{}: started {}", host.label(), command);
            started = true;
            return p;
        } finally {
            if (!started) {
                permits.release();
            }
        }
    }

    /**
     * Kills a process group on the host through a channel of its own, waiting at most {@code limit}. At most
     * {@link #KILLS_AT_ONCE} kill channels are open at once (the others wait their turn within their limit), so
     * that cancelling many commands at once, e.g. several builds of a matrix that share this connection, stays
     * within the server's {@code MaxSessions} (the default 8 channels and 2 kills make OpenSSH's 10).
     */
    void killGroup(long pgid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        if (!kills.tryAcquire(limit.toNanos(), TimeUnit.NANOSECONDS)) {
            LOG.warn("{}: no channel free to kill process group {} within {}", host.label(), pgid, limit);
            return;
        }
        try {
            long left = Math.max(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100));
            ProcessGroupProtocol.killGroup(sessions, host, pgid, Duration.ofNanos(left));
        } finally {
            kills.release();
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
        sessions.disconnect();
    }

    @Override
    public String toString() {
        return "SshConnection[" + host + "]";
    }
}
