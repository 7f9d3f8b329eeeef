package io.crossgen.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sudo wrapping of {@link Transports#connect}, against a fake {@code sudo} on the PATH (the test machine
 * has no real one, and tests must not configure one). The fake resets the environment as sudo does.
 */
class SudoTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String FAKE_SUDO = String.join("\n",
            "#!/bin/sh",
            "[ \"$1\" = -n ] || { echo 'fake sudo: expected -n' >&2; exit 99; }",
            "shift",
            "[ \"$1\" = -- ] && shift",
            "if [ -n \"$FAKE_SUDO_DENY\" ]; then echo 'sudo: a password is required' >&2; exit 1; fi",
            "printf '%s\\n' \"$*\" >> \"$FAKE_SUDO_LOG\"",
            "exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \"$@\"",
            "");

    @TempDir
    Path dir;
    private Path log;
    private Map<String, String> env;

    @BeforeEach
    void installFakeSudo() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path sudo = bin.resolve("sudo");
        Files.writeString(sudo, FAKE_SUDO);
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
        log = dir.resolve("sudo.log");
        env = new HashMap<>();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("FAKE_SUDO_LOG", log.toString());
    }

    private Transports transports() {
        Map<String, String> e = Map.copyOf(env);
        return Transports.of(new TransportProvider() {
            @Override
            public String scheme() {
                return "local";
            }

            @Override
            public Connection connect(Host host) {
                return new ProcessConnection(host, e);
            }
        });
    }

    @Test
    void plainCommandBecomesSudoDashNDashDash() {
        Command c = Transports.asRoot(Command.of("ls", "-l", "/root"));
        assertEquals(List.of("sudo", "-n", "--", "ls", "-l", "/root"), c.argv());
    }

    @Test
    void folderAndEnvironmentMoveIntoAShellAfterSudo() {
        Command c = Transports.asRoot(Command.builder().addArgs("tar", "-x", "-f", "-").workingDirectory("/my dir")
                .env("LC_ALL", "C").env("X", "it's").stdin(Stdin.bytes(new byte[] {1})).build());
        assertEquals(List.of("sudo", "-n", "--", "sh", "-c",
                "cd '/my dir' && export LC_ALL=C X='it'\\''s' && exec tar -x -f -"), c.argv());
        assertTrue(c.workingDirectory().isEmpty());
        assertTrue(c.environment().isEmpty());
        assertEquals(Stdin.bytes(new byte[] {1}), c.stdin());
    }

    @Test
    void sudoHostRunsEveryCommandThroughSudoKeepingFolderEnvironmentAndStdin() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work dir"));
        try (Connection c = transports().connect(Host.parse("local:?sudo=true"))) {
            ExecResult r = Exec.on(c, LIMIT).check(Command.builder()
                    .addArgs("sh", "-c", "printf '%s|%s|' \"$GREETING\" \"$(pwd)\"; cat")
                    .workingDirectory(work.toString()).env("GREETING", "hello world")
                    .stdin(Stdin.bytes("in".getBytes(StandardCharsets.UTF_8))).build());
            assertEquals("hello world|" + work + "|in", r.stdout().text());
        }
        List<String> calls = Files.readAllLines(log);
        assertEquals("true", calls.get(0), "the probe runs first");
        assertTrue(calls.get(1).startsWith("sh -c cd '" + work + "' && export GREETING='hello world' && exec sh -c"),
                calls.get(1));
    }

    @Test
    void hostWithoutSudoRunsCommandsAsTheyAre() throws Exception {
        try (Connection c = transports().connect(Host.parse("local:"))) {
            Exec.on(c, LIMIT).check(Command.of("true"));
        }
        assertFalse(Files.exists(log));
    }

    @Test
    void sudoWantingAPasswordFailsTheConnectWithWhatToDo() {
        env.put("FAKE_SUDO_DENY", "1");
        TransportException e = assertThrows(TransportException.Auth.class,
                () -> transports().connect(Host.parse("local:?sudo=true")));
        assertEquals("local: sudo wants a password for this user (sudo said: sudo: a password is required); allow"
                + " it without one (a NOPASSWD rule in sudoers) or connect as root instead of ?sudo=true",
                e.getMessage());
    }
}
