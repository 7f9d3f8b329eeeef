package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell of {@link StageImage} and {@link Packimage}, run by a real {@code sh} (ScriptResourcesTest lints it). */
class ImageScriptsTest {

    @TempDir
    Path tmp;

    private static RealShell.Result sh(String script, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("sh", "-c", Script.load(script), "x"));
        argv.addAll(List.of(args));
        return RealShell.run(Command.of(argv));
    }

    private Path previousImage() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("img"));
        Files.createDirectories(d.resolve("rootimg/etc"));
        Files.writeString(d.resolve("rootimg/etc/old"), "old tree");
        Files.writeString(d.resolve("rootimg.cpio.gz"), "old archive");
        Files.writeString(d.resolve("kernel"), "old kernel");
        Files.writeString(d.resolve("initrd-stateless.gz"), "old initrd");
        return d;
    }

    @Test
    void stageMovesTheTreeAndPromoteReplacesTheBootFilesAndRemovesOlderArchives() throws Exception {
        Path d = previousImage();
        Files.writeString(d.resolve("rootimg.tar.xz"), "an archive of another method");
        Path s = d.resolve(StageImage.STAGE);
        assertEquals(new RealShell.Result(0, "moved " + d + "/rootimg to " + s + "/rootimg\n", ""),
                sh("stage.sh", d.toString(), s.toString()));
        assertFalse(Files.exists(d.resolve("rootimg")));
        assertEquals("old archive", Files.readString(d.resolve("rootimg.cpio.gz")));
        Files.writeString(s.resolve("rootimg.cpio.gz"), "new archive");
        Files.writeString(s.resolve("kernel"), "new kernel");
        Files.writeString(s.resolve("initrd-stateless.gz"), "new initrd");
        Files.writeString(s.resolve("initrd-statelite.gz"), "new lite initrd");

        RealShell.Result r = sh("promote.sh", d.toString(), s.toString(), "rootimg.cpio.gz");

        assertEquals(new RealShell.Result(0, "promoted " + d + "/rootimg.cpio.gz\nremoved the older archive " + d
                + "/rootimg.tar.xz\n", ""), r);
        assertEquals("new archive", Files.readString(d.resolve("rootimg.cpio.gz")));
        assertEquals("new kernel", Files.readString(d.resolve("kernel")));
        assertEquals("new initrd", Files.readString(d.resolve("initrd-stateless.gz")));
        assertEquals("new lite initrd", Files.readString(d.resolve("initrd-statelite.gz")));
        assertEquals("old tree", Files.readString(d.resolve("rootimg/etc/old")));
        assertFalse(Files.exists(s));
        assertFalse(Files.exists(d.resolve("rootimg.tar.xz")));
    }

    @Test
    void promoteRefusesAnIncompleteStageAndUnstageLeavesThePreviousFilesAsTheyWere() throws Exception {
        Path d = previousImage();
        Path s = d.resolve(StageImage.STAGE);
        sh("stage.sh", d.toString(), s.toString());
        Files.writeString(s.resolve("rootimg.cpio.gz"), "half an arch");
        Files.writeString(s.resolve("kernel"), "");

        assertEquals(new RealShell.Result(1, "missing or empty: " + s + "/kernel\nmissing or empty: " + s
                + "/initrd-stateless.gz\n", ""), sh("promote.sh", d.toString(), s.toString(), "rootimg.cpio.gz"));
        assertEquals(new RealShell.Result(0, "put the image tree back in " + d + "/rootimg\nremoved the stage " + s
                + "\n", ""), sh("unstage.sh", d.toString(), s.toString()));

        assertEquals("old archive", Files.readString(d.resolve("rootimg.cpio.gz")));
        assertEquals("old kernel", Files.readString(d.resolve("kernel")));
        assertEquals("old initrd", Files.readString(d.resolve("initrd-stateless.gz")));
        assertEquals("old tree", Files.readString(d.resolve("rootimg/etc/old")));
        assertFalse(Files.exists(s));
        assertEquals(new RealShell.Result(0, "", ""), sh("unstage.sh", d.toString(), s.toString()));
    }

    @Test
    void aStageLeftByAStoppedRunIsTakenOver() throws Exception {
        Path d = previousImage();
        Path s = d.resolve(StageImage.STAGE);
        sh("stage.sh", d.toString(), s.toString());
        Files.writeString(s.resolve("rootimg.cpio.gz"), "partial");
        assertEquals(new RealShell.Result(0, "took over the image tree a stopped run left in " + s + "\n", ""),
                sh("stage.sh", d.toString(), s.toString()));
        assertEquals("old tree", Files.readString(s.resolve("rootimg/etc/old")));
        assertFalse(Files.exists(s.resolve("rootimg.cpio.gz")));
    }

    @Test
    void statelitebootFilesAreKeptAsCopiesAndPutBackAfterAnInPlaceRewrite() throws Exception {
        Path d = previousImage();
        Files.writeString(d.resolve("initrd-statelite.gz"), "old lite initrd");
        Path k = d.resolve(StageImage.KEPT);
        RealShell.Result kept = sh("keep.sh", d.toString(), k.toString());
        assertEquals(new RealShell.Result(0, "kept " + d + "/kernel\nkept " + d + "/initrd-stateless.gz\nkept " + d
                + "/initrd-statelite.gz\n", ""), kept);
        // genimage rewrites in place: a hard link would have followed this.
        Files.writeString(d.resolve("kernel"), "half a new kern");

        RealShell.Result r = RealShell.run(StageImage.restore(d.toString()));

        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().contains("restored " + d + "/kernel\n"), r.stdout());
        assertEquals("old kernel", Files.readString(d.resolve("kernel")));
        assertEquals("old lite initrd", Files.readString(d.resolve("initrd-statelite.gz")));
        assertFalse(Files.exists(k));
    }
}
