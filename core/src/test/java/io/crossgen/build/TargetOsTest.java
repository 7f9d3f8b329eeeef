package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TargetOsTest {

    @ParameterizedTest
    @CsvSource({
        "rhels8.8.0, rh, 8",
        "rhels6.3, rh, 6",
        "rhels7.5-alternate, rh, 7",
        "rhelhpc7.3, rh, 7",
        "centos-stream9, rh, 9",
        "rocky9.2, rh, 9",
        "alma8.6, rh, 8",
        "ol8.9, rh, 8",
        "SL6.5, rh, 6",
        "sle15.4, suse, 15",
        "sles12.2, suse, 12",
        "leap15.3, suse, 15",
        "ubuntu22.04.1, ubuntu, 22.04",
        "ubuntu17.10, ubuntu, 17.10",
        "fedora38, fedora, 38",
        "debian11, debian, 11",
    })
    void osversNamesGroupAndMajorRelease(String osvers, String group, String major) {
        TargetOs t = TargetOs.of(osvers, "x86_64");
        assertEquals(group, t.group());
        assertEquals(major, t.major());
    }

    @Test
    void osversWithoutVersionIsRefused() {
        BuildException e = assertThrows(BuildException.class, () -> TargetOs.of("OSVERS", "x86_64"));
        assertEquals("osvers 'OSVERS' is not a distribution name followed by a version (e.g. rhels8.8.0, sle15.4,"
                + " ubuntu22.04.1)", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"ppc64le, ppc64le", "ppc64el, ppc64le", "ppc64le, ppc64el", "x86, i686", "x86_64, x86_64",
        "aarch64, arm64"})
    void equivalentArchitecturesMatch(String osarch, String machine) {
        assertTrue(TargetOs.of("rhels8.8.0", osarch).archMatches(machine));
    }

    @Test
    void otherArchitecturesDoNotMatch() {
        assertFalse(TargetOs.of("rhels8.8.0", "ppc64le").archMatches("x86_64"));
        assertFalse(TargetOs.of("rhels8.8.0", "ppc64le").archMatches("ppc64"));
    }

    @Test
    void anyRedHatRebuildOfTheSameMajorMatches() {
        TargetOs t = TargetOs.of("rhels8.8.0", "ppc64le");
        assertTrue(t.releaseMatches("rocky", "rhel centos fedora", "8.9"));
        assertTrue(t.releaseMatches("rhel", "fedora", "8.8"));
        assertTrue(t.releaseMatches("someclone", "rhel fedora", "8.4"));
        assertFalse(t.releaseMatches("rhel", "fedora", "9.2"));
        assertFalse(t.releaseMatches("debian", "", "12"));
    }

    @Test
    void ubuntuComparesYearAndMonth() {
        TargetOs t = TargetOs.of("ubuntu22.04.1", "ppc64el");
        assertTrue(t.releaseMatches("ubuntu", "debian", "22.04"));
        assertFalse(t.releaseMatches("ubuntu", "debian", "22.10"));
    }
}
