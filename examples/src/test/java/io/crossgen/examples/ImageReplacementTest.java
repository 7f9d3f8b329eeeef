package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.CrossBuild;
import io.crossgen.build.Liteimg;
import io.crossgen.build.Packimage;
import io.crossgen.build.StageImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.pipeline.Listeners;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.StepStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What nodes boot while crossgen rebuilds an image, on the testbed: the stand-in packimage deletes
 * {@code rootimg.*} by glob and writes in place as xCAT's does, slowly or failing half-way when told to
 * ({@code /opt/xcat/standin/packimage-seconds}, {@code /install/.standin-packimage-fail} on the MN).
 */
@Tag("e2e")
class ImageReplacementTest {
    private static final String NETBOOT = Testbed.netboot();
    private static final String ARCHIVE = "rootimg.cpio.gz";
    private static final List<String> KERNEL_AND_INITRDS = List.of("kernel", "initrd-stateless.gz",
            "initrd-statelite.gz");
    private static final List<String> BOOT_FILES = List.of(ARCHIVE, "kernel", "initrd-stateless.gz",
            "initrd-statelite.gz");
    private static final String FAIL_KNOB = "/install/.standin-packimage-fail";
    private static final String SLOW_KNOB = "/opt/xcat/standin/packimage-seconds";
    private static Testbed testbed;

    @BeforeAll
    static void up() throws Exception {
        testbed = Testbed.up();
    }

    @Test
    void aPackimageThatFailsHalfWayLeavesThePreviousArchiveKernelAndInitrdByteForByte() throws Exception {
        String dir = NETBOOT + "e2ereplfail";
        buildOnce("e2ereplfail");
        Map<String, String> before = markAndHash(dir, BOOT_FILES);

        Path knob = testbed.mnFile(FAIL_KNOB);
        Files.writeString(knob, "");
        StringWriter progress = new StringWriter();
        RunReport report;
        try {
            report = testbed.build("compute", "e2ereplfail").run(Listeners.console(progress));
        } finally {
            Files.delete(knob);
        }

        RunReport.Failure failure = report.failure().orElseThrow(() -> new AssertionError(progress.toString()));
        assertEquals(Packimage.NAME, failure.step(), progress::toString);
        // The stand-in's message names its temporary file by PID, and the compressor it found (pigz or gzip).
        assertTrue(failure.message().matches(Pattern.quote("step 'packimage' failed: packimage e2ereplfail failed"
                + " (exit 1): packimage failed while running: find . -xdev -print0 | cpio -H newc -o -0 --quiet | ")
                + "(pigz|gzip)" + Pattern.quote(" -c - > /tmp/xcat_packimg.") + "[0-9]+" + Pattern.quote(" (the"
                + " archiver failed on the management node; run the command shown there to see why) (on root@"
                + testbed.get("TESTBED_MN") + ")")), failure::message);
        assertEquals(testbed.mn(), failure.host().orElseThrow());
        assertTrue(report.cleanups().stream().allMatch(c -> c.status() == StepStatus.DONE), report::summary);
        assertTrue(report.cleanups().stream().anyMatch(c -> c.description().equals("put the image tree back from "
                + dir + "/" + StageImage.STAGE + " unless packimage promoted it")), report::summary);
        Map<String, String> after = hashes(dir, BOOT_FILES);
        System.out.println("sha256 after the failed rebuild of " + dir + ": " + after);
        assertEquals(before, after, "the boot files changed");
        assertTrue(isCompleteGzip(testbed.mnFile(dir + "/" + ARCHIVE)));
        // The stand-in really wrote half an archive: in the stage, which the cleanup removed.
        assertTrue(progress.toString().contains("removed the stage " + dir + "/" + StageImage.STAGE),
                progress::toString);
        assertTrue(Files.notExists(testbed.mnFile(dir + "/" + StageImage.STAGE)));
        assertTrue(Files.isRegularFile(testbed.mnFile(dir + "/rootimg/etc/crossgen-standin")),
                "the image tree is not back in " + dir);
        assertEquals(List.of(ARCHIVE), archives(dir));
        assertRootimgdirIs("e2ereplfail", dir);
        EndToEndTest.assertNothingLeftOnTheBuilder(testbed);
    }

