package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import io.crossgen.transport.TransportException;
import io.crossgen.transport.TransportProvider;
import io.crossgen.transport.Transports;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one {@link BuildMatrix} run, one per host, shared by its builds: the builds of a matrix
 * reach the same MN and the same few builders, and each build opening its own two connections costs two SSH
 * handshakes (and two sshd processes per host) per build, on hosts that the builds themselves keep busy.
 *
 * <p>{@link #wrap} gives a build {@link Transports} whose {@code connect} hands out a lease on the shared
 * connection of the host (opened on first use, one opener per host at a time). A lease's {@code close} cancels
 * the processes started through that lease only, never the others' (a cancelled or failed build ends its own
 * commands, not its neighbours'); the shared connections close in {@link #close}, when the matrix ends. A
 * connection whose session dies is reconnected by the transport before its next command (the SSH transport
 * does so), so every build's next command, such as genimage's next poll, goes on over a new session.
 * Connections are safe to start processes on from several threads at once ({@link Connection}'s contract);
 * the SSH transport bounds the channels open at once per connection and queues the rest.
 */
final class SharedConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedConnections.class);

    private final Map<Host, Connection> open = new LinkedHashMap<>();
    private final Map<Host, Object> openers = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** {@code transports} with every scheme's connections shared through this object. */
    Transports wrap(Transports transports) {
        Transports shared = transports;
        for (String scheme : transports.schemes()) {
            TransportProvider p = transports.provider(scheme).orElseThrow();
            shared = shared.with(new Provider(p));
        }
        return shared;
    }

    /** Closes the shared connections (what still runs on them is cancelled). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Connection> all;
        synchronized (open) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        for (Connection c : all) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the shared connection to {} failed", c.host().label(), e);
            }
        }
    }

    private Connection shared(TransportProvider provider, Host host) throws InterruptedException {
        Object opener;
        synchronized (open) {
            opener = openers.computeIfAbsent(host, h -> new Object());
        }
        synchronized (opener) {
            synchronized (open) {
                if (closed.get()) {
                    throw new TransportException.Connect(host, "the matrix's connections are closed", null);
                }
                Connection c = open.get(host);
                if (c != null) {
                    return c;
                }
            }
            Connection c = provider.connect(host);
            synchronized (open) {
                if (closed.get()) {
                    c.close();
                    throw new TransportException.Connect(host, "the matrix's connections are closed", null);
                }
                open.put(host, c);
            }
            return c;
        }
    }

    /** Hands out leases on the shared connections of its scheme. */
    private final class Provider implements TransportProvider {
        private final TransportProvider provider;

        Provider(TransportProvider provider) {
            this.provider = provider;
        }

        @Override
        public String scheme() {
            return provider.scheme();
        }

        @Override
        public Connection connect(Host host) throws InterruptedException {
            return new Lease(shared(provider, host));
        }

        @Override
        public String identity(Host host) {
            return provider.identity(host);
        }

        @Override
        public String toString() {
            return "shared " + provider;
        }
    }

    /** One build's use of a shared connection: closing it ends that build's processes only. */
    private static final class Lease implements Connection {
        private final Connection connection;
        private final Set<RemoteProcess> running = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean closed = new AtomicBoolean();

        Lease(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Host host() {
            return connection.host();
        }

        @Override
        public RemoteProcess start(Command command) throws InterruptedException {
            if (closed.get()) {
                throw new TransportException.Connect(host(), "connection is closed", null);
            }
            Tracked p = new Tracked(connection.start(command));
            running.add(p);
            if (closed.get()) {
                // closed while starting: the close may have missed it
                p.close();
            }
            return p;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            for (RemoteProcess p : List.copyOf(running)) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    LOG.debug("{}: closing a process failed: {}", host().label(), e.toString());
                }
            }
        }

        @Override
        public String toString() {
            return "lease on " + connection;
        }

        /** A process of this lease, forgotten by it once closed. */
        private final class Tracked implements RemoteProcess {
            private final RemoteProcess process;

            Tracked(RemoteProcess process) {
                this.process = process;
            }

            @Override
            public OutputStream stdin() {
                return process.stdin();
            }

            @Override
            public InputStream stdout() {
                return process.stdout();
            }

            @Override
            public InputStream stderr() {
                return process.stderr();
            }

            @Override
            public Optional<Exit> waitFor(Duration timeout) throws InterruptedException {
                return process.waitFor(timeout);
            }

            @Override
            public void cancel() {
                process.cancel();
            }

            @Override
            public void close() {
                try {
                    process.close();
                } finally {
                    running.remove(this);
                }
            }
        }
    }
}
