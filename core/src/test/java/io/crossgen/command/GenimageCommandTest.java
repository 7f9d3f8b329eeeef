package io.crossgen.command;

import static io.crossgen.command.GenimageSamples.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.image.OsImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GenimageCommandTest {

    static Stream<Arguments> samplePairs() {
        return Stream.of(
                Arguments.of("5.2(1) doc, unquoted", GenimageSamples.DOC_DRYRUN, GenimageSamples.DOC_IMAGE),
                Arguments.of("5.2(2) completed", GenimageSamples.PR4924, GenimageSamples.PR4924_IMAGE),
                Arguments.of("5.2(3) ubuntu --tempfile", GenimageSamples.UBUNTU_TEMPFILE, GenimageSamples.UBUNTU_IMAGE),
                Arguments.of("5.2(4) completed --env", GenimageSamples.ENV, GenimageSamples.ENV_IMAGE),
                Arguments.of("5.2(5) ubuntu ppc64el", GenimageSamples.UBUNTU_PPC64EL,
                        GenimageSamples.UBUNTU_PPC64EL_IMAGE),
                Arguments.of("5.2(6) centos + failure", GenimageSamples.TRINITY, GenimageSamples.TRINITY_IMAGE),
                Arguments.of("rocky, every attribute", GenimageSamples.ROCKY_ALL, GenimageSamples.ROCKY_IMAGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplePairs")
    void predictionFromTheImageEqualsTheParsedDryRun(String label, String stdout, OsImage image) {
        GenimageCommand parsed = GenimageCommand.fromDryRun(stdout);
        GenimageCommand predicted = GenimageCommand.predict(image);
        assertTrue(predicted.diff(parsed).isEmpty(), () -> predicted.diff(parsed).toString());
        assertEquals(predicted, parsed);
        assertEquals(predicted.hashCode(), parsed.hashCode());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplePairs")
    void argvRepeatsTheDryRunWordsInOrderWithoutTempfile(String label, String stdout, OsImage image) {
        String line = stdout.lines().filter(l -> l.contains("; ./genimage")).findFirst().orElseThrow();
        String[] parts = line.substring(line.indexOf("./genimage")).replaceAll(" --tempfile \\S+", "").split("\"", -1);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (i % 2 == 1) {
                words.add(parts[i]);
            } else {
                Stream.of(parts[i].split(" ")).filter(w -> !w.isEmpty()).forEach(words::add);
            }
        }
        assertEquals(words, GenimageCommand.fromDryRun(stdout).toArgv());
    }

    @Test
    void docSampleParsesIntoTypedFields() {
        GenimageCommand cmd = GenimageCommand.fromDryRun(GenimageSamples.DOC_DRYRUN);
        assertEquals("rh", cmd.family());
        assertEquals(GenimageScript.RH, cmd.script());
        assertEquals("/opt/xcat/share/xcat/netboot/rh", cmd.folder());
        assertEquals("x86_64", cmd.arch().orElseThrow());
        assertEquals("rhels6.3", cmd.osvers());
        assertEquals("compute", cmd.profile());
        assertEquals("755", cmd.permission().orElseThrow());
        assertEquals(List.of("/install/rhels6.3/x86_64"), cmd.srcdir());
        assertEquals(List.of("/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist"), cmd.pkglist());
        assertEquals(List.of("/install/post/otherpkgs/rhels6.3/x86_64"), cmd.otherpkgdir());
        assertEquals(List.of("/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.postinstall"), cmd.postinstall());
        assertEquals("/install/netboot/rhels6.3/x86_64/compute", cmd.rootimgdir().orElseThrow());
        assertEquals("mycomputeimage", cmd.imageName().orElseThrow());
        assertEquals(List.of(), cmd.netdrivers());
        assertFalse(cmd.onlyinitrd());
        assertEquals(List.of(), cmd.extraArgs());
        assertEquals("cd /opt/xcat/share/xcat/netboot/rh && ./genimage -a x86_64 -o rhels6.3 -p compute --permission 755"
                + " --srcdir /install/rhels6.3/x86_64 --pkglist /opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist"
                + " --otherpkgdir /install/post/otherpkgs/rhels6.3/x86_64 --postinstall"
                + " /opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.postinstall --rootimgdir"
                + " /install/netboot/rhels6.3/x86_64/compute mycomputeimage", cmd.toShellLine());
        assertEquals(cmd.toShellLine(), cmd.toString());
        assertEquals(Command.builder().addArgs(cmd.toArgv()).workingDirectory("/opt/xcat/share/xcat/netboot/rh").build(),
                cmd.toCommand());
    }

    @Test
    void prefixedCrlfOutputWithStrayOnesParsesAndMatchesThePredictionPlusCliFlags() {
        GenimageCommand parsed = GenimageCommand.fromDryRun(GenimageSamples.SLE_PREFIXED);
        GenimageCommand expected = GenimageCommand.predict(GenimageSamples.SLE_IMAGE).toBuilder()
                .ignorekernelchk(true).noupdate(true).timezone("UTC").build();
        assertEquals(expected, parsed);
        assertEquals(GenimageScript.SLES, parsed.script());
        assertEquals(List.of("tg3", "e1000e"), parsed.netdrivers());
        assertEquals(List.of("dud:/install/dud/x.iso", "rpm:/install/rpm/y.rpm"), parsed.driverupdatesrc());
        assertEquals("sle15.4-x86_64-netboot-compute", parsed.imageName().orElseThrow());
        List<String> argv = parsed.toArgv();
        assertEquals(List.of("--ignorekernelchk", "--noupdate", "--timezone", "UTC", "sle15.4-x86_64-netboot-compute"),
                argv.subList(argv.size() - 5, argv.size()));
    }

    @Test
    void quotedPostinstallEntryKeepsItsArguments() {
        GenimageCommand cmd = GenimageCommand.fromDryRun(GenimageSamples.ROCKY_ALL);
        assertEquals(List.of("/install/custom/rocky9/post.sh --fast 2", "/install/custom/rocky9/post2.sh"),
                cmd.postinstall());
        assertEquals(GenimageScript.RH, cmd.script());
        assertTrue(cmd.toShellLine().contains(
                " --postinstall '/install/custom/rocky9/post.sh --fast 2,/install/custom/rocky9/post2.sh' "),
                cmd.toShellLine());
    }

    @Test
    void predictEmitsOptionsInThePluginOrder() {
        assertEquals(List.of("./genimage", "-a", "aarch64", "-o", "rocky9.2", "-p", "compute", "-n", "igb,mlx5_core",
                "-i", "eth0", "-r", "eth1,eth2", "-k", "5.14.0-284.11.1.el9_2.aarch64", "-g", "5.14.0",
                "--permission", "755", "--kerneldir", "/install/kernels/rocky9", "--env", "PROXY=http://proxy:3128,LANG=C",
                "--srcdir", "/install/rocky9.2/aarch64", "--pkglist", "/install/custom/rocky9/compute.pkglist",
                "--otherpkgdir", "/install/post/otherpkgs/rocky9.2/aarch64,https://repo.example.org/el9",
                "--otherpkglist", "/install/custom/rocky9/compute.otherpkglist",
                "--postinstall", "/install/custom/rocky9/post.sh --fast 2,/install/custom/rocky9/post2.sh",
                "--rootimgdir", "/install/netboot/rocky9.2/aarch64/compute",
                "--driverupdatesrc", "rpm:/install/drivers/mlx.rpm", "rocky9.2-aarch64-netboot-compute"),
                GenimageCommand.predict(GenimageSamples.ROCKY_IMAGE).toArgv());
    }

    @Test
    void predictDropsEmptyAndZeroValuesLikePerl() {
        OsImage img = GenimageSamples.DOC_IMAGE.with("kernelver", "0").with("netdrivers", "").with("permission", "0");
        GenimageCommand cmd = GenimageCommand.predict(img);
        assertTrue(cmd.kernelVersion().isEmpty());
        assertEquals(List.of(), cmd.netdrivers());
        assertTrue(cmd.permission().isEmpty());
    }

    @Test
    void predictRefusesWhatXcatRefuses() {
        OsImage base = GenimageSamples.DOC_IMAGE;
        assertEquals("cannot predict genimage for osimage 'mycomputeimage': osvers, osarch, profile and provmethod"
                + " must all be set (unset: osarch, provmethod)",
                assertThrows(CommandException.class, () -> GenimageCommand.predict(
                        base.without("osarch").with("provmethod", "0"))).getMessage());
        assertEquals("cannot predict genimage for osimage 'mycomputeimage': provmethod is 'install'; genimage builds"
                + " only netboot or statelite images",
                assertThrows(CommandException.class, () -> GenimageCommand.predict(
                        base.with("provmethod", "install"))).getMessage());
        assertEquals("cannot predict genimage for osimage 'mycomputeimage': pkglist is not set; xCAT's genimage"
                + " requires a .pkglist file",
                assertThrows(CommandException.class, () -> GenimageCommand.predict(
                        base.without("pkglist"))).getMessage());
        assertEquals("cannot predict genimage for osimage 'mycomputeimage': osvers 'OSVERS' gives the genimage"
                + " family 'OSVERS', and xCAT would fail: \"Unable to find genimage script in"
                + " /opt/xcat/share/xcat/netboot/OSVERS.\"",
                assertThrows(CommandException.class, () -> GenimageCommand.predict(
                        base.with("osvers", "OSVERS"))).getMessage());
    }

    @Test
    void predictKeepsEnvForUbuntuAsXcatPrintsItAndReplayExportsItInstead() {
        OsImage ubuntu = GenimageSamples.UBUNTU_IMAGE.with("environvar", "A=1,B=two");
        GenimageCommand predicted = GenimageCommand.predict(ubuntu);
        assertEquals(List.of("--env", "A=1,B=two", "--srcdir"),
                predicted.toArgv().subList(predicted.toArgv().indexOf("--env"), predicted.toArgv().indexOf("--env") + 3));
        GenimageCommand.Replay replay = predicted.replay();
        assertFalse(replay.command().toArgv().contains("--env"));
        assertEquals(Map.of("A", "1", "B", "two"), replay.environment());
        assertEquals(List.of("ubuntu/genimage has no --env: run verbatim, it would have taken '--env' as the image"
                + " name; its variables A, B are exported into genimage's environment instead"), replay.warnings());
    }

    @ParameterizedTest
    @CsvSource({
        "rhels8.8.0, rh", "rhels7.5-alternate, rh", "rhelhpc7.1, rh", "centos7.9, centos", "centos-stream9, centos-stream",
        "rocky9.2, rocky", "alma8.6, alma", "ol8.9, ol", "SL6.5, SL", "fedora38, fedora", "sles12.2, sles",
        "sles11sp4, sles", "sle15, sle", "sle15.4, sle", "leap15.5, sles", "ubuntu22.04.3, ubuntu", "debian9, debian"})
    void familyIsDerivedFromOsversAsThePluginDoes(String osvers, String family) {
        assertEquals(family, OsImage.familyOf(osvers));
        assertTrue(GenimageScript.forFamily(family).isPresent());
    }

    @Test
    void symlinkFamiliesUseTheirTargetScriptsOptionSet() {
        for (String f : List.of("centos", "centos-stream", "rocky", "alma", "ol", "SL", "fedora")) {
            assertEquals(GenimageScript.RH, GenimageScript.forFamily(f).orElseThrow(), f);
        }
        assertEquals(GenimageScript.SLES, GenimageScript.forFamily("sle").orElseThrow());
        assertTrue(GenimageScript.SLES.supports("--timezone"));
        assertFalse(GenimageScript.SLES.supports("--env"));
        assertFalse(GenimageScript.RH.supports("--timezone"));
        assertFalse(GenimageScript.RH.supports("-m"));
        assertTrue(GenimageScript.DEBIAN.supports("-m"));
        assertFalse(GenimageScript.SUSE.supports("--pkglist"));
        assertFalse(GenimageScript.RH.supports("--tempfile"));
    }

    private static GenimageCommand.Builder minimal(String family) {
        return GenimageCommand.builder().family(family).osvers("x1").profile("compute").imageName("img");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ubuntu | -g | krpmver",
        "ubuntu | --driverupdatesrc | driverupdatesrc",
        "ubuntu | --ignorekernelchk | ",
        "ubuntu | --timezone | ",
        "ubuntu | -m | ",
        "rh | --timezone | ",
        "rh | -m | ",
        "suse | --pkglist | pkglist",
        "mic | -n | netdrivers"})
    void anOptionTheFamilysScriptLacksIsDroppedByReplayWithAWarning(String family, String option, String attribute) {
        GenimageOption o = GenimageOption.bySpelling(option).orElseThrow();
        boolean flag = o.kind() == GenimageOption.Kind.FLAG;
        GenimageCommand cmd = minimal(family).set(o, flag ? List.of() : List.of("v")).build();
        assertTrue(cmd.toArgv().contains(option), "accepted as printed");
        GenimageCommand.Replay replay = cmd.replay();
        assertEquals(List.of("./genimage", "-o", "x1", "-p", "compute", "img"), replay.command().toArgv());
        assertEquals(Map.of(), replay.environment());
        assertEquals(List.of(family + "/genimage has no " + option + ": run verbatim, it would have taken '" + option
                + "' as the image name; left out, so " + option + (flag ? "" : " v")
                + (attribute == null ? "" : " (osimage attribute " + attribute + ")") + " has no effect on this build"),
                replay.warnings());
    }

    @Test
    void aSymlinkFamilyNamesItsScriptInTheWarning() {
        GenimageCommand.Replay replay = minimal("sle").env(List.of("A=1")).build().replay();
        assertEquals(List.of("sles/genimage (family sle) has no --env: run verbatim, it would have taken '--env' as"
                + " the image name; its variables A are exported into genimage's environment instead"),
                replay.warnings());
        assertEquals(Map.of("A", "1"), replay.environment());
    }

    @Test
    void replayOfAScriptWithEveryOptionChangesNothing() {
        GenimageCommand cmd = minimal("rh").env(List.of("A=1")).driverupdatesrc(List.of("dud:/d.iso")).build();
        assertEquals(new GenimageCommand.Replay(cmd, Map.of(), List.of()), cmd.replay());
    }

    @Test
    void environmentItemsAreReadAsRhGenimageReadsThemAndBadNamesAreLeftOutWithAWarning() {
        GenimageCommand.Replay replay = GenimageCommand.fromDryRun("cd /opt/xcat/share/xcat/netboot/ubuntu;"
                + " ./genimage -o ubuntu22.04 -p c --env URL=http://h/?a=b,,9LIVES=1,NOVALUE,LANG=C, img").replay();
        assertEquals(List.of("URL", "NOVALUE", "LANG"), List.copyOf(replay.environment().keySet()));
        assertEquals("http://h/?a", replay.environment().get("URL"));
        assertEquals("", replay.environment().get("NOVALUE"));
        assertEquals(List.of("ubuntu/genimage has no --env: run verbatim, it would have taken '--env' as the image"
                        + " name; its variables URL, NOVALUE, LANG are exported into genimage's environment instead",
                "environvar item 'URL=http://h/?a=b': rh/genimage keeps only 'http://h/?a' as the value of URL (it ends"
                        + " at the second '='); so does crossgen",
                "environvar item '9LIVES=1' is left out: '9LIVES' is not a shell variable name"
                        + " ([A-Za-z_][A-Za-z0-9_]*)"), replay.warnings());
        assertEquals(List.of("./genimage", "-o", "ubuntu22.04", "-p", "c", "img"), replay.command().toArgv());
    }

    @Test
    void buildRefusesIncompleteOrMalformedCommands() {
        Map<String, GenimageCommand.Builder> cases = new java.util.LinkedHashMap<>();
        cases.put("genimage needs a family: the folder under /opt/xcat/share/xcat/netboot that holds the script, e.g. rh",
                minimal(null));
        cases.put("no genimage script is known for family 'openeuler'; known families: SL, alma, centos, centos-stream,"
                + " debian, fedora, fedora12, mic, ol, rh, rocky, sle, sles, suse, ubuntu", minimal("openeuler"));
        cases.put("genimage needs -o (osvers): without it the script prints its usage and exits 1",
                minimal("rh").osvers(null));
        cases.put("genimage needs -p (profile): without it the script prints its usage and exits 1",
                minimal("rh").profile(null));
        cases.put("xcatRoot must be an absolute path, not 'opt/xcat'", minimal("rh").xcatRoot("opt/xcat"));
        cases.put("genimage option -k has an empty value", minimal("rh").kernelVersion(""));
        cases.put("genimage option --pkglist: item 'a,b' holds a comma, which the script reads as an item separator",
                minimal("rh").pkglist(List.of("a,b")));
        cases.put("genimage image name must not be empty", minimal("rh").imageName(""));
        cases.put("genimage image name '-img' starts with '-': the script would read it as an option",
                minimal("rh").imageName("-img"));
        cases.put("extra argument '--pkglist=/a' is a genimage option crossgen models: set it with its own builder"
                + " method", minimal("rh").extraArgs(List.of("--pkglist=/a")));
        cases.put("extra argument '--tempfile' is a genimage option crossgen models: set it with its own builder"
                + " method", minimal("rh").extraArgs(List.of("--tempfile", "/tmp/x")));
        cases.forEach((message, builder) -> assertEquals(message,
                assertThrows(IllegalArgumentException.class, builder::build).getMessage()));
    }

    @Test
    void listSettersStripItemsAndDropEmptyOnesAndFlagsCanBeCleared() {
        GenimageCommand cmd = minimal("rh").pkglist(List.of(" /a ", "", "/b")).netdrivers(List.of())
                .onlyinitrd(true).onlyinitrd(false).build();
        assertEquals(List.of("/a", "/b"), cmd.pkglist());
        assertEquals(List.of("./genimage", "-o", "x1", "-p", "compute", "--pkglist", "/a,/b", "img"), cmd.toArgv());
        assertEquals(cmd, cmd.toBuilder().build());
        GenimageCommand noName = cmd.toBuilder().imageName(null).build();
        assertEquals(List.of("./genimage", "-o", "x1", "-p", "compute", "--pkglist", "/a,/b"), noName.toArgv());
    }

    @Test
    void unknownWordsAreKeptBeforeTheImageName() {
        GenimageCommand cmd = GenimageCommand.fromDryRun("cd /opt/xcat/share/xcat/netboot/rh; ./genimage -o rhels9.4"
                + " -p compute --newoption value --pkglist /p myimage");
        assertEquals(List.of("--newoption", "value"), cmd.extraArgs());
        assertEquals(List.of("./genimage", "-o", "rhels9.4", "-p", "compute", "--pkglist", "/p", "--newoption", "value",
                "myimage"), cmd.toArgv());
    }

    @Test
    void longOptionsWithEqualsAndAnotherXcatRootAreRead() {
        GenimageCommand cmd = GenimageCommand.fromDryRun("cd /usr/local/xcat/share/xcat/netboot/rh; ./genimage"
                + " -o rhels9.4 -p compute --pkglist=/a,/b --tempfile=/tmp/x img");
        assertEquals("/usr/local/xcat", cmd.xcatRoot());
        assertEquals("/usr/local/xcat/share/xcat/netboot/rh", cmd.folder());
        assertEquals(List.of("/a", "/b"), cmd.pkglist());
    }

    @Test
    void anImageNamedOneAfterTheStrayOneIsKept() {
        GenimageCommand cmd = GenimageCommand.fromDryRun(
                "cd /opt/xcat/share/xcat/netboot/rh; ./genimage -o rhels9.4 -p compute --noupdate 1 1");
        assertTrue(cmd.noupdate());
        assertEquals("1", cmd.imageName().orElseThrow());
    }

    @Test
    void truncatedSamplesAreRejectedAsCutShort() {
        assertEquals("genimage --dryrun line does not end with an image name (the last word"
                + " '/install/netboot/rhels7.4/ppc64...' is the value of --rootimgdir); is the output cut short? "
                + cut(GenimageSamples.PR4924_TRUNCATED.lines().skip(1).findFirst().orElseThrow()),
                assertThrows(CommandException.class,
                        () -> GenimageCommand.fromDryRun(GenimageSamples.PR4924_TRUNCATED)).getMessage());
        assertEquals("genimage --dryrun line does not end with an image name (the last word"
                + " '/opt/xcat/share/xcat/netboot/rh/compute.rhels7.ppc64le.pkglist,/opt/xcat/.../pkglist/test1.pkglist,...'"
                + " is the value of --pkglist); is the output cut short? " + cut(GenimageSamples.ENV_TRUNCATED.strip()),
                assertThrows(CommandException.class,
                        () -> GenimageCommand.fromDryRun(GenimageSamples.ENV_TRUNCATED)).getMessage());
    }

    private static String cut(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    @Test
    void malformedLinesAreRejectedWithTheReason() {
        String cd = "cd /opt/xcat/share/xcat/netboot/rh; ./genimage";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(cd + " -o r -p c --srcdir \"/a img",
                "genimage --dryrun line has an unterminated double quote: " + cd + " -o r -p c --srcdir \"/a img");
        cases.put(cd + " -o r -p c -o s img", "genimage --dryrun line gives -o twice: " + cd + " -o r -p c -o s img");
        cases.put(cd + " -o r -p c --rootimgdir",
                "genimage --dryrun line ends with option --rootimgdir but no value; is the output cut short? "
                        + cd + " -o r -p c --rootimgdir");
        cases.put(cd + " -o r -p c --noupdate 1",
                "genimage --dryrun line does not end with an image name (the last word '1' is the stray 1 xCAT"
                        + " writes after --noupdate); is the output cut short? " + cd + " -o r -p c --noupdate 1");
        cases.put(cd, "genimage --dryrun line does not end with an image name; is the output cut short? " + cd);
        cases.put("cd /tmp/rh; ./genimage -o r -p c img", "genimage --dryrun line changes into '/tmp/rh', which is not a"
                + " <XCATROOT>/share/xcat/netboot/<family> folder: cd /tmp/rh; ./genimage -o r -p c img");
        cases.put("cd /opt/xcat/share/xcat/netboot/openeuler; ./genimage -o openeuler22.03 -p c img",
                "genimage --dryrun line cannot be replayed on a builder: no genimage script is known for family"
                        + " 'openeuler'; known families: SL, alma, centos, centos-stream, debian, fedora, fedora12, mic,"
                        + " ol, rh, rocky, sle, sles, suse, ubuntu");
        cases.forEach((stdout, message) -> assertEquals(message,
                assertThrows(CommandException.class, () -> GenimageCommand.fromDryRun(stdout)).getMessage(), stdout));
    }

    @Test
    void outputWithoutACommandLineIsQuotedInTheError() {
        CommandException e = assertThrows(CommandException.class,
                () -> GenimageCommand.fromDryRun("Generating image: \n"));
        assertEquals("genimage --dryrun printed no 'cd <folder>; ./genimage ...' line (with --interactive, --dryrun"
                + " stops after 'Generating image:'); it printed:\n  | Generating image: ", e.getMessage());
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            many.append("line ").append(i).append('\n');
        }
        assertEquals("genimage --dryrun printed no 'cd <folder>; ./genimage ...' line (with --interactive, --dryrun"
                + " stops after 'Generating image:'); it printed:\n  | line 1\n  | line 2\n  | line 3\n  | line 4\n"
                + "  | line 5\n  | ... (3 more lines)",
                assertThrows(CommandException.class, () -> GenimageCommand.fromDryRun(many.toString())).getMessage());
        assertEquals("genimage --dryrun printed no 'cd <folder>; ./genimage ...' line (with --interactive, --dryrun"
                + " stops after 'Generating image:'); it printed: (nothing)",
                assertThrows(CommandException.class, () -> GenimageCommand.fromDryRun("")).getMessage());
    }

    @Test
    void twoDifferentCommandLinesAreAmbiguousButARepeatedOneIsNot() {
        String a = "cd /opt/xcat/share/xcat/netboot/rh; ./genimage -o r -p c a";
        String b = "cd /opt/xcat/share/xcat/netboot/rh; ./genimage -o r -p c b";
        assertEquals("a", GenimageCommand.fromDryRun(a + "\n[mn]: " + a + "\n").imageName().orElseThrow());
        assertEquals("genimage --dryrun printed 2 different 'cd <folder>; ./genimage' lines; expected one:\n  | " + a
                + "\n  | " + b, assertThrows(CommandException.class,
                        () -> GenimageCommand.fromDryRun(a + "\n" + b)).getMessage());
    }

    @Test
    void anErrorOnStderrBecomesAnExceptionCarryingXcatsMessage() {
        CommandException e = assertThrows(CommandException.class, () -> GenimageCommand.fromDryRun("Generating image: \n",
                "Error: [xcatmn]: Cannot find image 'nope' from the osimage table.\n", 1));
        assertEquals("genimage --dryrun failed (exit 1): Cannot find image 'nope' from the osimage table.",
                e.getMessage());
        assertEquals("genimage --dryrun failed (exit 1): The pkglist specified '/x.pkglist' does not exist!; A second",
                assertThrows(CommandException.class, () -> GenimageCommand.fromDryRun("",
                        "Error: The pkglist specified '/x.pkglist' does not exist!\nError: [mn]: A second\n", 1))
                        .getMessage());
        assertEquals("genimage --dryrun failed (exit 1) and printed no 'Error:' line; stderr:\n  | Segmentation fault",
                assertThrows(CommandException.class, () -> GenimageCommand.fromDryRun(GenimageSamples.DOC_DRYRUN,
                        "Segmentation fault\n", 1)).getMessage());
        assertEquals("genimage --dryrun failed (exit 2) and printed no 'Error:' line; stdout:\n  | Generating image:",
                assertThrows(CommandException.class, () -> GenimageCommand.fromDryRun("Generating image:\n", "", 2))
                        .getMessage());
        assertEquals(GenimageCommand.fromDryRun(GenimageSamples.DOC_DRYRUN),
                GenimageCommand.fromDryRun(GenimageSamples.DOC_DRYRUN, "", 0));
    }

    @Test
    void diffListsEachDifferingOptionAndPrintsOneLineEach() {
        GenimageCommand predicted = GenimageCommand.predict(GenimageSamples.DOC_IMAGE);
        GenimageCommand dryRun = predicted.toBuilder().netdrivers(List.of("tg3")).permission(null)
                .pkglist(List.of("/a.pkglist", "/b.pkglist")).onlyinitrd(true).imageName("other").build();
        GenimageDiff diff = predicted.diff(dryRun).withLabels("predicted", "dry-run");
        assertEquals(List.of(
                new GenimageDiff.Entry("-n", "(unset)", "tg3"),
                new GenimageDiff.Entry("--permission", "755", "(unset)"),
                new GenimageDiff.Entry("--onlyinitrd", "(unset)", "set"),
                new GenimageDiff.Entry("--pkglist", "/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist",
                        "/a.pkglist,/b.pkglist"),
                new GenimageDiff.Entry("image name", "mycomputeimage", "other")), diff.entries());
        assertEquals("5 differences between predicted and dry-run genimage:\n"
                + "  -n: (unset) (predicted) vs tg3 (dry-run)\n"
                + "  --permission: 755 (predicted) vs (unset) (dry-run)\n"
                + "  --onlyinitrd: (unset) (predicted) vs set (dry-run)\n"
                + "  --pkglist: /opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist (predicted) vs"
                + " /a.pkglist,/b.pkglist (dry-run)\n"
                + "  image name: mycomputeimage (predicted) vs other (dry-run)", diff.toString());
        GenimageDiff same = predicted.diff(predicted);
        assertTrue(same.isEmpty());
        assertEquals("no differences between this and other genimage", same.toString());
        GenimageDiff family = predicted.diff(predicted.toBuilder().family("centos").build());
        assertEquals(List.of(new GenimageDiff.Entry("family", "rh", "centos")), family.entries());
        assertEquals("1 difference between this and other genimage:\n  family: rh (this) vs centos (other)",
                family.toString());
    }

    @Test
    void shellLineRunsTheScriptInItsFolderWithTheExactArgv(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("xcat root");
        RealShell.script(root.resolve("share/xcat/netboot/rh/genimage"), RealShell.ARGV_PRINTER);
        GenimageCommand cmd = GenimageCommand.predict(GenimageSamples.ROCKY_IMAGE).toBuilder()
                .xcatRoot(root.toString()).family("rh")
                .postinstall(List.of("/x/post.sh 'quoted' $HOME `id`", "/y/post.sh; rm -rf /"))
                .env(List.of("A=$(id)", "B=it's"))
                .build();
        for (String shell : RealShell.SHELLS) {
            List<List<String>> argvs = RealShell.argvs(RealShell.run(shell, cmd.toShellLine(), null, Map.of()));
            List<String> expected = new ArrayList<>();
            for (String w : cmd.toArgv().subList(1, cmd.toArgv().size())) {
                expected.add(RealShell.bytes(w));
            }
            assertEquals(List.of(expected), argvs, shell);
        }
    }
}
