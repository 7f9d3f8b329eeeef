package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.Emulation;
import io.crossgen.build.Preflight;
import io.crossgen.build.SmokeCheck;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.StepStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An aarch64 image built on the x86_64 testbed builder under qemu-user: Debian's qemu-user-static registered in
 * the machine's binfmt_misc by {@code testbed/binfmt} (only when not registered yet; released after the class,
 * and by {@code testbed/down}), the stand-in rh genimage's foreign-arch path putting hand-made aarch64 ELFs into
 * the rootimg and running one under chroot, and crossgen's smoke check.
 */
@Tag("e2e")
class EmulatedBuildEndToEndTest {
    private static final String IMAGE = "rhels8.8.0-aarch64-netboot-compute";
    /** The ELF header bytes of aarch64 executables that qemu's entry matches, as binfmt_misc prints them. */
    private static final String AARCH64_MAGIC = "magic 7f454c460201010000000000000000000200b700";
    private static final Path BINFMT = Path.of("/proc/sys/fs/binfmt_misc");

    /** Registers qemu-aarch64 before the class and releases exactly what it registered after it, whatever happens. */
    @RegisterExtension
    static final QemuUser QEMU_USER = new QemuUser();
    private static Testbed testbed;

    static final class QemuUser implements BeforeAllCallback, AfterAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            testbed = Testbed.up();
            script("register", "aarch64");
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            script("release");
        }
    }

    @BeforeAll
    static void registered() throws IOException {
        assertTrue(Files.isRegularFile(BINFMT.resolve(entry())), "no aarch64 entry in binfmt_misc");
    }

    private static List<String> script(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Testbed.projectRoot().resolve("testbed/binfmt").toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(argv + " failed:\n" + out);
        }
        return out.lines().toList();
    }

    /** The entry that serves aarch64 binaries, found by its magic (its name may be another than qemu-aarch64). */
    private static String entry() throws IOException {
        try (Stream<Path> files = Files.list(BINFMT)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.equals("register") && !name.equals("status")
                        && Files.readAllLines(f).contains(AARCH64_MAGIC)) {
                    return name;
                }
            }
        }
        throw new IllegalStateException("no binfmt_misc entry with " + AARCH64_MAGIC);
    }

    private static String interpreter(String entry) throws IOException {
        return Files.readAllLines(BINFMT.resolve(entry)).stream().filter(l -> l.startsWith("interpreter "))
                .findFirst().orElseThrow().substring("interpreter ".length());
    }

    /** Every file and folder of the builder's own trees, with size and modification time. */
    private static Map<String, String> builderFiles() throws IOException {
        Path root = Path.of(testbed.get("TESTBED_BUILDER_FS"));
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                files.put(root.relativize(p).toString(), a.isDirectory() ? "dir"
                        : (a.isSymbolicLink() ? "link " + Files.readSymbolicLink(p) : a.size()) + " "
                        + a.lastModifiedTime().toMillis());
            }
        }
        return files;
    }

    @Test
    void anAarch64ImageBuildsOnTheX8664BuilderUnderQemuAndTheSmokeCheckSeesAarch64() throws Exception {
        String entry = entry();
        String interpreter = interpreter(entry);
        StringWriter progress = new StringWriter();
        RunReport report = testbed.buildFrom(IMAGE, "e2eemu")
                .step(Preflight.defaults().withEmulation(Emulation.qemuUser())).build()
                .run(Listeners.console(progress));

        assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
        String rootimgdir = "/install/netboot/rhels8.8.0/aarch64/e2eemu";
        assertEquals(List.of("emulated via " + interpreter + " (binfmt_misc entry " + entry + ", flags "
                + Files.readAllLines(BINFMT.resolve(entry)).stream().filter(l -> l.startsWith("flags: ")).findFirst()
                        .orElseThrow().substring("flags: ".length()) + "): aarch64 on the " + Testbed.ARCH + " builder"),
                report.step(Preflight.NAME).orElseThrow().notes());
        assertEquals(List.of("smoke check: " + rootimgdir + "/.crossgen-stage/rootimg/usr/bin/true ran under chroot on"
                + " the builder; uname -m inside says aarch64 (emulated via " + interpreter + ")"),
                report.step(SmokeCheck.NAME).orElseThrow().notes());
        // genimage took its foreign-arch path, and its scriptlet in the chroot ran.
        assertTrue(progress.toString().contains("cross-building aarch64 on " + Testbed.ARCH
                + " with qemu-user-static: arch=aarch64 ignorearch=True"), progress::toString);
        assertFalse(progress.toString().contains("scriptlet failed"), progress::toString);
        // The rootimg on the MN holds aarch64 executables (e_machine 183 at bytes 18-19), and the image is packed.
        byte[] elf = Files.readAllBytes(testbed.mnFile(rootimgdir + "/rootimg/usr/bin/true"));
        assertEquals(List.of(0x7f, 0xb7, 0x00), List.of(elf[0] & 0xff, elf[18] & 0xff, elf[19] & 0xff));
        assertTrue(Files.size(testbed.mnFile(rootimgdir + "/rootimg.cpio.gz")) > 0);
    }

    @Test
    void withTheEntryDisabledPreflightRefusesBeforeAnythingIsCopiedAndSaysHowToEnableIt() throws Exception {
        String entry = entry();
        Map<String, String> before = builderFiles();
        script("disable", entry);
        RunReport report;
        try {
            report = testbed.buildFrom(IMAGE, "e2eemuoff")
                    .step(Preflight.defaults().withEmulation(Emulation.qemuUser())).build()
                    .run(Listeners.none());
        } finally {
            script("enable", entry);
        }

        assertEquals("step 'preflight' failed: the builder " + testbed.builder().label() + " failed 1 check:\n  arch:"
                + " the builder is " + Testbed.ARCH + " and the image for aarch64, so it is built under emulation: the"
                + " binfmt_misc entry " + entry + " for aarch64 is disabled on the builder: run `echo 1 >"
                + " /proc/sys/fs/binfmt_misc/" + entry + "`", report.failure().orElseThrow().message());
        for (String step : List.of("copy-netboot", "copy-external-files", "mount-install", "generate")) {
            assertEquals(StepStatus.SKIPPED, report.step(step).orElseThrow().status(), step);
        }
        assertEquals(before, builderFiles());
    }
}
