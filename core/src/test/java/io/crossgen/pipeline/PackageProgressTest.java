package io.crossgen.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The package managers' own output, as genimage passes it on, read into counters. */
class PackageProgressTest {

    private static List<String> counters(String sample) throws IOException {
        String text;
        try (InputStream in = PackageProgressTest.class.getResourceAsStream(sample)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        PackageProgress p = new PackageProgress();
        return text.lines().map(p::read).flatMap(Optional::stream).map(Object::toString).toList();
    }

    @Test
    void dnfCountsItsDownloadsThenItsTransaction() throws Exception {
        assertEquals(List.of("downloading 1/3 packages", "downloading 2/3 packages", "downloading 3/3 packages",
                "installing 1/3 packages", "installing 2/3 packages", "running scriptlet 3/3 packages",
                "installing 3/3 packages", "running scriptlet 3/3 packages", "verifying 1/3 packages",
                "verifying 2/3 packages", "verifying 3/3 packages"), counters("dnf-install.txt"));
    }

    @Test
    void yumOfOlderReleasesCountsTheSameWay() throws Exception {
        assertEquals(List.of("downloading 1/2 packages", "downloading 2/2 packages", "installing 1/2 packages",
                "installing 2/2 packages", "verifying 1/2 packages", "verifying 2/2 packages"),
                counters("yum-install.txt"));
    }

    @Test
    void zypperCountsItsRetrievalsAndInstalls() throws Exception {
        assertEquals(List.of("downloading 1/3 packages", "downloading 2/3 packages", "downloading 3/3 packages",
                "installing 1/3 packages", "installing 2/3 packages", "installing 3/3 packages"),
                counters("zypper-install.txt"));
    }

    @Test
    void aptIsCountedAgainstTheTotalOfItsNewlyInstalledLine() throws Exception {
        assertEquals(List.of("unpacking 1/3 packages", "unpacking 2/3 packages", "unpacking 3/3 packages",
                "setting up 1/3 packages", "setting up 2/3 packages", "setting up 3/3 packages"),
                counters("apt-install.txt"));
    }

    @Test
    void linesThatMerelyLookAlikeAreNoCounters() {
        PackageProgress p = new PackageProgress();
        assertEquals(Optional.empty(), p.read("Installing bash"));
        assertEquals(Optional.empty(), p.read("  Preparing        :                                   1/1 "));
        assertEquals(Optional.empty(), p.read("(99999999999/99999999999): big.rpm"));
        assertEquals(Optional.empty(), p.last());
    }
}
