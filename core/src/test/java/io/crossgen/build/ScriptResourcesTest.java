package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.crossgen.transport.ShellScripts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shell scripts kept as resources pass {@code sh -n}, {@code dash -n} and shellcheck, and load without their
 * comments.
 */
class ScriptResourcesTest {
    private static List<Path> scripts() throws Exception {
        // every .sh resource of crossgen-core: io/crossgen/build and io/crossgen/transport
        Path dir = Path.of(Script.class.getResource("process.sh").toURI()).getParent().getParent();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".sh")).sorted().toList();
        }
    }

    /** Runs {@code argv}: {@code ""} when it exits 0, else its exit and output (or that it timed out). */
    static String run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out: " + argv;
        }
        return p.exitValue() == 0 ? "" : "exit " + p.exitValue() + ": " + out;
    }

    @Test
    void everyScriptPassesShDashAndShellcheck() throws Exception {
        List<Path> files = scripts();
        assertFalse(files.isEmpty());
        List<String> argv = new ArrayList<>(List.of("shellcheck", "-s", "sh"));
        for (Path f : files) {
            assertEquals("", run(List.of("sh", "-n", f.toString())), f.toString());
            assertEquals("", run(List.of("dash", "-n", f.toString())), f.toString());
            argv.add(f.toString());
        }
        assertEquals("", run(argv));
    }

    @Test
    void aLoadedScriptKeepsNoCommentLineAndPassesDashToo() throws Exception {
        for (String text : List.of(InstallLease.ACQUIRE, InstallLease.RELEASE, InstallLease.LIST, LockImage.ACQUIRE,
                DetachedRun.START, DetachedRun.ALIVE, DetachedRun.FOLLOW, DetachedRun.STOP, Packimage.VERIFY,
                Manifest.SCRIPT, RunLeftovers.STATUS_BUILDER, RunLeftovers.STATUS_MN, Preflight.SCRIPT,
                Preflight.SCRIPT + Preflight.BINFMT, MountInstall.PROBE_WRITE, MountInstall.PROBE_READ,
                ShellScripts.killGroup(1, java.time.Duration.ofSeconds(1)).argv().get(2))) {
            assertFalse(text.lines().anyMatch(l -> l.strip().startsWith("#")), text);
            assertEquals("", run(List.of("dash", "-n", "-c", text)), text);
        }
    }
}