    @Test
    void duringASlowPackimageNodesFetchTheOldArchiveOrTheNewNeverNoneOrAPart() throws Exception {
        String dir = NETBOOT + "e2ereplpoll";
        buildOnce("e2ereplpoll");
        Map<String, String> before = markAndHash(dir, BOOT_FILES);
        String old = before.get(ARCHIVE);

        Path knob = testbed.mnFile(SLOW_KNOB);
        Files.writeString(knob, "3\n");
        BootFilePoller poller = new BootFilePoller(testbed.mnFile(dir), BOOT_FILES.subList(0, 3),
                testbed.mnFile(dir + "/" + StageImage.STAGE + "/" + ARCHIVE));
        Thread polling = new Thread(poller, "boot-file-poller");
        StringWriter progress = new StringWriter();
        RunReport report;
        polling.start();
        try {
            report = testbed.build("compute", "e2ereplpoll").run(Listeners.all(Listeners.console(progress),
                    poller));
        } finally {
            poller.stop = true;
            polling.join(Duration.ofSeconds(30).toMillis());
            Files.delete(knob);
        }

        assertFalse(polling.isAlive());
        assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
        Map<String, String> after = hashes(dir, BOOT_FILES);
        String fresh = after.get(ARCHIVE);
        assertNotEquals(old, fresh, "the new archive was not promoted");
        assertTrue(isCompleteGzip(testbed.mnFile(dir + "/" + ARCHIVE)));
        for (String f : List.of("kernel", "initrd-stateless.gz", "initrd-statelite.gz")) {
            assertEquals(f + " of e2ereplpoll", Files.readString(testbed.mnFile(dir + "/" + f)).strip(),
                    f + " was not promoted");
        }
        String counts = poller.counts(before, after);
        System.out.println("boot file polls of " + dir + ": " + counts + "\nsha256 after: " + after);
        assertEquals(List.of(), poller.errors, counts);
        for (String f : poller.files) {
            assertEquals(0, poller.absent.getOrDefault(f, 0), counts);
            assertEquals(Map.of(), poller.others(f, before, after), counts);
            assertTrue(poller.seen(f, before.get(f), false) > 0 && poller.seen(f, after.get(f), false) > 0, counts);
        }
        assertTrue(poller.seen(ARCHIVE, old, true) > 0, counts);
        // The poll was fast enough to catch packimage's in-place write in the stage half done.
        assertTrue(poller.stagePartial > 0, counts);
        assertTrue(Files.notExists(testbed.mnFile(dir + "/" + StageImage.STAGE)));
        assertEquals(List.of(ARCHIVE), archives(dir));
        assertRootimgdirIs("e2ereplpoll", dir);
        EndToEndTest.assertNothingLeftOnTheBuilder(testbed);
    }

    @Test
    void aStateliteImageEndsWithLiteimgAndKeepsNoCopiesOfItsBootFiles() throws Exception {
        String source = "rhels8.8.0-" + Testbed.ARCH + "-statelite-compute";
        String dir = NETBOOT + "e2elite";
        StringWriter progress = new StringWriter();
        RunReport first = testbed.buildFrom(source, "e2elite").build().run(Listeners.console(progress));

        assertTrue(first.succeeded(), () -> first.summary() + "\n" + progress);
        assertEquals(StepStatus.DONE, first.step(Liteimg.NAME).orElseThrow().status());
        // Without the definition known beforehand, both finishing steps are in the pipeline; packimage runs nothing.
        RunReport.StepReport pack = first.step(Packimage.NAME).orElseThrow();
        assertEquals(List.of(), pack.commands());
        assertEquals(List.of("provmethod=statelite: finished with liteimg, not packimage"), pack.notes());
        assertStatelite(dir);

        // A rebuild, the definition known beforehand: no packimage step; the boot files are kept, then dropped.
        String stanza = String.join("\n", testbed.ssh("xcatmn", "lsdef -t osimage -z " + source)) + "\n";
        CrossBuild again = testbed.buildFrom(StanzaCodec.readOne(stanza, "lsdef -t osimage -z " + source), "e2elite")
                .build();
        assertFalse(again.pipeline().stepNames().contains(Packimage.NAME), again.pipeline()::toString);
        RunReport second = again.run(Listeners.console(progress));

        assertTrue(second.succeeded(), () -> second.summary() + "\n" + progress);
        assertEquals(Optional.empty(), second.step(Packimage.NAME));
        assertEquals(StepStatus.DONE, second.step(Liteimg.NAME).orElseThrow().status());
        String kept = dir + "/" + StageImage.KEPT;
        assertEquals(List.of("kept " + dir + "/kernel", "kept " + dir + "/initrd-stateless.gz", "kept " + dir
                + "/initrd-statelite.gz"), second.step(StageImage.NAME).orElseThrow().notes());
        assertTrue(Files.notExists(testbed.mnFile(kept)), kept + " was left");
        assertStatelite(dir);
        EndToEndTest.assertNothingLeftOnTheBuilder(testbed);
    }

