package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preflight's emulation checks on real binfmt_misc entry texts (captured from this kernel after registering
 * Debian 12's qemu-user-static entries), read by binfmt.sh on a real shell.
 */
class PreflightEmulationTest {
    private static final String XCAT_218 = "Version 2.18.2 (git commit 7733d16f8de0, built Fri Aug 21 2026)\n";
    private static final TargetOs AARCH64 = TargetOs.of("rhels8.8.0", "aarch64");
    private static final String WHAT = "the builder is x86_64 and the image for aarch64, so it is built under"
            + " emulation: ";

    @TempDir
    Path dir;

    private static String fixture(String name) {
        return Seed.resource("binfmt/" + name);
    }

    private static BinfmtEntry entry(String name, String text, boolean present) {
        List<String> lines = new java.util.ArrayList<>(text.lines().toList());
        lines.add(present ? "present yes" : "present no");
        return BinfmtEntry.parse(name, lines);
    }

    private static List<String> checks(List<BinfmtEntry> entries, String status, String xcat) {
        return Preflight.emulationProblems("x86_64", AARCH64, entries, status, xcat).stream()
                .map(Preflight.Problem::message).toList();
    }

    @Test
    void eachRealEntryServesExactlyTheArchitectureOfItsElfMagicAndMask() {
        Map<String, List<String>> served = new TreeMap<>();
        for (String f : List.of("qemu-aarch64.txt", "qemu-ppc64le.txt", "qemu-ppc64.txt", "qemu-s390x.txt",
                "aarch64-without-F.txt", "jar-extension.txt")) {
            BinfmtEntry e = entry(f, fixture(f), true);
            served.put(f, BinfmtEntry.knownArchs().stream().filter(e::serves).toList());
        }
        // qemu's x86_64 entry (qemu-binfmt-conf.sh), as the kernel prints it: not registered on this x86_64 host.
        BinfmtEntry x86 = entry("qemu-x86_64", "enabled\ninterpreter /usr/bin/qemu-x86_64-static\nflags: F\n"
                + "offset 0\nmagic 7f454c4602010100000000000000000002003e00\n"
                + "mask fffffffffffefe00fffffffffffffffffeffffff\n", true);
        served.put("qemu-x86_64", BinfmtEntry.knownArchs().stream().filter(x86::serves).toList());
        assertEquals(Map.of("qemu-aarch64.txt", List.of("aarch64"), "qemu-ppc64le.txt", List.of("ppc64le"),
                "qemu-ppc64.txt", List.of("ppc64"), "qemu-s390x.txt", List.of("s390x"),
                "aarch64-without-F.txt", List.of("aarch64"), "jar-extension.txt", List.of(),
                "qemu-x86_64", List.of("x86_64")), served);
        assertTrue(entry("q", fixture("qemu-ppc64le.txt"), true).serves("ppc64el"));
    }

    @Test
    void anEnabledEntryWithItsInterpreterAndFlagFOnAnRhImageWithXcat217Passes() {
        List<BinfmtEntry> entries = List.of(entry("jar", fixture("jar-extension.txt"), true),
                entry("qemu-aarch64", fixture("qemu-aarch64.txt"), true));
        assertEquals(List.of(), checks(entries, "enabled", XCAT_218));
        assertEquals(List.of(), checks(entries, "enabled", "Version 2.17.0 (git commit 1, built x)\n"));
        assertEquals("/usr/libexec/qemu-binfmt/aarch64-binfmt-P",
                BinfmtEntry.forArch(entries, "aarch64").orElseThrow().interpreter());
    }

    @Test
    void aDisabledEntryIsRefusedWithTheCommandThatEnablesIt() {
        String disabled = fixture("qemu-aarch64.txt").replace("enabled", "disabled");
        assertEquals(List.of(WHAT + "the binfmt_misc entry qemu-aarch64 for aarch64 is disabled on the builder: run"
                + " `echo 1 > /proc/sys/fs/binfmt_misc/qemu-aarch64`"),
                checks(List.of(entry("qemu-aarch64", disabled, true)), "enabled", XCAT_218));
    }

    @Test
    void anEntryWithoutFlagFIsRefusedBecauseTheChrootLacksTheInterpreter() {
        assertEquals(List.of(WHAT + "the binfmt_misc entry aarch64 lacks the F flag (flags: none), so the kernel"
                + " would look for /usr/bin/qemu-aarch64-static inside the image's chroot, where it is not; remove"
                + " it (`echo -1 > /proc/sys/fs/binfmt_misc/aarch64`) and " + Preflight.INSTALL_QEMU),
                checks(List.of(entry("aarch64", fixture("aarch64-without-F.txt"), true)), "enabled", XCAT_218));
    }

