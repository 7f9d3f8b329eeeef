package io.crossgen.testing;

import static io.crossgen.testing.CommandMatcher.argv;
import static io.crossgen.testing.CommandMatcher.line;
import static io.crossgen.testing.CommandMatcher.prefix;
import static io.crossgen.testing.CommandMatcher.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.TransportException;
import io.crossgen.transport.Transports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ScriptedTransportTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private final ScriptedTransport hosts = new ScriptedTransport();

    private ExecResult run(String host, Command command) throws InterruptedException {
        try (Connection c = hosts.connect(ScriptedTransport.host(host))) {
            return Exec.on(c, LONG).run(command);
        }
    }

    @Test
    void unmatchedCommandsGetExitZeroAndAreRecordedPerHost() throws Exception {
        ExecResult r = run("builder", Command.of("uname", "-m"));
        run("mn", Command.of("lsdef", "-t", "osimage"));

        assertEquals(Exit.exited(0), r.exit());
        assertEquals("", r.stdout().text());
        assertEquals(List.of(Command.of("uname", "-m")), hosts.commands("builder"));
        assertEquals(List.of(Command.of("lsdef", "-t", "osimage")), hosts.commands("mn"));
        assertEquals("#2 mn: lsdef -t osimage", hosts.commands().get(1).toString());
    }

    @Test
    void firstMatchingRuleAnswersAndUsedUpRulesFallThrough() throws Exception {
        hosts.on("builder", program("mount")).reply(32, "", "mount.nfs: access denied\n").once();
        hosts.on("builder", program("mount")).reply(0, "mounted\n");
        hosts.on(program("mount")).reply(99);

        ExecResult first = run("builder", Command.of("mount", "a", "b"));
        ExecResult second = run("builder", Command.of("mount", "a", "b"));
        ExecResult elsewhere = run("mn", Command.of("mount", "a", "b"));

        assertEquals(Exit.exited(32), first.exit());
        assertEquals("mount.nfs: access denied\n", first.stderr().text());
        assertEquals("mounted\n", second.stdout().text());
        assertEquals(Exit.exited(99), elsewhere.exit());
    }

    @Test
    void aSequenceOfRepliesRepeatsItsLastReply() throws Exception {
        hosts.on("builder", "probe").reply(Reply.exit(1)).thenReply(Reply.exit(2)).thenReply(Reply.exit(0));

        List<Exit> exits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            exits.add(run("builder", Command.of("probe")).exit());
        }

        assertEquals(List.of(Exit.exited(1), Exit.exited(2), Exit.exited(0), Exit.exited(0)), exits);
    }

    @Test
    void matchersSelectByArgvProgramPrefixAndLine() throws Exception {
        hosts.on("b", argv("ls", "/")).reply(1);
        hosts.on("b", prefix("genimage", "--dryrun")).reply(2);
        hosts.on("b", line("^cd /tmp && ")).reply(3);
        hosts.on("b", CommandMatcher.matching("three words", c -> c.argv().size() == 3)).reply(4);

        assertEquals(Exit.exited(1), run("b", Command.of("ls", "/")).exit());
        assertEquals(Exit.exited(2), run("b", Command.of("genimage", "--dryrun", "img")).exit());
        assertEquals(Exit.exited(3), run("b", Command.of("pwd").withWorkingDirectory("/tmp")).exit());
        assertEquals(Exit.exited(4), run("b", Command.of("a", "b", "c")).exit());
        assertEquals(Exit.exited(0), run("b", Command.of("ls", "/x")).exit());
    }

    @Test
    void strictModeRefusesAnUnexpectedCommandNamingItAndTheRules() throws Exception {
        hosts.strict();
        hosts.on("builder", argv("uname", "-m")).reply(0, "ppc64le\n");
        hosts.on("builder", program("mount")).reply(Reply.exit(32)).once();

        AssertionError e = assertThrows(AssertionError.class, () -> run("builder", Command.of("reboot", "now")));

        String expected = "unexpected command on builder: `reboot now`; rules:\n"
                + "  1. on builder: argv `uname -m` -> exit 0, stdout 8 chars (used 0)\n"
                + "  2. on builder: program mount -> exit 32 (once, used 0)";
        assertEquals(expected, e.getMessage());
        AssertionError later = assertThrows(AssertionError.class, hosts::assertNoUnexpectedCommands);
        assertEquals("1 unexpected command(s); first: " + expected, later.getMessage());
    }

    @Test
    void assertionsListWhatDidRun() throws Exception {
        run("builder", Command.of("mount", "mn:/install", "/install"));
        run("builder", Command.of("genimage", "img"));

        hosts.assertRan("builder", "genimage", "img");
        hosts.assertRanInOrder("builder", program("mount"), program("genimage"));
        hosts.assertNotRan("builder", "reboot");

        AssertionError missing = assertThrows(AssertionError.class, () -> hosts.assertRan("builder", "umount", "/install"));
        assertEquals("expected builder to run argv `umount /install`, but it ran 2 command(s):\n"
                + "  1. mount mn:/install /install\n"
                + "  2. genimage img", missing.getMessage());
        AssertionError order = assertThrows(AssertionError.class,
                () -> hosts.assertRanInOrder("builder", program("genimage"), program("mount")));
        assertEquals("expected builder to run program mount after program genimage (command 2), but it ran 2 "
                + "command(s):\n  1. mount mn:/install /install\n  2. genimage img", order.getMessage());
        AssertionError ran = assertThrows(AssertionError.class, () -> hosts.assertNotRan("builder", program("genimage")));
        assertEquals("expected builder not to run program genimage, but command 2 was `genimage img`", ran.getMessage());
        AssertionError nothing = assertThrows(AssertionError.class, () -> hosts.assertRan("mn", program("lsdef")));
        assertEquals("expected mn to run program lsdef, but it ran nothing", nothing.getMessage());
    }

    @Test
    void aSlowCommandTimesOutAndIsCancelled() throws Exception {
        hosts.on("builder", program("genimage")).reply(Reply.exit(0).withDelay(Duration.ofMinutes(10)));

        ExecResult r;
        try (Connection c = hosts.connect(ScriptedTransport.host("builder"))) {
            r = Exec.on(c, Duration.ofMillis(200)).run(Command.of("genimage", "img"));
        }

        assertEquals(Exit.timedOut(Duration.ofMillis(200)), r.exit());
        assertTrue(hosts.recorded("builder").get(0).cancelled());
    }

    @Test
    void aShortDelayEndsWithTheReplyExit() throws Exception {
        hosts.on("builder", program("sync")).reply(Reply.exit(3).withDelay(Duration.ofMillis(50)));

        assertEquals(Exit.exited(3), run("builder", Command.of("sync")).exit());
        assertFalse(hosts.recorded("builder").get(0).cancelled());
    }

    @Test
    void aHangingCommandEndsWhenItsThreadIsInterrupted() throws Exception {
        hosts.on("builder", program("genimage")).reply(Reply.hang());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                run("builder", Command.of("genimage", "img"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        awaitRecorded("builder", 1);
        t.interrupt();
        t.join(LONG.toMillis());

        assertFalse(t.isAlive());
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertTrue(hosts.recorded("builder").get(0).cancelled());
    }

    @Test
    void closingTheConnectionCancelsWhatStillRuns() throws Exception {
        hosts.on("builder", program("genimage")).reply(Reply.hang());
        Connection c = hosts.connect(ScriptedTransport.host("builder"));
        var process = c.start(Command.of("genimage", "img"));
        assertEquals(1, hosts.openConnections());

        c.close();

        assertEquals(java.util.Optional.of(Exit.signalled("KILL")), process.waitFor(LONG));
        assertEquals(0, hosts.openConnections());
        assertTrue(hosts.recorded("builder").get(0).cancelled());
    }

    @Test
    void simulatedFaultsLookLikeRealOnes() throws Exception {
        hosts.on("builder", program("mount")).reply(Reply.dropConnection());
        hosts.on("builder", program("genimage")).reply(Reply.lostStatus("channel closed").withStdout("half\n"));
        hosts.on("builder", program("packimage")).reply(Reply.signal("SIGKILL"));
        hosts.refuseConnections("down");

        TransportException dropped = assertThrows(TransportException.Connect.class,
                () -> run("builder", Command.of("mount", "x")));
        assertEquals("builder: connection dropped (scripted) while starting `mount`", dropped.getMessage());
        ExecResult lost = run("builder", Command.of("genimage"));
        assertEquals(Exit.unknown("channel closed"), lost.exit());
        assertEquals("half\n", lost.stdout().text());
        assertEquals(Exit.signalled("KILL"), run("builder", Command.of("packimage")).exit());
        TransportException refused = assertThrows(TransportException.Connect.class,
                () -> hosts.connect(ScriptedTransport.host("down")));
        assertEquals("down: connection refused (scripted)", refused.getMessage());
        assertEquals(1, hosts.connectionsOpened("down"));
    }

    @Test
    void stdinBytesAreCapturedWhole() throws Exception {
        byte[] stanza = "img:\n    objtype=osimage\n".getBytes(StandardCharsets.UTF_8);

        run("mn", Command.of("mkdef", "-z").withStdin(Stdin.bytes(stanza)));

        assertEquals("img:\n    objtype=osimage\n", hosts.recorded("mn").get(0).stdinText());
    }

    @Test
    void servesAnotherSchemeWhenAsked() throws Exception {
        ScriptedTransport ssh = new ScriptedTransport("ssh");
        try (Connection c = Transports.of(ssh).connect(Host.parse("ssh://root@node01"))) {
            Exec.on(c, LONG).run(Command.of("true"));
        }
        assertEquals(List.of(Command.of("true")), ssh.commands("node01"));
    }

    @Test
    void commandsFromManyThreadsAreAllRecorded() throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            threads.add(new Thread(() -> {
                try {
                    for (int k = 0; k < 25; k++) {
                        run("builder", Command.of("echo", n + "-" + k));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(LONG.toMillis());
        }

        assertEquals(200, hosts.commands("builder").size());
        assertEquals(200, hosts.commands().stream().mapToInt(RecordedCommand::sequence).distinct().count());
    }

    private void awaitRecorded(String host, int count) throws InterruptedException {
        long end = System.nanoTime() + LONG.toNanos();
        while (hosts.commands(host).size() < count) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no command reached " + host);
            }
            Thread.sleep(10);
        }
    }
}
