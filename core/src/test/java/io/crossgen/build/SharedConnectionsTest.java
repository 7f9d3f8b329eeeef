package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.testing.Reply;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.RemoteProcess;
import io.crossgen.transport.TransportException;
import io.crossgen.transport.Transports;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SharedConnectionsTest {

    @Test
    void buildsShareOneConnectionPerHostClosedWithTheMatrix() throws Exception {
        ScriptedTransport hosts = new ScriptedTransport();
        hosts.defaultReply(Reply.success());
        SharedConnections shared = new SharedConnections();
        Transports t = shared.wrap(Transports.of(hosts));
        try (Connection a = t.connect(ScriptedTransport.host("node01"));
                Connection b = t.connect(ScriptedTransport.host("node01"));
                Connection mn = t.connect(ScriptedTransport.host("mn"))) {
            Exec.on(a, Duration.ofSeconds(5)).check(Command.of("true"));
            Exec.on(b, Duration.ofSeconds(5)).check(Command.of("true"));
            Exec.on(mn, Duration.ofSeconds(5)).check(Command.of("true"));
        }
        assertEquals(1, hosts.connectionsOpened("node01"));
        assertEquals(1, hosts.connectionsOpened("mn"));
        // closing the leases leaves the shared connections open for the next builds
        assertEquals(2, hosts.openConnections());
        try (Connection again = t.connect(ScriptedTransport.host("node01"))) {
            Exec.on(again, Duration.ofSeconds(5)).check(Command.of("true"));
        }
        assertEquals(1, hosts.connectionsOpened("node01"));
        shared.close();
        assertEquals(0, hosts.openConnections());
        assertThrows(TransportException.class, () -> t.connect(ScriptedTransport.host("node01")));
    }

    @Test
    void closingOneBuildsLeaseEndsItsProcessesOnlyNotTheOthers() throws Exception {
        ScriptedTransport hosts = new ScriptedTransport();
        hosts.defaultReply(Reply.hang());
        try (SharedConnections shared = new SharedConnections()) {
            Transports t = shared.wrap(Transports.of(hosts));
            Connection cancelled = t.connect(ScriptedTransport.host("node01"));
            Connection other = t.connect(ScriptedTransport.host("node01"));
            RemoteProcess mine = cancelled.start(Command.of("genimage"));
            RemoteProcess theirs = other.start(Command.of("genimage"));
            cancelled.close();
            assertTrue(mine.waitFor(Duration.ofSeconds(5)).isPresent(), "the closed lease's process ended");
            assertTrue(theirs.waitFor(Duration.ofMillis(300)).isEmpty(), "the other build's process still runs");
            assertThrows(TransportException.class, () -> cancelled.start(Command.of("true")));
            RemoteProcess next = other.start(Command.of("next"));
            assertTrue(next.waitFor(Duration.ofMillis(100)).isEmpty());
            other.close();
            assertTrue(theirs.waitFor(Duration.ofSeconds(5)).isPresent());
        }
    }
}
