package io.crossgen.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTest {

    @Test
    void emptyArgvIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Command.of());
        assertEquals("a command needs at least a program in argv", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Command.of(List.of()));
    }

    @Test
    void theXcatCallCountIsAMarkerKeptByCopiesAndLeftOutOfEquality() {
        Command lsdef = Command.of("lsdef", "-t", "osimage", "-z", "a,b").asXcatCall();
        Command script = Command.of("sh", "-c", "lsdef x; mkdef -z", "two").asXcatCalls(2).withEnv("TERM", "dumb");

        assertEquals(List.of(0, 1, 1, 2), List.of(Command.of("lsdef").xcatCalls(), lsdef.xcatCalls(),
                lsdef.withWorkingDirectory("/tmp").asProcedure().xcatCalls(), script.xcatCalls()));
        assertEquals(Command.of("lsdef", "-t", "osimage", "-z", "a,b"), lsdef);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lsdef.asXcatCalls(-1));
        assertEquals("a command runs no fewer than 0 xCAT client commands, not -1", e.getMessage());
    }

    @Test
    void nulInAWordIsRefusedAndShownAsQuestionMark() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Command.of("ls", "a\0b"));
        assertEquals("argv word contains a NUL character, which no program can receive: 'a?b'", e.getMessage());
    }

    @Test
    void emptyOrNulWorkingDirectoryIsRefused() {
        Command ls = Command.of("ls");
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ls.withWorkingDirectory(""));
        assertEquals("working directory must not be empty", empty.getMessage());
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> ls.withWorkingDirectory("/tmp/\0"));
        assertEquals("working directory contains a NUL character, which no program can receive: '/tmp/?'",
                nul.getMessage());
    }

    @Test
    void environmentNamesMustBeShellNamesAndValuesFreeOfNul() {
        Command ls = Command.of("ls");
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> ls.withEnv("1A", "x"));
        assertEquals("environment variable name '1A' is not a valid shell name ([A-Za-z_][A-Za-z0-9_]*)",
                name.getMessage());
        IllegalArgumentException dash = assertThrows(IllegalArgumentException.class, () -> ls.withEnv("A-B", "x"));
        assertEquals("environment variable name 'A-B' is not a valid shell name ([A-Za-z_][A-Za-z0-9_]*)",
                dash.getMessage());
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class, () -> ls.withEnv("A", "x\0"));
        assertEquals("value of A contains a NUL character, which no program can receive: 'x?'", value.getMessage());
        NullPointerException nullValue = assertThrows(NullPointerException.class, () -> ls.withEnv("A", null));
        assertEquals("value of A", nullValue.getMessage());
    }

    @Test
    void withCopiesLeaveTheOriginalUntouched() {
        Command ls = Command.of("ls", "-l");
        Command changed = ls.withWorkingDirectory("/tmp").withEnv("LC_ALL", "C").withEnv("LC_ALL", "POSIX")
                .withPrefix(List.of("sudo", "-n", "--"));
        assertEquals(List.of("ls", "-l"), ls.argv());
        assertEquals(List.of("sudo", "-n", "--", "ls", "-l"), changed.argv());
        assertEquals("sudo", changed.program());
        assertEquals(Map.of("LC_ALL", "POSIX"), changed.environment());
        assertEquals("/tmp", changed.workingDirectory().orElseThrow());
        assertEquals(ls.toBuilder().build(), ls);
        assertNotEquals(ls, changed);
        assertEquals("cd /tmp && export LC_ALL=POSIX && sudo -n -- ls -l", changed.toString());
    }

    @Test
    void bytesStdinIsCopiedAndPrintsOnlyItsSize() throws Exception {
        byte[] secret = "hunter2".getBytes(StandardCharsets.UTF_8);
        Stdin in = Stdin.bytes(secret);
        secret[0] = 'X';
        try (InputStream s = in.open()) {
            assertEquals("hunter2", new String(s.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("7 bytes", in.toString());
        assertEquals(Stdin.bytes("hunter2".getBytes(StandardCharsets.UTF_8)), in);
        assertArrayEquals("hunter2".getBytes(StandardCharsets.UTF_8), ((Stdin.Bytes) in).content());
        assertEquals("7 bytes", Command.of("cat").withStdin(in).stdin().toString());
    }

    @Test
    void suppliedBytesAreMadeOnFirstUseAndOnlyOnce() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Stdin in = Stdin.bytes(() -> {
            made.incrementAndGet();
            return "statement".getBytes(StandardCharsets.UTF_8);
        });
        Command c = Command.of("cat").withStdin(in);
        assertEquals("cat", c.program());
        assertEquals(0, made.get(), "nothing asked for the content yet");
        try (InputStream s = c.stdin().open()) {
            assertEquals("statement", new String(s.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("9 bytes", in.toString());
        assertEquals(Stdin.bytes("statement".getBytes(StandardCharsets.UTF_8)), in);
        assertEquals(1, made.get());
    }

    @Test
    void noneStdinIsEmptyAndIsTheDefault() throws Exception {
        assertEquals(Stdin.none(), Command.of("cat").stdin());
        try (InputStream s = Stdin.none().open()) {
            assertEquals(-1, s.read());
        }
    }

    @Test
    void fileStdinAndStreamStdinOpenAfreshEachTime(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("in"), "stanza");
        Stdin file = Stdin.file(f);
        for (int i = 0; i < 2; i++) {
            try (InputStream s = file.open()) {
                assertEquals("stanza", new String(s.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        AtomicInteger opened = new AtomicInteger();
        Stdin stream = Stdin.stream(() -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(new byte[] {1, 2});
        });
        stream.open().close();
        stream.open().close();
        assertEquals(2, opened.get());
        assertEquals("file " + f, file.toString());
        assertEquals("stream", stream.toString());
    }
}
