package io.crossgen.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crossgen.image.OsImage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One row per family: the line xCAT's genimage.pm prints for the same image (options in its order, --env and
 * --driverupdatesrc whatever the family, --timezone only for the sles family, the pkglist's trailing comma kept),
 * what crossgen parses from it, what it predicts, and what the builder runs instead.
 */
class GenimageFamilyVectorsTest {
    private static final String OPTIONS = "--permission 755 --env SITE=lab,LANG=C --srcdir \"/install/OS/x86_64\""
            + " --pkglist /p/a.pkglist, --rootimgdir /install/netboot/OS/x86_64/compute --driverupdatesrc dud:/d.iso";

    private static OsImage image(String osvers) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("imagetype", "linux");
        a.put("osarch", "x86_64");
        a.put("osvers", osvers);
        a.put("profile", "compute");
        a.put("provmethod", "netboot");
        a.put("permission", "755");
        a.put("environvar", "SITE=lab,LANG=C");
        a.put("pkgdir", "/install/" + osvers + "/x86_64");
        a.put("pkglist", "/p/a.pkglist,");
        a.put("rootimgdir", "/install/netboot/" + osvers + "/x86_64/compute");
        a.put("driverupdatesrc", "dud:/d.iso");
        return OsImage.of("img", a);
    }

    private static String printed(String family, String osvers, String timezone) {
        return "Generating image: \ncd /opt/xcat/share/xcat/netboot/" + family + "; ./genimage -a x86_64 -o " + osvers
                + " -p compute " + OPTIONS.replace("OS", osvers) + (timezone.isEmpty() ? "" : " --timezone " + timezone)
                + " img\n";
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.replace("\"", "").split(" ")).filter(w -> !w.isEmpty()).toList();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // osvers  | family | --timezone | kept by the builder's script                       | exported
        "rhels8.8.0 | rh     |      | --permission --env --srcdir --pkglist --rootimgdir --driverupdatesrc |",
        "fedora12   | fedora |      | --permission --env --srcdir --pkglist --rootimgdir --driverupdatesrc |",
        "sles12.2   | sles   | UTC  | --permission --srcdir --pkglist --rootimgdir --driverupdatesrc --timezone | SITE=lab LANG=C",
        "leap15.3   | sles   | UTC  | --permission --srcdir --pkglist --rootimgdir --driverupdatesrc --timezone | SITE=lab LANG=C",
        "sle15.4    | sle    |      | --permission --srcdir --pkglist --rootimgdir --driverupdatesrc | SITE=lab LANG=C",
        "ubuntu22.04 | ubuntu |     | --permission --srcdir --pkglist --rootimgdir | SITE=lab LANG=C",
        "debian11   | debian |      | --permission --srcdir --pkglist --rootimgdir | SITE=lab LANG=C",
        "suse11     | suse   |      | | SITE=lab LANG=C",
        "mic3.1     | mic    |      | --srcdir --pkglist --rootimgdir | SITE=lab LANG=C"})
    void printedLineParsesEqualsThePredictionAndReplaysWhatTheScriptKnows(String osvers, String family,
            String timezone, String kept, String exported) {
        String tz = timezone == null ? "" : timezone;
        String stdout = printed(family, osvers, tz);
        GenimageCommand parsed = GenimageCommand.fromDryRun(stdout);
        String line = stdout.lines().filter(l -> l.startsWith("cd ")).findFirst().orElseThrow();
        assertEquals(words(line.substring(line.indexOf("./genimage"))), parsed.toArgv());
        assertEquals(family, parsed.family());

        GenimageCommand predicted = GenimageCommand.predict(image(osvers), Optional.of("UTC"));
        assertEquals(parsed, predicted, () -> predicted.diff(parsed).toString());

        GenimageCommand.Replay replay = parsed.replay();
        List<String> keep = kept == null ? List.of() : words(kept);
        List<String> argv = parsed.toArgv();
        List<String> expected = new java.util.ArrayList<>(argv.subList(0, 7));
        for (int i = 7; i < argv.size() - 1; i += 2) {
            if (keep.contains(argv.get(i))) {
                expected.addAll(argv.subList(i, i + 2));
            }
        }
        expected.add("img");
        assertEquals(expected, replay.command().toArgv());
        Map<String, String> env = new LinkedHashMap<>();
        if (exported != null) {
            for (String kv : exported.split(" ")) {
                env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        assertEquals(env, replay.environment());
        int dropped = (argv.size() - expected.size()) / 2;
        assertEquals(dropped, replay.warnings().size(), () -> replay.warnings().toString());
    }

    @ParameterizedTest
    @CsvSource({"leap42.3, leap", "opensuse13.2, opensuse", "OSVERS, OSVERS"})
    void predictFailsAsXcatDoesForAFamilyWithoutAFolder(String osvers, String family) {
        CommandException e = assertThrows(CommandException.class, () -> GenimageCommand.predict(image(osvers)));
        assertEquals("cannot predict genimage for osimage 'img': osvers '" + osvers + "' gives the genimage family '"
                + family + "', and xCAT would fail: \"Unable to find genimage script in /opt/xcat/share/xcat/netboot/"
                + family + ".\"", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"sle15.4, sle", "rhels8.8.0, rh", "ubuntu22.04, ubuntu"})
    void timezoneIsPredictedOnlyForTheSlesFamily(String osvers, String family) {
        GenimageCommand predicted = GenimageCommand.predict(image(osvers), Optional.of("UTC"));
        assertEquals(family, predicted.family());
        assertEquals(Optional.empty(), predicted.timezone());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a.pkglist,       | a.pkglist,   | ",
        "a.pkglist,,b     | a.pkglist,,b | ",
        "a.pkglist, b     | a.pkglist,   | b",
        ",a.pkglist       | ,a.pkglist   | "})
    void commaListsArePassedThroughExactlyAsWrittenAndBlanksSplitAsInXcatsLine(String pkglist, String value,
            String stray) {
        OsImage img = image("rhels8.8.0").with("pkglist", pkglist);
        GenimageCommand predicted = GenimageCommand.predict(img);
        List<String> argv = predicted.toArgv();
        assertEquals(value, argv.get(argv.indexOf("--pkglist") + 1));
        assertEquals(stray == null ? List.of() : List.of(stray), predicted.extraArgs());
        String line = "cd /opt/xcat/share/xcat/netboot/rh; ./genimage -a x86_64 -o rhels8.8.0 -p compute "
                + OPTIONS.replace("OS", "rhels8.8.0").replace("/p/a.pkglist,", pkglist) + " img";
        assertEquals(GenimageCommand.fromDryRun(line), predicted);
    }

    @org.junit.jupiter.api.Test
    void micTakesItsImageNameFromImagenameWhenGiven() {
        GenimageCommand cmd = GenimageCommand.fromDryRun("cd /opt/xcat/share/xcat/netboot/mic; ./genimage -o mic3.1"
                + " -p compute --imagename=micimg --permission 755");
        assertEquals(Optional.of("micimg"), cmd.imageNameOption());
        assertEquals(Optional.empty(), cmd.imageName());
        GenimageCommand.Replay replay = cmd.replay();
        assertEquals(List.of("./genimage", "-o", "mic3.1", "-p", "compute", "--imagename", "micimg"),
                replay.command().toArgv());
        assertEquals(List.of("mic/genimage has no --permission: run verbatim, its value would have become a stray"
                + " word; left out, so --permission 755 (osimage attribute permission) has no effect on this build"),
                replay.warnings());
    }
}