    @Test
    void aStateliteRebuildThatFailsInLiteimgPutsThePreviousKernelAndInitrdsBack() throws Exception {
        String source = "rhels8.8.0-" + Testbed.ARCH + "-statelite-compute";
        String dir = NETBOOT + "e2elitefail";
        StringWriter progress = new StringWriter();
        RunReport first = testbed.buildFrom(source, "e2elitefail").build().run(Listeners.console(progress));
        assertTrue(first.succeeded(), () -> first.summary() + "\n" + progress);
        Map<String, String> before = markAndHash(dir, KERNEL_AND_INITRDS);

        // An entry liteimg refuses (exit 1), after genimage rewrote kernel and initrds in place.
        Path table = testbed.mnFile("/opt/xcat/standin/db/litefile");
        String saved = Files.readString(table);
        Files.writeString(table, saved + "ALL\tbogus\t/etc/motd\n");
        List<String> warned = new java.util.concurrent.CopyOnWriteArrayList<>();
        PipelineListener warnings = new PipelineListener() {
            @Override
            public void warning(String step, String message) {
                warned.add(step + ": " + message);
            }
        };
        RunReport report;
        try {
            report = testbed.buildFrom(source, "e2elitefail").build().run(Listeners.all(Listeners.console(progress),
                    warnings));
        } finally {
            Files.writeString(table, saved);
        }

        RunReport.Failure failure = report.failure().orElseThrow(() -> new AssertionError(progress.toString()));
        assertEquals(Liteimg.NAME, failure.step(), progress::toString);
        assertEquals("step 'liteimg' failed: liteimg e2elitefail failed (exit 1): /etc/motd has invalid option. The"
                + " valid options: tmpfs persistent localdisk rw ro con link tmpfs,rw link,ro link,persistent"
                + " link,con (on root@" + testbed.get("TESTBED_MN") + ")", failure.message());
        Map<String, String> after = hashes(dir, KERNEL_AND_INITRDS);
        System.out.println("sha256 after the failed statelite rebuild of " + dir + ": " + after);
        assertEquals(before, after, "the kernel or an initrd changed");
        assertTrue(Files.notExists(testbed.mnFile(dir + "/" + StageImage.KEPT)));
        // Said by the cleanup of stage-image, to the listener (a cleanup's report keeps no warnings).
        String said = "stage-image: the build did not finish: restored " + dir;
        assertEquals(List.of(said + "/initrd-stateless.gz", said + "/initrd-statelite.gz", said + "/kernel"),
                warned.stream().filter(w -> w.startsWith("stage-image: ")).toList());
        EndToEndTest.assertNothingLeftOnTheBuilder(testbed);
    }

    /** What liteimg leaves, and nothing of crossgen's. */
    private static void assertStatelite(String dir) throws Exception {
        String rootimg = dir + "/rootimg";
        assertEquals("ALL\ttmpfs\t/var/\nALL\tlink\t/etc/ntp.conf\n",
                Files.readString(testbed.mnFile(rootimg + "/.statelite/litefile.save")));
        assertTrue(Files.isDirectory(testbed.mnFile(rootimg + "/.statelite/tmpfs")));
        assertTrue(Files.isSymbolicLink(testbed.mnFile(rootimg + "/etc/ntp.conf")));
        assertTrue(Files.isRegularFile(testbed.mnFile(rootimg + "/.default/etc/ntp.conf")));
        assertTrue(Files.isRegularFile(testbed.mnFile(rootimg + "/var/lib/standin/openssh-server")));
        assertEquals("kernel of e2elite", Files.readString(testbed.mnFile(dir + "/kernel")).strip());
        assertEquals("initrd-statelite.gz of e2elite",
                Files.readString(testbed.mnFile(dir + "/initrd-statelite.gz")).strip());
        assertEquals(List.of(), archives(dir));
        assertTrue(Files.notExists(testbed.mnFile(dir + "/" + StageImage.KEPT)));
        assertTrue(Files.notExists(testbed.mnFile(dir + "/" + StageImage.STAGE)));
    }

    private static void buildOnce(String target) throws Exception {
        StringWriter progress = new StringWriter();
        RunReport report = testbed.build("compute", target).run(Listeners.console(progress));
        assertTrue(report.succeeded(), () -> report.summary() + "\n" + progress);
    }

    /**
     * Marks the kernel and initrds of the first build (genimage writes the same bytes each time, so only a mark
     * tells the previous files from new ones), then the sha256 of every boot file.
     */
    private static Map<String, String> markAndHash(String dir, List<String> files) throws Exception {
        for (String f : KERNEL_AND_INITRDS) {
            Files.writeString(testbed.mnFile(dir + "/" + f), "booted before the rebuild\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
        Map<String, String> hashes = hashes(dir, files);
        System.out.println("sha256 before the rebuild of " + dir + ": " + hashes);
        return hashes;
    }

    private static Map<String, String> hashes(String dir, List<String> files) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : files) {
            out.put(f, sha256(Files.readAllBytes(testbed.mnFile(dir + "/" + f))));
        }
        return out;
    }

