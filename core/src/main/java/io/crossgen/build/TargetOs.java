package io.crossgen.build;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operating system an image is built for, as far as a builder must match it: the distribution group
 * (the builder's {@code /etc/os-release} ID must be one of the group's), the major release, and the
 * architecture.
 *
 * <p>Derived from {@code osvers} and {@code osarch} (XCAT.md section 6): {@code rhels8.8.0} is group rh,
 * major 8; {@code sle15.4} is suse 15; {@code ubuntu22.04.1} is ubuntu 22.04 (Ubuntu's major release is
 * year.month). Package-private: only {@link Preflight} needs it.
 */
record TargetOs(String group, String major, String arch) {
    private static final Pattern OSVERS = Pattern.compile("([A-Za-z][A-Za-z_-]*?)-?(\\d+(?:\\.\\d+)*)(.*)");

    /** os-release IDs accepted per group; a builder of any of these builds the group's images. */
    static final Map<String, Set<String>> IDS = Map.of(
            "rh", Set.of("rhel", "centos", "rocky", "almalinux", "ol", "scientific", "circle", "eurolinux",
                    "navylinux", "cloudlinux"),
            "fedora", Set.of("fedora"),
            "suse", Set.of("sles", "sled", "sle_hpc", "opensuse-leap", "opensuse"),
            "ubuntu", Set.of("ubuntu"),
            "debian", Set.of("debian"));

    /**
     * The target of an image.
     *
     * @throws BuildException when osvers cannot be read as a name followed by a version
     */
    static TargetOs of(String osvers, String osarch) {
        Matcher m = OSVERS.matcher(osvers);
        if (!m.matches()) {
            throw new BuildException("osvers '" + osvers + "' is not a distribution name followed by a version"
                    + " (e.g. rhels8.8.0, sle15.4, ubuntu22.04.1)");
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String group;
        if (name.contains("rh") || name.startsWith("centos") || name.equals("rocky") || name.equals("alma")
                || name.equals("ol") || name.equals("sl")) {
            group = "rh";
        } else if (name.startsWith("sle") || name.startsWith("leap") || name.startsWith("suse")) {
            group = "suse";
        } else if (name.startsWith("fedora")) {
            group = "fedora";
        } else if (name.startsWith("ubuntu")) {
            group = "ubuntu";
        } else if (name.startsWith("debian")) {
            group = "debian";
        } else {
            group = name;
        }
        return new TargetOs(group, major(group, m.group(2)), osarch);
    }

    /** The major release of a version string: its first number, or year.month for Ubuntu. */
    static String major(String group, String version) {
        String[] parts = version.split("\\.");
        if (group.equals("ubuntu") && parts.length > 1) {
            return parts[0] + "." + parts[1];
        }
        return parts[0];
    }

    /** The os-release IDs a builder for this target may have. */
    Set<String> acceptedIds() {
        return IDS.getOrDefault(group, Set.of(group));
    }

    /**
     * Whether a machine of {@code uname -m} output {@code machine} builds for this target's arch:
     * {@code ppc64el} is Ubuntu's {@code ppc64le}, {@code x86} any {@code i?86}, {@code aarch64} also
     * {@code arm64}.
     */
    boolean archMatches(String machine) {
        return canonicalArch(arch).equals(canonicalArch(machine));
    }

    static String canonicalArch(String a) {
        String s = a.strip().toLowerCase(Locale.ROOT);
        if (s.equals("ppc64el")) {
            return "ppc64le";
        }
        if (s.matches("i[3-6]86") || s.equals("x86")) {
            return "x86";
        }
        if (s.equals("amd64")) {
            return "x86_64";
        }
        if (s.equals("arm64")) {
            return "aarch64";
        }
        return s;
    }

    /**
     * Whether an os-release ID (with its ID_LIKE words) and VERSION_ID fit this target.
     */
    boolean releaseMatches(String id, String idLike, String versionId) {
        Set<String> accepted = acceptedIds();
        boolean idOk = accepted.contains(id.toLowerCase(Locale.ROOT));
        if (!idOk && group.equals("rh")) {
            // A rebuild we do not list by name, that says it is like rhel.
            idOk = List.of(idLike.toLowerCase(Locale.ROOT).split("\\s+")).contains("rhel");
        }
        return idOk && !versionId.isBlank() && major(group, versionId.strip()).equals(major);
    }

    /** The packages a family's genimage needs on the builder, as program names. */
    List<List<String>> tools() {
        switch (group) {
            case "rh":
            case "fedora":
                return List.of(List.of("perl"), List.of("tar"), List.of("cpio"), List.of("dnf", "yum"));
            case "suse":
                return List.of(List.of("perl"), List.of("tar"), List.of("cpio"), List.of("zypper"));
            case "ubuntu":
            case "debian":
                return List.of(List.of("perl"), List.of("tar"), List.of("cpio"), List.of("debootstrap"));
            default:
                return List.of(List.of("perl"), List.of("tar"), List.of("cpio"));
        }
    }

    /** How a person reads the target: {@code rh 8 (rhel, centos, ...) on ppc64le}. */
    String describe() {
        return group + " " + major + " on " + arch;
    }

    static Optional<String> group(String osvers) {
        try {
            return Optional.of(of(osvers, "").group());
        } catch (BuildException e) {
            return Optional.empty();
        }
    }
}
