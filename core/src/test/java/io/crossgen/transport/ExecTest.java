package io.crossgen.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private final ProcessConnection connection = new ProcessConnection();

    private static Command sh(String script) {
        return Command.of("sh", "-c", script);
    }

    @Test
    void shortOutputIsKeptWhole() throws Exception {
        ExecResult r = Exec.on(connection, LIMIT).run(sh("printf 'a\\nb\\n'; printf 'oops\\n' >&2; exit 3"));
        assertEquals(Exit.exited(3), r.exit());
        assertEquals("a\nb\n", r.stdout().text());
        assertEquals(List.of("a", "b"), r.stdout().lines());
        assertEquals("oops\n", r.stderr().text());
        assertFalse(r.stdout().isTruncated());
        assertEquals(4, r.stdout().totalBytes());
    }

    @Test
    void longOutputKeepsHeadAndTailWithinTheLimit() throws Exception {
        ExecResult r = Exec.on(connection, LIMIT).withCaptureLimit(100)
                .run(sh("i=0; while [ $i -lt 1000 ]; do echo line$i; i=$((i+1)); done"));
        Output out = r.stdout();
        assertTrue(out.isTruncated());
        long total = 0;
        for (int i = 0; i < 1000; i++) {
            total += ("line" + i + "\n").length();
        }
        assertEquals(total, out.totalBytes());
        List<String> lines = out.lines();
        assertEquals("line0", lines.get(0));
        assertEquals("line999", lines.get(lines.size() - 1));
        // The head is 50 bytes, cut inside a line; the tail starts at a whole line.
        assertTrue(out.text().startsWith("line0\nline1\n"), out.text());
        String marker = lines.stream().filter(l -> l.startsWith("[...")).findFirst().orElseThrow();
        String tail = out.text().substring(out.text().indexOf(marker) + marker.length() + 1);
        int kept = 50 + tail.getBytes(StandardCharsets.UTF_8).length;
        assertEquals("[... " + (total - kept) + " bytes not kept ...]", marker);
        String tailFirst = lines.get(lines.indexOf(marker) + 1);
        assertTrue(tailFirst.matches("line9[0-9][0-9]"), tailFirst);
    }

    @Test
    void outputOfExactlyTheLimitIsNotTruncated() throws Exception {
        ExecResult r = Exec.on(connection, LIMIT).withCaptureLimit(10).run(sh("printf 0123456789"));
        assertFalse(r.stdout().isTruncated());
        assertEquals("0123456789", r.stdout().text());
    }

    @Test
    void listenerGetsLinesWithoutTerminatorsIncludingCrlfAndAnUnterminatedLast() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Exec.on(connection, LIMIT).withListener((s, line) -> lines.add(s + ":" + line))
                .run(sh("printf 'dos\\r\\nunix\\n\\nlone\\rcr\\nlast'"));
        assertEquals(List.of("STDOUT:dos", "STDOUT:unix", "STDOUT:", "STDOUT:lone\rcr", "STDOUT:last"), lines);
    }

    @Test
    void overLongLineArrivesInPiecesCutAtCharacterBoundaries() throws Exception {
        // 3-byte characters: 64 KiB is not a multiple of 3, so a byte cut would split one.
        int chars = Exec.MAX_LINE_BYTES; // 192 KiB of UTF-8
        String euro = "\u20ac";
        List<String> pieces = Collections.synchronizedList(new ArrayList<>());
        Exec.on(connection, LIMIT).withListener((s, line) -> pieces.add(line))
                .run(sh("i=0; while [ $i -lt " + chars / 1024 + " ]; do printf '" + euro.repeat(1024)
                        + "'; i=$((i+1)); done; echo; echo short"));
        assertTrue(pieces.size() >= 4, "pieces: " + pieces.size());
        StringBuilder joined = new StringBuilder();
        for (String p : pieces.subList(0, pieces.size() - 1)) {
            assertTrue(p.getBytes(StandardCharsets.UTF_8).length <= Exec.MAX_LINE_BYTES);
            assertFalse(p.contains("\ufffd"), "a piece holds a broken character");
            joined.append(p);
        }
        assertEquals(euro.repeat(chars), joined.toString());
        assertEquals("short", pieces.get(pieces.size() - 1));
    }

    @Test
    void failingListenerDoesNotBreakTheRunOrTheCapture() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ExecResult r = Exec.on(connection, LIMIT).withListener((s, line) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug");
        }).run(sh("echo one; echo two; echo three >&2"));
        assertEquals(Exit.exited(0), r.exit());
        assertEquals("one\ntwo\n", r.stdout().text());
        assertEquals("three\n", r.stderr().text());
        assertEquals(3, calls.get());
    }

    @Test
    void stdinBytesReachTheCommand() throws Exception {
        ExecResult r = Exec.on(connection, LIMIT)
                .run(Command.of("cat").withStdin(Stdin.bytes("hello\n".getBytes(StandardCharsets.UTF_8))));
        assertEquals("hello\n", r.stdout().text());
    }

    @Test
    void unreadableStdinCancelsTheCommandInsteadOfFeedingItACutInput(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("committed");
        Stdin broken = Stdin.stream(() -> new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 10) {
                    return 'x';
                }
                throw new IOException("disk went away");
            }
        });
        Command cmd = sh("cat > /dev/null && touch '" + marker + "'").withStdin(broken);
        TransportException e = assertThrows(TransportException.Io.class, () -> Exec.on(connection, LIMIT).run(cmd));
        assertEquals("local: could not read the input of `sh -c 'cat > /dev/null && touch '\\''" + marker
                + "'\\'''`: disk went away", e.getMessage());
        assertFalse(marker.toFile().exists(), "the command took a cut input for a complete one");
    }

    @Test
    void missingStdinFileFailsTheRun(@TempDir Path dir) {
        Command cmd = Command.of("cat").withStdin(Stdin.file(dir.resolve("nope")));
        TransportException e = assertThrows(TransportException.Io.class, () -> Exec.on(connection, LIMIT).run(cmd));
        assertTrue(e.getMessage().startsWith("local: could not read the input of `cat`: "), e.getMessage());
    }

    @Test
    void timeoutCancelsAndSaysTimedOut() throws Exception {
        ExecResult r = Exec.on(connection, Duration.ofMillis(300)).run(Command.of("sleep", "30"));
        assertEquals(Exit.timedOut(Duration.ofMillis(300)), r.exit());
        ExecException e = assertThrows(ExecException.class, r::requireSuccess);
        assertEquals("local: `sleep 30` failed with timed out after PT0.3S", e.getMessage());
    }

    @Test
    void failureMessageEndsWithTheStderrTail() throws Exception {
        ExecException e = assertThrows(ExecException.class,
                () -> Exec.on(connection, LIMIT).check(sh("echo out; echo first >&2; echo second >&2; exit 2")));
        assertEquals("local: `sh -c 'echo out; echo first >&2; echo second >&2; exit 2'` failed with exit 2; last"
                + " stderr:\n  first\n  second", e.getMessage());
        assertInstanceOf(Exit.Exited.class, e.result().exit());
    }

    @Test
    void rawStdoutSinkGetsTheBytesUnchanged() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ExecResult r = Exec.on(connection, LIMIT).run(sh("printf '\\377\\000\\001'"), sink);
        assertEquals(Exit.exited(0), r.exit());
        assertEquals(List.of((byte) 0xFF, (byte) 0, (byte) 1),
                List.of(sink.toByteArray()[0], sink.toByteArray()[1], sink.toByteArray()[2]));
        assertEquals(3, r.stdout().totalBytes());
    }

    @Test
    void capturedMalformedUtf8StillCountsItsRealBytes() throws Exception {
        ExecResult r = Exec.on(connection, LIMIT).run(sh("printf '\\377\\376'"));
        assertEquals(2, r.stdout().totalBytes());
        assertFalse(r.stdout().isTruncated());
    }
}
