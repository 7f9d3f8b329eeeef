package io.crossgen.command;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One option of the per-distro genimage scripts, in the order xCAT's genimage plugin emits them.
 *
 * <p>The order of the constants is the order of {@link GenimageCommand#toArgv()} and of the plugin's dry-run
 * line (XCAT.md 1.5), {@code --imagename} (which the plugin never prints) last. {@code --tempfile} is absent on
 * purpose: it is internal to the MN and never replayed.
 */
enum GenimageOption {
    ARCH("-a", Kind.VALUE, "osarch"),
    OSVERS("-o", Kind.VALUE, "osvers"),
    PROFILE("-p", Kind.VALUE, "profile"),
    NETDRIVERS("-n", Kind.LIST, "netdrivers"),
    BOOT_INTERFACE("-i", Kind.VALUE, "nodebootif"),
    OTHER_INTERFACES("-r", Kind.LIST, "otherifce"),
    ROOT_LIMIT("-l", Kind.VALUE, null),
    TMP_LIMIT("-t", Kind.VALUE, null),
    KERNEL_VERSION("-k", Kind.VALUE, "kernelver"),
    KERNEL_RPM_VERSION("-g", Kind.VALUE, "krpmver"),
    MODE("-m", Kind.VALUE, null),
    PERMISSION("--permission", Kind.VALUE, "permission"),
    KERNELDIR("--kerneldir", Kind.VALUE, "kerneldir"),
    INTERACTIVE("--interactive", Kind.FLAG, null),
    ONLYINITRD("--onlyinitrd", Kind.FLAG, null),
    ENV("--env", Kind.LIST, "environvar"),
    SRCDIR("--srcdir", Kind.LIST, "pkgdir"),
    PKGLIST("--pkglist", Kind.LIST, "pkglist"),
    OTHERPKGDIR("--otherpkgdir", Kind.LIST, "otherpkgdir"),
    OTHERPKGLIST("--otherpkglist", Kind.LIST, "otherpkglist"),
    POSTINSTALL("--postinstall", Kind.LIST, "postinstall"),
    ROOTIMGDIR("--rootimgdir", Kind.VALUE, "rootimgdir"),
    DRIVERUPDATESRC("--driverupdatesrc", Kind.LIST, "driverupdatesrc"),
    IGNOREKERNELCHK("--ignorekernelchk", Kind.FLAG, null),
    NOUPDATE("--noupdate", Kind.FLAG, null),
    TIMEZONE("--timezone", Kind.VALUE, null),
    /** mic only; xCAT never prints it, but the mic script prefers it to the first leftover word. */
    IMAGENAME("--imagename", Kind.VALUE, null);

    /** How an option's value is written. */
    enum Kind {
        /** No value. */
        FLAG,
        /** One word. */
        VALUE,
        /** Comma-separated items in one word. */
        LIST
    }

    private final String spelling;
    private final Kind kind;
    private final String attribute;

    GenimageOption(String spelling, Kind kind, String attribute) {
        this.spelling = spelling;
        this.kind = kind;
        this.attribute = attribute;
    }

    /** The option as written on the command line, e.g. {@code -a} or {@code --pkglist}. */
    String spelling() {
        return spelling;
    }

    Kind kind() {
        return kind;
    }

    /** The osimage attribute xCAT's plugin reads this option from; empty for command-line-only options. */
    Optional<String> attribute() {
        return Optional.ofNullable(attribute);
    }

    /**
     * A value as xCAT wrote it: a list's items exactly as written ({@code a,} gives {@code [a, ""]}, which joins
     * back to {@code a,}), or the one value.
     */
    List<String> asWritten(String value) {
        return kind == Kind.LIST ? Arrays.asList(value.split(",", -1)) : List.of(value);
    }

    /** The option with this exact spelling. */
    static Optional<GenimageOption> bySpelling(String word) {
        for (GenimageOption o : values()) {
            if (o.spelling.equals(word)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
