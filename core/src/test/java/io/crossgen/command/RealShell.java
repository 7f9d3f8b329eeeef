package io.crossgen.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: runs shell lines through a real shell ({@code sh -c LINE}) and reads back, NUL-separated,
 * what the invoked programs received.
 */
final class RealShell {
    /** The shells every test runs through; both are installed on the build machines. */
    static final List<String> SHELLS = List.of("/bin/sh", "/bin/bash");

    /** Prints its argument count and then each argument, every item NUL-terminated. */
    static final String ARGV_PRINTER = "#!/bin/sh\nprintf '%s\\0' \"$#\"\n"
            + "if [ \"$#\" -gt 0 ]; then printf '%s\\0' \"$@\"; fi\nexit 0\n";

    private RealShell() {
    }

    /** Writes an executable script. */
    static Path script(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** Runs {@code shell -c line} and returns its stdout; fails the test on a non-zero exit. */
    static byte[] run(String shell, String line, Path directory, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(shell, "-c", line);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        pb.environment().putAll(env);
        Path err = Files.createTempFile("crossgen-shell", ".err");
        try {
            pb.redirectError(err.toFile());
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), shell + " did not finish");
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), () -> shell + " failed: " + stderr);
            assertEquals("", stderr, shell + " wrote to stderr");
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Splits NUL-terminated items. */
    static List<byte[]> items(byte[] out) {
        List<byte[]> items = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                byte[] item = new byte[i - start];
                System.arraycopy(out, start, item, 0, item.length);
                items.add(item);
                start = i + 1;
            }
        }
        assertEquals(out.length, start, "output does not end with a NUL");
        return items;
    }

    /**
     * The UTF-8 bytes of a string, one char per byte (ISO-8859-1), so that comparing two such strings compares
     * bytes exactly.
     */
    static String bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads the argument lists printed by consecutive {@link #ARGV_PRINTER} runs; each argument as its raw bytes
     * (see {@link #bytes(String)}).
     */
    static List<List<String>> argvs(byte[] out) {
        List<byte[]> items = items(out);
        List<List<String>> result = new ArrayList<>();
        int i = 0;
        while (i < items.size()) {
            int n = Integer.parseInt(new String(items.get(i++), StandardCharsets.US_ASCII));
            List<String> args = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                args.add(new String(items.get(i++), StandardCharsets.ISO_8859_1));
            }
            result.add(args);
        }
        return result;
    }
}
