package io.crossgen.image;

import static io.crossgen.image.AttributeKind.DIR;
import static io.crossgen.image.AttributeKind.DIR_OR_URL_LIST;
import static io.crossgen.image.AttributeKind.KEY_VALUE_LIST;
import static io.crossgen.image.AttributeKind.PATH;
import static io.crossgen.image.AttributeKind.PATH_LIST;
import static io.crossgen.image.AttributeKind.PREFIXED_PATH;
import static io.crossgen.image.AttributeKind.PREFIXED_PATH_LIST;
import static io.crossgen.image.AttributeKind.SCRIPT_ENTRIES;
import static io.crossgen.image.AttributeKind.VALUE;
import static io.crossgen.image.AttributeKind.VALUE_LIST;
import static io.crossgen.image.Usage.BUILDER;
import static io.crossgen.image.Usage.MANAGEMENT_NODE;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalogue of the linux osimage attributes xCAT knows ({@code $defspec{osimage}} in {@code Schema.pm}):
 * for each one its table column, what it holds, and whether genimage on the builder reads it.
 *
 * <p>Attributes not in this catalogue (the Windows and AIX ones, or columns newer than crossgen) are still
 * kept by {@link OsImage} and written back; they simply have no typed accessor. The enum order is the order
 * of the xCAT schema. {@link Usage#BUILDER} marks exactly what {@code genimage.pm} passes to the builder
 * script (as an option, or through {@code --env}); {@code provmethod} is checked on the management node only.
 *
 * <pre>{@code
 * Attribute.of("usercomment").map(Attribute::column);   // Optional[comments]
 * Attribute.PKGLIST.usage();                            // BUILDER
 * }</pre>
 */
public enum Attribute {
    GROUPS("osimage", "groups", VALUE_LIST, MANAGEMENT_NODE),
    IMAGETYPE("osimage", "imagetype", VALUE, MANAGEMENT_NODE),
    DESCRIPTION("osimage", "description", VALUE, MANAGEMENT_NODE),
    PROVMETHOD("osimage", "provmethod", VALUE, MANAGEMENT_NODE),
    OSDISTRONAME("osimage", "osdistroname", VALUE, MANAGEMENT_NODE),
    OSUPDATENAME("osimage", "osupdatename", VALUE_LIST, MANAGEMENT_NODE),
    CFMDIR("osimage", "cfmdir", DIR, MANAGEMENT_NODE),
    ROOTFSTYPE("osimage", "rootfstype", VALUE, MANAGEMENT_NODE),
    NFSROOTOPTS("osimage", "nfsrootopts", VALUE, MANAGEMENT_NODE),
    PROFILE("osimage", "profile", VALUE, BUILDER),
    OSNAME("osimage", "osname", VALUE, MANAGEMENT_NODE),
    OSVERS("osimage", "osvers", VALUE, BUILDER),
    OSARCH("osimage", "osarch", VALUE, BUILDER),
    SYNCLISTS("osimage", "synclists", PATH_LIST, MANAGEMENT_NODE),
    POSTSCRIPTS("osimage", "postscripts", VALUE_LIST, MANAGEMENT_NODE),
    POSTBOOTSCRIPTS("osimage", "postbootscripts", VALUE_LIST, MANAGEMENT_NODE),
    SERVERROLE("osimage", "serverrole", VALUE, MANAGEMENT_NODE),
    ISDELETABLE("osimage", "isdeletable", VALUE, MANAGEMENT_NODE),
    KITCOMPONENTS("osimage", "kitcomponents", VALUE_LIST, MANAGEMENT_NODE),
    ENVIRONVAR("osimage", "environvar", KEY_VALUE_LIST, BUILDER),
    TEMPLATE("linuximage", "template", PATH, MANAGEMENT_NODE),
    BOOTTARGET("linuximage", "boottarget", VALUE, MANAGEMENT_NODE),
    ADDKCMDLINE("linuximage", "addkcmdline", VALUE, MANAGEMENT_NODE),
    PKGLIST("linuximage", "pkglist", PATH_LIST, BUILDER),
    PKGDIR("linuximage", "pkgdir", DIR_OR_URL_LIST, BUILDER),
    OTHERPKGLIST("linuximage", "otherpkglist", PATH_LIST, BUILDER),
    OTHERPKGDIR("linuximage", "otherpkgdir", DIR_OR_URL_LIST, BUILDER),
    EXLIST("linuximage", "exlist", PATH_LIST, MANAGEMENT_NODE),
    POSTINSTALL("linuximage", "postinstall", SCRIPT_ENTRIES, BUILDER),
    ROOTIMGDIR("linuximage", "rootimgdir", DIR, BUILDER),
    KERNELDIR("linuximage", "kerneldir", DIR, BUILDER),
    NODEBOOTIF("linuximage", "nodebootif", VALUE, BUILDER),
    OTHERIFCE("linuximage", "otherifce", VALUE_LIST, BUILDER),
    NETDRIVERS("linuximage", "netdrivers", VALUE_LIST, BUILDER),
    KERNELVER("linuximage", "kernelver", VALUE, BUILDER),
    KRPMVER("linuximage", "krpmver", VALUE, BUILDER),
    PERMISSION("linuximage", "permission", VALUE, BUILDER),
    DUMP("linuximage", "dump", VALUE, MANAGEMENT_NODE),
    CRASHKERNELSIZE("linuximage", "crashkernelsize", VALUE, MANAGEMENT_NODE),
    PARTITIONFILE("linuximage", "partitionfile", PREFIXED_PATH, MANAGEMENT_NODE),
    DRIVERUPDATESRC("linuximage", "driverupdatesrc", PREFIXED_PATH_LIST, BUILDER),
    /** The one renamed attribute: stored in {@code linuximage.comments}. */
    USERCOMMENT("linuximage", "comments", VALUE, MANAGEMENT_NODE);

    private static final Map<String, Attribute> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Attribute::xcatName, Function.identity()));

    private final String table;
    private final String column;
    private final AttributeKind kind;
    private final Usage usage;

    Attribute(String table, String column, AttributeKind kind, Usage usage) {
        this.table = table;
        this.column = column;
        this.kind = kind;
        this.usage = usage;
    }

    /** The catalogued attribute with this object attribute name ({@code usercomment}, not {@code comments}). */
    public static Optional<Attribute> of(String xcatName) {
        return Optional.ofNullable(BY_NAME.get(xcatName));
    }

    /** The attribute name as {@code lsdef} prints it, for example {@code pkglist}. */
    public String xcatName() {
        return this == USERCOMMENT ? "usercomment" : column;
    }

    /** The xCAT table that stores it: {@code osimage} or {@code linuximage}. */
    public String table() {
        return table;
    }

    /** The table column; equal to {@link #xcatName()} except {@code usercomment} ({@code comments}). */
    public String column() {
        return column;
    }

    /** What the value holds. */
    public AttributeKind kind() {
        return kind;
    }

    /** Whether genimage on the builder reads it or only the management node uses it. */
    public Usage usage() {
        return usage;
    }

    /** The {@link #xcatName()}. */
    @Override
    public String toString() {
        return xcatName();
    }
}
