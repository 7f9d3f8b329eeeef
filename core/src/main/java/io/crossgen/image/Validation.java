package io.crossgen.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks behind {@link OsImage#validateForStateless()}. */
final class Validation {
    static final List<String> ARCHES = List.of("x86_64", "ppc64le", "ppc64el", "ppc64", "aarch64", "s390x", "x86");
    static final Set<String> FAMILIES = Set.of("rh", "centos", "centos-stream", "rocky", "alma", "ol", "SL",
            "fedora", "sle", "sles", "ubuntu", "debian", "suse", "mic");
    private static final Set<String> DEBIAN_ARCH_FAMILIES = Set.of("ubuntu", "debian");
    private static final List<Attribute> REQUIRED = List.of(Attribute.OSVERS, Attribute.OSARCH,
            Attribute.PROFILE, Attribute.PROVMETHOD);
    /** What genimage.pm wraps in double quotes (without escaping); every other value goes bare. */
    private static final Set<Attribute> QUOTED = Set.of(Attribute.PKGDIR, Attribute.OTHERPKGDIR,
            Attribute.POSTINSTALL);
    private static final Pattern SPACE = Pattern.compile("\\s");

    private Validation() {
    }

    static List<ImageProblem> forStateless(OsImage image) {
        List<ImageProblem> problems = new ArrayList<>();
        String name = image.name();
        for (Attribute required : REQUIRED) {
            if (image.get(required).filter(v -> !v.isBlank()).isEmpty()) {
                problems.add(new ImageProblem(name, required.xcatName(), required.xcatName()
                        + " is not set; genimage needs osvers, osarch, profile and provmethod"));
            }
        }
        image.provmethod().filter(p -> !p.isBlank() && !p.equals("netboot") && !p.equals("statelite"))
                .ifPresent(p -> problems.add(new ImageProblem(name, "provmethod", "provmethod is "
                        + ImageException.quote(p) + "; genimage builds only 'netboot' or 'statelite' images")));
        if (image.pkglist().isEmpty()) {
            problems.add(new ImageProblem(name, "pkglist",
                    "pkglist is not set; genimage needs at least one .pkglist file"));
        }
        Optional<String> family = image.osvers().filter(v -> !v.isBlank()).map(OsImage::familyOf);
        family.filter(f -> !FAMILIES.contains(f)).ifPresent(f -> problems.add(new ImageProblem(name, "osvers",
                "osvers " + ImageException.quote(image.osvers().orElseThrow()) + " gives the genimage family "
                        + ImageException.quote(f) + ", for which xCAT ships no netboot directory")));
        image.osarch().filter(a -> !a.isBlank()).ifPresent(arch -> checkArch(image, arch, family, problems));
        for (Attribute attribute : Attribute.values()) {
            if (attribute.usage() == Usage.BUILDER && image.get(attribute).isPresent()) {
                checkBuilderValue(image, attribute, problems);
            }
        }
        long localOtherpkgdirs = image.otherpkgdir().stream().filter(d -> !OsImage.isUrl(d)).count();
        if (localOtherpkgdirs > 1) {
            problems.add(new ImageProblem(name, "otherpkgdir", "otherpkgdir names " + localOtherpkgdirs
                    + " local directories; genimage accepts at most one (plus any number of URLs)"));
        }
        return List.copyOf(problems);
    }

    private static void checkArch(OsImage image, String arch, Optional<String> family,
            List<ImageProblem> problems) {
        String name = image.name();
        if (!ARCHES.contains(arch)) {
            problems.add(new ImageProblem(name, "osarch", "osarch " + ImageException.quote(arch)
                    + " is not one of " + String.join(", ", ARCHES)));
            return;
        }
        if (family.isEmpty()) {
            return;
        }
        boolean debianArch = DEBIAN_ARCH_FAMILIES.contains(family.get());
        if (arch.equals("ppc64le") && debianArch) {
            problems.add(new ImageProblem(name, "osarch", "osarch is 'ppc64le' but " + family.get()
                    + " images use 'ppc64el'"));
        } else if (arch.equals("ppc64el") && !debianArch) {
            problems.add(new ImageProblem(name, "osarch", "osarch is 'ppc64el' (the Ubuntu name) but "
                    + family.get() + " images use 'ppc64le'"));
        }
    }

    private static void checkBuilderValue(OsImage image, Attribute attribute, List<ImageProblem> problems) {
        String name = image.name();
        String attr = attribute.xcatName();
        String value = image.get(attribute).orElseThrow();
        if (QUOTED.contains(attribute)) {
            if (value.contains("\"")) {
                problems.add(new ImageProblem(name, attr, attr + " " + ImageException.quote(value)
                        + " contains '\"'; genimage.pm wraps it in double quotes without escaping"));
            }
        } else if (SPACE.matcher(value.strip()).find()) {
            problems.add(new ImageProblem(name, attr, attr + " " + ImageException.quote(value)
                    + " contains white space; genimage.pm passes it unquoted, so the builder would split it"));
        }
        if (attribute.kind().holdsPaths()) {
            for (String path : image.paths(attribute)) {
                if (!path.startsWith("/")) {
                    problems.add(new ImageProblem(name, attr, attr + " entry " + ImageException.quote(path)
                            + " is not an absolute path"));
                }
            }
        }
    }
}
