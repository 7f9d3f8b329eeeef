package io.crossgen.image;

/**
 * What an osimage attribute holds, as far as crossgen needs to know to find the files it names.
 *
 * <p>Every list kind is a comma-separated string in xCAT; {@link OsImage#list(String)} splits it.
 *
 * <pre>{@code
 * Attribute.DRIVERUPDATESRC.kind();   // PREFIXED_PATH_LIST
 * Attribute.DRIVERUPDATESRC.kind().isList();   // true
 * }</pre>
 */
public enum AttributeKind {
    /** A plain value, for example {@code osvers=rhels8.8.0} or {@code addkcmdline=quiet}. */
    VALUE(false),
    /** A comma list of plain values, for example {@code netdrivers=tg3,bnx2} or {@code postscripts}. */
    VALUE_LIST(true),
    /** A comma list of {@code K=V} pairs ({@code environvar}). */
    KEY_VALUE_LIST(true),
    /** A single file path, for example {@code template}. */
    PATH(false),
    /** A single directory, for example {@code kerneldir} or {@code rootimgdir}. */
    DIR(false),
    /** A comma list of file paths, for example {@code pkglist} or {@code exlist}. */
    PATH_LIST(true),
    /** A comma list of directories or {@code http(s)://}/{@code ftp://} URLs ({@code pkgdir}, {@code otherpkgdir}). */
    DIR_OR_URL_LIST(true),
    /** A comma list of {@code script [arg ...]} entries; only the first word is a file ({@code postinstall}). */
    SCRIPT_ENTRIES(true),
    /** A single path with optional {@code s:}, {@code d:}, {@code c:} prefixes ({@code partitionfile}). */
    PREFIXED_PATH(false),
    /** A comma list of paths with an optional {@code dud:} or {@code rpm:} prefix ({@code driverupdatesrc}). */
    PREFIXED_PATH_LIST(true);

    private final boolean list;

    AttributeKind(boolean list) {
        this.list = list;
    }

    /** Whether the value is a comma-separated list. */
    public boolean isList() {
        return list;
    }

    /** Whether the value names files or directories that {@link OsImage#referencedFiles()} reports. */
    public boolean holdsPaths() {
        return this != VALUE && this != VALUE_LIST && this != KEY_VALUE_LIST;
    }

    /** Whether the paths this kind names are directories rather than files. */
    public boolean isDirectory() {
        return this == DIR || this == DIR_OR_URL_LIST;
    }
}
