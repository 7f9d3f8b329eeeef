package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell of {@link RecordProvenance} and the provenance's promotion, run by a real {@code sh}. */
class ProvenanceScriptsTest {
    @TempDir
    Path tmp;

    private static RealShell.Result sh(String script, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", Script.load(script), "x"));
        argv.addAll(List.of(args));
        return RealShell.run(Command.of(argv));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(
                StandardCharsets.UTF_8)));
    }

    @Test
    void digestsHashFilesRepositoryMetadataAndSayWhatIsMissing() throws Exception {
        Path list = Files.writeString(tmp.resolve("compute.pkglist"), "bash\n");
        Path rpmRepo = Files.createDirectories(tmp.resolve("rhels/repodata"));
        Files.writeString(rpmRepo.resolve("repomd.xml"), "<repomd/>\n");
        Path debRepo = Files.createDirectories(tmp.resolve("ubuntu/dists/jammy"));
        Files.writeString(debRepo.resolve("Release"), "Suite: jammy\n");
        Files.createDirectories(tmp.resolve("empty"));

        RealShell.Result r = sh("digests.sh", list.toString(), tmp + "/nope.exlist", tmp + "/rhels/",
                tmp + "/ubuntu/", tmp + "/empty/");

        assertEquals(new RealShell.Result(0, sha256("bash\n") + "  " + list + "\n"
                + "missing  " + tmp + "/nope.exlist\n"
                + sha256("<repomd/>\n") + "  " + tmp + "/rhels/repodata/repomd.xml\n"
                + sha256("Suite: jammy\n") + "  " + tmp + "/ubuntu/dists/jammy/Release\n"
                + "missing  " + tmp + "/empty/\n", ""), r);
    }

    @Test
    void subjectsHashTheArchiveKernelAndEveryInitrdOrTheTreeListing() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("img"));
        Files.writeString(d.resolve("rootimg.cpio.gz"), "archive");
        Files.writeString(d.resolve("kernel"), "kernel");
        Files.writeString(d.resolve("initrd-stateless.gz"), "stateless");
        Files.writeString(d.resolve("initrd-statelite.gz"), "statelite");
        Files.createDirectories(d.resolve("rootimg/etc"));
        Files.writeString(d.resolve("rootimg/etc/hostname"), "node\n");

        assertEquals(new RealShell.Result(0, sha256("archive") + "  rootimg.cpio.gz\n" + sha256("kernel")
                + "  kernel\n" + sha256("stateless") + "  initrd-stateless.gz\n" + sha256("statelite")
                + "  initrd-statelite.gz\n", ""), sh("subjects.sh", d.toString(), "rootimg.cpio.gz"));

        RealShell.Result tree = sh("subjects.sh", d.toString(), "rootimg/");
        String listing = RealShell.run(Command.of("sh", "-c", "cd \"$1\" && find rootimg -printf"
                + " '%p\\t%y\\t%s\\t%m\\t%l\\n' | LC_ALL=C sort", "x", d.toString())).stdout();
        assertEquals(sha256(listing) + "  rootimg/", tree.stdout().lines().findFirst().orElseThrow());
    }

    @Test
    void promoteWritesTheStatementFromStdinAndMovesItWithTheArchiveAndDropsAnOldOneWithoutANewOne()
            throws Exception {
        Path d = Files.createDirectories(tmp.resolve("img"));
        Files.writeString(d.resolve(Provenance.FILE), "old provenance");
        Path s = stage(d, "new ");

        RealShell.Result r = RealShell.run(Command.of("sh", "-c", Script.load("promote.sh"), "x", d.toString(),
                s.toString(), "rootimg.cpio.gz", "provenance").withStdin(Stdin.bytes("new provenance\n".getBytes(
                StandardCharsets.UTF_8))));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("new provenance\n", Files.readString(d.resolve(Provenance.FILE)));
        assertEquals("new rootimg.cpio.gz", Files.readString(d.resolve("rootimg.cpio.gz")));
        assertFalse(Files.exists(s), "the stage stayed");

        stage(d, "newer ");
        Files.writeString(s.resolve(Provenance.FILE), "a statement a stopped run left in the stage");
        assertEquals(0, sh("promote.sh", d.toString(), s.toString(), "rootimg.cpio.gz").exit());
        assertEquals("newer rootimg.cpio.gz", Files.readString(d.resolve("rootimg.cpio.gz")));
        assertFalse(Files.exists(d.resolve(Provenance.FILE)), "a provenance of another archive stayed");
    }

    @Test
    void aRefusedPromotionReadsTheStatementYetLeavesTheRootimgdirAsItWas() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("img"));
        Files.writeString(d.resolve(Provenance.FILE), "old provenance");
        Files.writeString(d.resolve("rootimg.cpio.gz"), "old archive");
        Path s = stage(d, "new ");
        Files.delete(s.resolve("kernel"));
        byte[] big = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);   // more than a pipe holds

        RealShell.Result r = RealShell.run(Command.of("sh", "-c", Script.load("promote.sh"), "x", d.toString(),
                s.toString(), "rootimg.cpio.gz", "provenance").withStdin(Stdin.bytes(big)));

        assertEquals(new RealShell.Result(1, "missing or empty: " + s + "/kernel\n", ""), r);
        assertEquals("old provenance", Files.readString(d.resolve(Provenance.FILE)));
        assertEquals("old archive", Files.readString(d.resolve("rootimg.cpio.gz")));
    }

    private static Path stage(Path d, String content) throws Exception {
        Path s = Files.createDirectories(d.resolve(StageImage.STAGE));
        for (String f : List.of("rootimg.cpio.gz", "kernel", "initrd-stateless.gz")) {
            Files.writeString(s.resolve(f), content + f);
        }
        return s;
    }
}