    private static List<String> archives(String dir) throws IOException {
        try (var files = Files.list(testbed.mnFile(dir))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("rootimg.")).sorted()
                    .toList();
        }
    }

    private static void assertRootimgdirIs(String image, String dir) throws Exception {
        List<String> def = testbed.ssh("xcatmn", "lsdef -t osimage -z " + image);
        assertEquals(List.of("    rootimgdir=" + dir), def.stream().filter(l -> l.contains("rootimgdir=")).toList());
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isCompleteGzip(Path file) throws IOException {
        return isCompleteGzip(Files.readAllBytes(file));
    }

    /** Whether the bytes are a whole gzip stream: it decompresses to its end and its trailer checks. */
    static boolean isCompleteGzip(byte[] bytes) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads the boot files as a node's fetch would, every 10 ms until stopped, and counts what it saw per file
     * by sha256 (and how much of it while packimage ran); and the stage's archive, counting the reads that were
     * not a whole gzip stream.
     */
    static final class BootFilePoller implements Runnable, PipelineListener {
        final Path dir;
        final List<String> files;
        final Path staged;
        /** file -> sha256 (prefixed "packing:" for the reads during packimage) -> reads. */
        final Map<String, Map<String, Integer>> seen = new LinkedHashMap<>();
        final Map<String, Integer> absent = new LinkedHashMap<>();
        final List<String> errors = new java.util.ArrayList<>();
        int polls;
        int pollsPacking;
        int stagePartial;
        volatile boolean stop;
        private volatile boolean packing;

        BootFilePoller(Path dir, List<String> files, Path staged) {
            this.dir = dir;
            this.files = files;
            this.staged = staged;
        }

        @Override
        public void stepStarted(String step) {
            packing = packing || step.equals(Packimage.NAME);
        }

        @Override
        public void stepFinished(String step, StepStatus status, Duration duration, Optional<Throwable> failure) {
            packing = packing && !step.equals(Packimage.NAME);
        }

        @Override
        public void run() {
            while (!stop) {
                poll(packing);
                try {
                    stagePartial += isCompleteGzip(Files.readAllBytes(staged)) ? 0 : 1;
                } catch (IOException notThere) {
                    // The stage's archive is not written yet, or was promoted.
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            poll(false);
        }

        private void poll(boolean inPack) {
            polls++;
            pollsPacking += inPack ? 1 : 0;
            for (String f : files) {
                Map<String, Integer> bySha = seen.computeIfAbsent(f, k -> new LinkedHashMap<>());
                try {
                    String sha = sha256(Files.readAllBytes(dir.resolve(f)));
                    bySha.merge(sha, 1, Integer::sum);
                    if (inPack) {
                        bySha.merge("packing:" + sha, 1, Integer::sum);
                    }
                } catch (NoSuchFileException e) {
                    absent.merge(f, 1, Integer::sum);
                } catch (IOException e) {
                    errors.add(f + ": " + e);
                }
            }
        }

        int seen(String file, String sha, boolean duringPackimage) {
            return seen.getOrDefault(file, Map.of()).getOrDefault((duringPackimage ? "packing:" : "") + sha, 0);
        }

        /** What was read of {@code file} that was neither its previous bytes nor its new ones. */
        Map<String, Integer> others(String file, Map<String, String> before, Map<String, String> after) {
            Map<String, Integer> out = new LinkedHashMap<>();
            seen.getOrDefault(file, Map.of()).forEach((sha, n) -> {
                String bare = sha.replaceFirst("^packing:", "");
                if (!bare.equals(before.get(file)) && !bare.equals(after.get(file))) {
                    out.put(sha, n);
                }
            });
            return out;
        }

        String counts(Map<String, String> before, Map<String, String> after) {
            StringBuilder b = new StringBuilder(polls + " polls, " + pollsPacking + " during packimage; stage archive"
                    + " read partial " + stagePartial + " times; errors " + errors);
            for (String f : files) {
                b.append("\n  ").append(f).append(": previous ").append(seen(f, before.get(f), false)).append(" (")
                        .append(seen(f, before.get(f), true)).append(" during packimage), new ")
                        .append(seen(f, after.get(f), false)).append(" (").append(seen(f, after.get(f), true))
                        .append(" during packimage), absent ").append(absent.getOrDefault(f, 0)).append(", other ")
                        .append(others(f, before, after));
            }
            return b.toString();
        }
    }
}
