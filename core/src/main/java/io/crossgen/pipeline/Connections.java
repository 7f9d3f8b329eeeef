package io.crossgen.pipeline;

import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import io.crossgen.transport.Transports;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connections of one run: one per host, opened on first use, closed together when the run ends. */
final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    private final Transports transports;
    private final Map<Host, Connection> connections = new LinkedHashMap<>();
    private final Map<Host, Object> locks = new HashMap<>();

    Connections(Transports transports) {
        this.transports = transports;
    }

    /**
     * The connection to {@code host}, opened now when it is not yet: hosts are connected to at once, a second
     * caller for the same host waits for the first one's connection.
     */
    Connection get(Host host) throws InterruptedException {
        synchronized (lock(host)) {
            synchronized (connections) {
                Connection c = connections.get(host);
                if (c != null) {
                    return c;
                }
            }
            LOG.debug("connecting to {}", host.label());
            Connection c = transports.connect(host);
            synchronized (connections) {
                connections.put(host, c);
            }
            return c;
        }
    }

    private Object lock(Host host) {
        synchronized (locks) {
            return locks.computeIfAbsent(host, h -> new Object());
        }
    }

    void closeAll() {
        List<Connection> open;
        synchronized (connections) {
            open = new ArrayList<>(connections.values());
            connections.clear();
        }
        for (Connection c : open) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the connection to {} failed", c.host().label(), e);
            }
        }
    }
}
