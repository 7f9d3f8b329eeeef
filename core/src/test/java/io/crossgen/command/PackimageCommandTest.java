package io.crossgen.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.PackimageCommand.Compressor;
import io.crossgen.command.PackimageCommand.Method;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PackimageCommandTest {
    /** XCAT.md 5.3, issue #6014. */
    static final String CPIO_GZIP = "Packing contents of /install/netboot/centos7.6/x86_64/compute/rootimg\n"
            + "archive method:cpio\n"
            + "compress method:gzip\n";

    @Test
    void defaultCommandIsJustTheImageName() {
        PackimageCommand p = PackimageCommand.of("rhels8-compute");
        assertEquals(List.of("packimage", "rhels8-compute"), p.toArgv());
        assertEquals(Command.of("packimage", "rhels8-compute"), p.toCommand());
        assertEquals(Method.CPIO, p.effectiveMethod());
        assertEquals(Optional.empty(), p.archiveName());
        assertEquals("packimage rhels8-compute", p.toString());
    }

    @Test
    void everyOptionIsWrittenInUsageOrder() {
        PackimageCommand p = PackimageCommand.builder("img").method(Method.TAR).compressor(Compressor.PIGZ)
                .noSyncFiles(true).build();
        assertEquals(List.of("packimage", "-m", "tar", "-c", "pigz", "--nosyncfiles", "img"), p.toArgv());
        assertEquals(p, p.toBuilder().build());
    }

    @ParameterizedTest
    @CsvSource({"CPIO, GZIP, rootimg.cpio.gz", "CPIO, PIGZ, rootimg.cpio.gz", "CPIO, XZ, rootimg.cpio.xz",
        "TAR, GZIP, rootimg.tar.gz", "TAR, PIGZ, rootimg.tar.gz", "TAR, XZ, rootimg.tar.xz"})
    void archiveNameFollowsMethodAndCompressor(Method method, Compressor compressor, String name) {
        PackimageCommand p = PackimageCommand.builder("img").method(method).compressor(compressor).build();
        assertEquals(Optional.of(name), p.archiveName());
        PackimageCommand unknown = PackimageCommand.builder("img").method(method).build();
        assertEquals(Optional.empty(), unknown.archiveName());
        assertEquals(name, unknown.archiveName(compressor));
    }

    @Test
    void squashfsIsAlwaysRootimgSfs() {
        PackimageCommand p = PackimageCommand.builder("img").method(Method.SQUASHFS).build();
        assertEquals(Optional.of("rootimg.sfs"), p.archiveName());
        assertEquals("rootimg.sfs", p.archiveName(Compressor.XZ));
        assertEquals("rootimg.cpio.gz", PackimageCommand.of("img").archiveName(Compressor.PIGZ));
    }

    @Test
    void buildRefusesSquashfsWithACompressorAndAMissingOrDashedName() {
        assertEquals("packimage -m squashfs takes no -c: a squashfs image (rootimg.sfs) is not compressed by"
                + " packimage, so -c xz has no effect", assertThrows(IllegalArgumentException.class,
                        () -> PackimageCommand.builder("img").method(Method.SQUASHFS).compressor(Compressor.XZ).build())
                        .getMessage());
        assertEquals("packimage needs an osimage name: since xCAT 2.12.3 it takes only 'packimage <osimage>'",
                assertThrows(IllegalArgumentException.class, () -> PackimageCommand.of("")).getMessage());
        assertEquals("packimage needs an osimage name: since xCAT 2.12.3 it takes only 'packimage <osimage>'",
                assertThrows(IllegalArgumentException.class, () -> PackimageCommand.of(null)).getMessage());
        assertEquals("packimage image name '-o' starts with '-': packimage would read it as an option",
                assertThrows(IllegalArgumentException.class, () -> PackimageCommand.of("-o")).getMessage());
    }

    @Test
    void sampleOutputGivesRootimgMethodCompressorAndArchivePath() {
        PackimageResult r = PackimageCommand.of("centos7.6-x86_64-netboot-compute").parseResult(CPIO_GZIP);
        assertEquals("/install/netboot/centos7.6/x86_64/compute/rootimg", r.rootimg());
        assertEquals("/install/netboot/centos7.6/x86_64/compute", r.rootimgdir());
        assertEquals(Method.CPIO, r.method());
        assertEquals(Optional.of(Compressor.GZIP), r.compressor());
        assertEquals(Optional.of("rootimg.cpio.gz"), r.archiveName());
        assertEquals(Optional.of("/install/netboot/centos7.6/x86_64/compute/rootimg.cpio.gz"), r.archivePath());
        assertEquals(List.of(), r.messages());
    }

    @Test
    void pigzChosenByPackimageIsReadFromItsOutputWithInfoLinesAndHostPrefixes() {
        String out = "[xcatmn]: No timezone defined in site table, skipping timezone /etc/localtime configuration\n"
                + "[xcatmn]: Packing contents of /install/netboot/rhels8.8.0/ppc64le/compute/rootimg\n"
                + "[xcatmn]: archive method:tar\n"
                + "[xcatmn]: compress method:pigz\n"
                + "\n"
                + "[xcatmn]: 1234567 blocks\n";
        PackimageResult r = PackimageCommand.builder("img").method(Method.TAR).build().parseResult(out, "", 0);
        assertEquals(Method.TAR, r.method());
        assertEquals(Optional.of(Compressor.PIGZ), r.compressor());
        assertEquals(Optional.of("/install/netboot/rhels8.8.0/ppc64le/compute/rootimg.tar.gz"), r.archivePath());
        assertEquals(List.of("No timezone defined in site table, skipping timezone /etc/localtime configuration",
                "1234567 blocks"), r.messages());
    }

    @Test
    void squashfsOutputHasNoCompressLine() {
        String out = "Packing contents of /install/netboot/rhels9.4/x86_64/compute/rootimg\narchive method:squashfs\n";
        PackimageResult r = PackimageCommand.builder("img").method(Method.SQUASHFS).build().parseResult(out);
        assertEquals(Optional.empty(), r.compressor());
        assertEquals(Optional.of("/install/netboot/rhels9.4/x86_64/compute/rootimg.sfs"), r.archivePath());
    }

    @Test
    void withoutACompressLineTheRequestedCompressorIsUsedAndOtherwiseThePathIsUnknown() {
        String out = "Packing contents of /install/netboot/x/rootimg\narchive method:cpio\n";
        assertEquals(Optional.of("/install/netboot/x/rootimg.cpio.xz"), PackimageCommand.builder("img")
                .compressor(Compressor.XZ).build().parseResult(out).archivePath());
        PackimageResult unknown = PackimageCommand.of("img").parseResult(out);
        assertEquals(Optional.empty(), unknown.compressor());
        assertEquals(Optional.empty(), unknown.archivePath());
    }

    @Test
    void outputThatContradictsTheCommandIsRefused() {
        PackimageCommand tarXz = PackimageCommand.builder("img").method(Method.TAR).compressor(Compressor.XZ).build();
        assertEquals("packimage img was asked for -m tar but reports archive method:cpio",
                assertThrows(CommandException.class, () -> tarXz.parseResult(CPIO_GZIP)).getMessage());
        PackimageCommand xz = PackimageCommand.builder("img").compressor(Compressor.XZ).build();
        assertEquals("packimage img was asked for -c xz but reports compress method:gzip",
                assertThrows(CommandException.class, () -> xz.parseResult(CPIO_GZIP)).getMessage());
        assertEquals("packimage img reports archive method 'zip', which crossgen does not know (cpio, tar, squashfs)",
                assertThrows(CommandException.class, () -> PackimageCommand.of("img").parseResult(
                        CPIO_GZIP.replace("method:cpio", "method:zip"))).getMessage());
        assertEquals("packimage img reports compress method 'zstd', which crossgen does not know (gzip, pigz, xz)",
                assertThrows(CommandException.class, () -> PackimageCommand.of("img").parseResult(
                        CPIO_GZIP.replace("method:gzip", "method:zstd"))).getMessage());
    }

    @Test
    void usageOutputWithoutPackingLineIsRefusedQuotingIt() {
        String usage = "Usage: packimage [-h| --help]\n       packimage [-v| --version]\n";
        assertEquals("packimage img printed no 'Packing contents of <rootimg>' line; it printed:\n"
                + "  | Usage: packimage [-h| --help]\n  |        packimage [-v| --version]",
                assertThrows(CommandException.class, () -> PackimageCommand.of("img").parseResult(usage)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-o, -p and -a options are obsoleted, please use 'packimage <osimage name>' instead."
                + " | since xCAT 2.12.3 packimage takes only the osimage name: packimage <osimage>",
        "An image name is required, use 'packimage <osimage name>'."
                + " | since xCAT 2.12.3 packimage takes only the osimage name: packimage <osimage>",
        "Invalid archive method 'zip' requested | -m takes cpio, tar or squashfs",
        "Invalid compress method 'zstd' requested | -c takes gzip, pigz or xz",
        "Command pigz does not exist, please make sure it is installed. | install pigz on the management node, or pass -c gzip",
        "No compress command is found, please specify an available compress method with '-c'."
                + " | neither pigz nor gzip was found on the management node; install one, or pass -c xz",
        "failed to acquire lock, seems there is another genimage/packimage/rmimage process 4242 running on root image"
                + " dir /install/netboot/x/rootimg | another genimage, packimage or rmimage works on the same root image;"
                + " wait for it, or remove a stale lock under /var/lock/xcat"})
    void knownFailuresCarryXcatsTextAndWhatToDo(String xcat, String hint) {
        CommandException e = assertThrows(CommandException.class,
                () -> PackimageCommand.of("img").parseResult("", "Error: [xcatmn]: " + xcat + "\n", 1));
        assertEquals("packimage img failed (exit 1): " + xcat + " (" + hint + ")", e.getMessage());
    }

    @Test
    void archiverFailureSpanningTwoLinesKeepsTheCommand() {
        String stdout = "Packing contents of /install/netboot/x/rootimg\narchive method:cpio\ncompress method:pigz\n";
        String stderr = "Error: [xcatmn]: packimage failed while running: \n"
                + " cd /install/netboot/x/rootimg; find . | cpio -H newc -o | pigz -c - > ../rootimg.cpio.gz\n";
        assertEquals("packimage img failed (exit 1): packimage failed while running: cd /install/netboot/x/rootimg;"
                + " find . | cpio -H newc -o | pigz -c - > ../rootimg.cpio.gz (the archiver failed on the management"
                + " node; run the command shown there to see why)",
                assertThrows(CommandException.class, () -> PackimageCommand.of("img").parseResult(stdout, stderr, 1))
                        .getMessage());
    }

    @Test
    void unknownFailureAndSilentNonZeroExitAreStillFailures() {
        assertEquals("packimage img failed (exit 1): 'img' cannot be used, provmethod is not netboot",
                assertThrows(CommandException.class, () -> PackimageCommand.of("img").parseResult("",
                        "Error: 'img' cannot be used, provmethod is not netboot\n", 1)).getMessage());
        assertEquals("packimage img failed (exit 1) and printed no 'Error:' line; stdout:\n  | Packing contents of /r",
                assertThrows(CommandException.class, () -> PackimageCommand.of("img").parseResult(
                        "Packing contents of /r\n", "", 1)).getMessage());
        assertEquals("packimage img failed (exit 0): Invalid archive method 'x' requested (-m takes cpio, tar or"
                + " squashfs)", assertThrows(CommandException.class, () -> PackimageCommand.of("img").parseResult(
                        "Error: [mn]: Invalid archive method 'x' requested\n", "", 0)).getMessage());
    }

    @Test
    void resultKeepsAtMostTwentyMessages() {
        StringBuilder out = new StringBuilder(CPIO_GZIP);
        for (int i = 0; i < 50; i++) {
            out.append("block ").append(i).append('\n');
        }
        PackimageResult r = PackimageCommand.of("img").parseResult(out.toString());
        assertEquals(PackimageResult.MAX_MESSAGES, r.messages().size());
        assertTrue(r.messages().get(0).equals("block 0"));
    }
}
