package io.crossgen.command;

import io.crossgen.image.OsImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Maps an osimage's attributes to genimage options as xCAT's genimage plugin does; the rules are documented on
 * {@link GenimageCommand#predict(OsImage)}, the public entry.
 */
final class GenimagePrediction {
    /** The options xCAT's plugin writes in double quotes; the others it writes bare. */
    private static final Set<GenimageOption> QUOTED = EnumSet.of(GenimageOption.SRCDIR,
            GenimageOption.OTHERPKGDIR, GenimageOption.POSTINSTALL);

    private GenimagePrediction() {
    }

    /** See {@link GenimageCommand#predict(OsImage, Optional)}. */
    static GenimageCommand predict(OsImage image, Optional<String> siteTimezone) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(siteTimezone, "siteTimezone");
        String prefix = "cannot predict genimage for osimage '" + image.name() + "': ";
        List<String> missing = new ArrayList<>();
        for (String attr : List.of("osvers", "osarch", "profile", "provmethod")) {
            if (truthy(image, attr).isEmpty()) {
                missing.add(attr);
            }
        }
        if (!missing.isEmpty()) {
            throw new CommandException(prefix + "osvers, osarch, profile and provmethod must all be set (unset: "
                    + String.join(", ", missing) + ")");
        }
        String provmethod = truthy(image, "provmethod").orElseThrow();
        if (!provmethod.equals("netboot") && !provmethod.equals("statelite")) {
            throw new CommandException(prefix + "provmethod is '" + provmethod
                    + "'; genimage builds only netboot or statelite images");
        }
        if (truthy(image, "pkglist").isEmpty()) {
            throw new CommandException(prefix + "pkglist is not set; xCAT's genimage requires a .pkglist file");
        }
        String osvers = truthy(image, "osvers").orElseThrow();
        String family = OsImage.familyOf(osvers);
        if (GenimageScript.forFamily(family).isEmpty()) {
            throw new CommandException(prefix + "osvers '" + osvers + "' gives the genimage family '" + family
                    + "', and xCAT would fail: \"Unable to find genimage script in "
                    + GenimageCommand.DEFAULT_XCAT_ROOT + "/share/xcat/netboot/" + family + ".\"");
        }
        GenimageCommand.Builder b = GenimageCommand.builder().family(family).imageName(image.name());
        List<String> strays = new ArrayList<>();
        for (GenimageOption o : GenimageOption.values()) {
            Optional<String> value = o.attribute().flatMap(attribute -> truthy(image, attribute));
            if (value.isEmpty()) {
                continue;
            }
            String written = value.get();
            if (!QUOTED.contains(o) && !written.isBlank()) {
                // xCAT writes the value bare into a shell line: blanks split it, the later words become leftovers.
                List<String> words = Arrays.asList(written.strip().split("\\s+"));
                written = words.get(0);
                strays.addAll(words.subList(1, words.size()));
            }
            b.set(o, o.asWritten(written));
        }
        b.extraArgs(strays);
        if (family.equals("sles")) {
            siteTimezone.filter(z -> !z.isEmpty() && !z.equals("0")).ifPresent(b::timezone);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandException(prefix + e.getMessage(), e);
        }
    }

    /** The attribute's value as Perl sees it: an empty value and the literal {@code 0} count as unset. */
    private static Optional<String> truthy(OsImage image, String attribute) {
        return image.get(attribute).filter(v -> !v.isEmpty() && !v.equals("0"));
    }
}