    @Test
    void aMissingInterpreterAndAMissingEntryAndAnUnmountedBinfmtMiscEachSayWhatToInstall() {
        assertEquals(List.of(WHAT + "the interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P of binfmt_misc entry"
                + " qemu-aarch64 is missing on the builder; " + Preflight.INSTALL_QEMU),
                checks(List.of(entry("qemu-aarch64", fixture("qemu-aarch64.txt"), false)), "enabled", XCAT_218));
        // Entries of other architectures, whatever their names, do not serve aarch64.
        assertEquals(List.of(WHAT + "no binfmt_misc entry on the builder runs aarch64 binaries (none has the magic"
                + " and mask of their ELF header); " + Preflight.INSTALL_QEMU),
                checks(List.of(entry("qemu-aarch64", fixture("qemu-ppc64le.txt"), true)), "enabled", XCAT_218));
        assertEquals(List.of(WHAT + "binfmt_misc is not mounted on the builder: run `mount -t binfmt_misc binfmt_misc"
                + " /proc/sys/fs/binfmt_misc`, and " + Preflight.INSTALL_QEMU), checks(List.of(), "unmounted", XCAT_218));
        assertEquals("install qemu-user-static (Debian/Ubuntu: `apt-get install qemu-user-static binfmt-support`;"
                + " EL: `dnf install qemu-user-static`, then `systemctl restart systemd-binfmt`), which registers its"
                + " binfmt_misc entries with the F flag", Preflight.INSTALL_QEMU);
    }

    @Test
    void otherFamiliesAndXcatBefore217AreRefused() {
        List<BinfmtEntry> ok = List.of(entry("qemu-aarch64", fixture("qemu-aarch64.txt"), true));
        assertEquals(List.of("the builder is x86_64 and the image for aarch64, so it is built under emulation: only"
                + " xCAT's rh genimage builds for another architecture (it sets arch= and ignorearch=True for"
                + " dnf/yum); the ubuntu family's does not: pick a builder of aarch64"),
                Preflight.emulationProblems("x86_64", TargetOs.of("ubuntu22.04", "aarch64"), ok, "enabled", XCAT_218)
                        .stream().map(Preflight.Problem::message).toList());
        assertEquals(List.of(WHAT + "the MN runs xCAT 2.16.5, whose rh genimage builds only for the builder's own"
                + " architecture; update xCAT on the MN to 2.17 or later, or pick a builder of aarch64"),
                checks(ok, "enabled", "Version 2.16.5 (git commit 2f1c, built Tue Mar 1 2023)\n"));
        assertEquals(List.of(WHAT + "cannot read the MN's xCAT version from `lsxcatd -v` ('lsxcatd -v exit 127:"
                + " sh: lsxcatd: not found'); rh genimage builds for another architecture from xCAT 2.17 on"),
                checks(ok, "enabled", "lsxcatd -v exit 127: sh: lsxcatd: not found"));
    }

    @Test
    void binfmtShReadsEveryEntryAndWhetherItsInterpreterIsPresent() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path binfmt = Files.createDirectories(dir.resolve("binfmt_misc"));
        Path present = Files.writeString(bin.resolve("qemu-aarch64-static"), "");
        present.toFile().setExecutable(true);
        Files.writeString(binfmt.resolve("status"), "enabled\n");
        Files.writeString(binfmt.resolve("register"), "");
        Files.writeString(binfmt.resolve("qemu-aarch64"), fixture("qemu-aarch64.txt")
                .replace("/usr/libexec/qemu-binfmt/aarch64-binfmt-P", present.toString()));
        Files.writeString(binfmt.resolve("qemu-s390x"), fixture("qemu-s390x.txt")
                .replace("/usr/libexec/qemu-binfmt/s390x-binfmt-P", bin.resolve("missing").toString()));
        String script = Preflight.BINFMT.replace("d=/proc/sys/fs/binfmt_misc", "d=" + binfmt);
        RealShell.Result r = RealShell.run(Command.of("sh", "-c", script, "crossgen-preflight"));
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("enabled", Preflight.parseFacts(r.stdout()).get("binfmt.status"));
        List<BinfmtEntry> entries = BinfmtEntry.parseAll(r.stdout());
        assertEquals(List.of("qemu-aarch64", "qemu-s390x"), entries.stream().map(BinfmtEntry::name).toList());
        assertTrue(entries.get(0).interpreterPresent() && entries.get(0).enabled() && entries.get(0).fixBinary());
        assertEquals(present.toString(), entries.get(0).interpreter());
        assertFalse(entries.get(1).interpreterPresent());
        assertEquals("POF", entries.get(1).flags());

        Files.delete(binfmt.resolve("status"));
        RealShell.Result unmounted = RealShell.run(Command.of("sh", "-c", script, "crossgen-preflight"));
        assertEquals("binfmt.status=unmounted\n", unmounted.stdout());
    }
}
