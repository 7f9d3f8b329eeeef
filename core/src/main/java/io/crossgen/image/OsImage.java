package io.crossgen.image;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An xCAT osimage definition: a name and its attributes, in the order they were given.
 *
 * <p>Immutable; {@link #withName}, {@link #with} and {@link #without} return copies. Every attribute of the
 * {@link Attribute} catalogue has a typed accessor (comma lists as {@code List<String>}, single values and
 * paths as {@code Optional<String>}); unknown attributes are reachable through {@link #get(String)}, kept,
 * and written back, never dropped. An empty value is kept here but means "unset" to xCAT, and both codecs
 * leave it out when writing. Read and write definitions with {@link StanzaCodec} ({@code lsdef -z} /
 * {@code mkdef -z}) and {@link YamlCodec}.
 *
 * <pre>{@code
 * OsImage copy = image.withName("mycomputeimage")
 *         .with("rootimgdir", "/install/netboot/rhels8.8.0/ppc64le/mycomputeimage");
 * copy.osvers();   // Optional[rhels8.8.0]
 * }</pre>
 */
public final class OsImage {
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final String name;
    private final Map<String, String> attributes;

    private OsImage(String name, Map<String, String> attributes) {
        this.name = name;
        this.attributes = Collections.unmodifiableMap(attributes);
    }

    /**
     * An image with the given name and attributes (copied, order kept). {@code objtype} and {@code imagename}
     * are not attributes of the image and are refused.
     *
     * @throws IllegalArgumentException when the name or an attribute name is empty or malformed
     */
    public static OsImage of(String name, Map<String, String> attributes) {
        Map<String, String> copy = new LinkedHashMap<>();
        attributes.forEach((k, v) -> copy.put(checkAttribute(name, k), Objects.requireNonNull(v, k)));
        return new OsImage(checkName(name), copy);
    }

    /** The image name (the stanza header, {@code imagename} in the tables). */
    public String name() {
        return name;
    }

    /** All attributes, in order. */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** One attribute's value; empty when unset. */
    public Optional<String> get(String attribute) {
        return Optional.ofNullable(attributes.get(attribute));
    }

    /** A copy under another name (the {@code sed 's/^[^ ]\+:/NEW:/'} of the manual procedure). */
    public OsImage withName(String newName) {
        return new OsImage(checkName(newName), new LinkedHashMap<>(attributes));
    }

    /** A copy with one attribute set; a new attribute goes last, an existing one keeps its place. */
    public OsImage with(String attribute, String value) {
        Map<String, String> copy = new LinkedHashMap<>(attributes);
        copy.put(checkAttribute(name, attribute), Objects.requireNonNull(value, attribute));
        return new OsImage(name, copy);
    }

    /** A copy without the attribute. */
    public OsImage without(String attribute) {
        Map<String, String> copy = new LinkedHashMap<>(attributes);
        copy.remove(attribute);
        return new OsImage(name, copy);
    }

    /**
     * The comma-separated values of an attribute, trimmed, empty entries dropped; empty when unset.
     *
     * <p>Pitfall: xCAT itself splits on {@code ,} without trimming, so {@code a, b} names the file
     * {@code " b"} there; {@link #validateForStateless()} flags white space in the values genimage reads.
     */
    public List<String> list(String attribute) {
        return get(attribute).map(v -> Arrays.stream(v.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }

    /** A copy with one catalogued attribute set; see {@link #with(String, String)}. */
    public OsImage with(Attribute attribute, String value) {
        return with(attribute.xcatName(), value);
    }

    /** One catalogued attribute's value; empty when unset. */
    public Optional<String> get(Attribute attribute) {
        return get(attribute.xcatName());
    }

    /** The comma-separated values of a catalogued attribute; see {@link #list(String)}. */
    public List<String> list(Attribute attribute) {
        return list(attribute.xcatName());
    }

    /**
     * The attributes that are not in the {@link Attribute} catalogue (Windows or AIX attributes, newer
     * columns, typos), in order. They are kept and written back like the others.
     */
    public Map<String, String> unknownAttributes() {
        Map<String, String> unknown = new LinkedHashMap<>();
        attributes.forEach((k, v) -> {
            if (Attribute.of(k).isEmpty()) {
                unknown.put(k, v);
            }
        });
        return Collections.unmodifiableMap(unknown);
    }

    // ---- typed accessors, in the order of the xCAT schema ----

    /** {@code groups}: the image groups. */
    public List<String> groups() {
        return list(Attribute.GROUPS);
    }

    /** {@code imagetype}: {@code linux}, {@code windows} or {@code NIM}. */
    public Optional<String> imagetype() {
        return get(Attribute.IMAGETYPE);
    }

    /** {@code description}: free text. */
    public Optional<String> description() {
        return get(Attribute.DESCRIPTION);
    }

    /** {@code provmethod}: install, netboot, statelite, ...; genimage accepts netboot and statelite. */
    public Optional<String> provmethod() {
        return get(Attribute.PROVMETHOD);
    }

    /** {@code osdistroname}: the osdistro object, for example {@code rhels8.8.0-ppc64le}. */
    public Optional<String> osdistroname() {
        return get(Attribute.OSDISTRONAME);
    }

    /** {@code osupdatename}: osdistroupdate names. */
    public List<String> osupdatename() {
        return list(Attribute.OSUPDATENAME);
    }

    /** {@code cfmdir}: the PCM CFM directory. */
    public Optional<String> cfmdir() {
        return get(Attribute.CFMDIR);
    }

    /** {@code rootfstype}: statelite root, {@code nfs} (the default) or {@code ramdisk}. */
    public Optional<String> rootfstype() {
        return get(Attribute.ROOTFSTYPE);
    }

    /** {@code nfsrootopts}: extra NFS mount options for a statelite root (xCAT after 2.18.2). */
    public Optional<String> nfsrootopts() {
        return get(Attribute.NFSROOTOPTS);
    }

    /** {@code profile}: for example {@code compute}. */
    public Optional<String> profile() {
        return get(Attribute.PROFILE);
    }

    /** {@code osname}: {@code Linux}, {@code AIX} or {@code Windows}. */
    public Optional<String> osname() {
        return get(Attribute.OSNAME);
    }

    /** {@code osvers}: for example {@code rhels8.8.0}, {@code sle15.4}, {@code ubuntu22.04.1}. */
    public Optional<String> osvers() {
        return get(Attribute.OSVERS);
    }

    /** {@code osarch}: for example {@code x86_64}, {@code ppc64le}, or {@code ppc64el} on Ubuntu. */
    public Optional<String> osarch() {
        return get(Attribute.OSARCH);
    }

    /** {@code synclists}: synclist files (packimage and updatenode, on the management node). */
    public List<String> synclists() {
        return list(Attribute.SYNCLISTS);
    }

    /** {@code postscripts}: script names relative to {@code /install/postscripts}, optionally with args. */
    public List<String> postscripts() {
        return list(Attribute.POSTSCRIPTS);
    }

    /** {@code postbootscripts}: like {@link #postscripts()}. */
    public List<String> postbootscripts() {
        return list(Attribute.POSTBOOTSCRIPTS);
    }

    /** {@code serverrole}: mgtnode, servicenode, compute, ... */
    public Optional<String> serverrole() {
        return get(Attribute.SERVERROLE);
    }

    /** {@code isdeletable}: a PCM flag. */
    public Optional<String> isdeletable() {
        return get(Attribute.ISDELETABLE);
    }

    /** {@code kitcomponents}: kit component names. */
    public List<String> kitcomponents() {
        return list(Attribute.KITCOMPONENTS);
    }

    /** {@code environvar}: the {@code K=V} entries, as written (genimage gets them as {@code --env}). */
    public List<String> environvar() {
        return list(Attribute.ENVIRONVAR);
    }

    /**
     * {@code environvar} as an ordered map: each entry split at its first {@code =}; an entry without
     * {@code =} maps to the empty string; a repeated key keeps its last value.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : environvar()) {
            int eq = entry.indexOf('=');
            env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
        }
        return Collections.unmodifiableMap(env);
    }

    /** {@code template}: the kickstart/autoyast/preseed template (diskful only). */
    public Optional<String> template() {
        return get(Attribute.TEMPLATE);
    }

    /** {@code boottarget}: a boottarget object name. */
    public Optional<String> boottarget() {
        return get(Attribute.BOOTTARGET);
    }

    /** {@code addkcmdline}: space-separated kernel arguments ({@code quiet} on copycds images since 2.18). */
    public Optional<String> addkcmdline() {
        return get(Attribute.ADDKCMDLINE);
    }

    /** {@code pkglist}: the distro package lists, split on commas, empty entries dropped. */
    public List<String> pkglist() {
        return list(Attribute.PKGLIST);
    }

    /** {@code pkgdir}: distro repository directories or URLs; the first is the OS base. */
    public List<String> pkgdir() {
        return list(Attribute.PKGDIR);
    }

    /** {@code otherpkglist}: non-distro package lists. */
    public List<String> otherpkglist() {
        return list(Attribute.OTHERPKGLIST);
    }

    /** {@code otherpkgdir}: at most one local directory plus URLs. */
    public List<String> otherpkgdir() {
        return list(Attribute.OTHERPKGDIR);
    }

    /** {@code exlist}: packimage exclude/include lists. */
    public List<String> exlist() {
        return list(Attribute.EXLIST);
    }

    /**
     * {@code postinstall}: the {@code script [arg ...]} entries as written; only the first word of each is a
     * file (see {@link #referencedFiles()}).
     */
    public List<String> postinstall() {
        return list(Attribute.POSTINSTALL);
    }

    /** {@code rootimgdir}: where genimage puts {@code rootimg/}, the kernel and the initrds. */
    public Optional<String> rootimgdir() {
        return get(Attribute.ROOTIMGDIR);
    }

    /** {@code kerneldir}: repository of third-party kernels (genimage's default is {@code /install/kernels}). */
    public Optional<String> kerneldir() {
        return get(Attribute.KERNELDIR);
    }

    /** {@code nodebootif}: the boot NIC. */
    public Optional<String> nodebootif() {
        return get(Attribute.NODEBOOTIF);
    }

    /** {@code otherifce}: other NICs, configured for DHCP. */
    public List<String> otherifce() {
        return list(Attribute.OTHERIFCE);
    }

    /** {@code netdrivers}: drivers for the initrd (and/or {@code allupdate}). */
    public List<String> netdrivers() {
        return list(Attribute.NETDRIVERS);
    }

    /** {@code kernelver}: the exact kernel version to install. */
    public Optional<String> kernelver() {
        return get(Attribute.KERNELVER);
    }

    /** {@code krpmver}: kernel RPM version (SLES mainly). */
    public Optional<String> krpmver() {
        return get(Attribute.KRPMVER);
    }

    /** {@code permission}: mode of {@code /.statelite}; genimage's default is 755. */
    public Optional<String> permission() {
        return get(Attribute.PERMISSION);
    }

    /** {@code dump}: kdump target, {@code nfs://<ip>/<path>}. */
    public Optional<String> dump() {
        return get(Attribute.DUMP);
    }

    /** {@code crashkernelsize}: for example {@code 256M} or {@code auto}. */
    public Optional<String> crashkernelsize() {
        return get(Attribute.CRASHKERNELSIZE);
    }

    /** {@code partitionfile}: as written, with its {@code s:}/{@code d:}/{@code c:} prefix if any. */
    public Optional<String> partitionfile() {
        return get(Attribute.PARTITIONFILE);
    }

    /** {@code driverupdatesrc}: the entries as written, with their {@code dud:}/{@code rpm:} prefixes. */
    public List<String> driverupdatesrc() {
        return list(Attribute.DRIVERUPDATESRC);
    }

    /** {@code usercomment} (stored in {@code linuximage.comments}). */
    public Optional<String> usercomment() {
        return get(Attribute.USERCOMMENT);
    }

    // ---- derived facts ----

    /**
     * The genimage family directory under {@code /opt/xcat/share/xcat/netboot} that xCAT picks for this
     * image; see {@link #familyOf(String)}. Empty when {@code osvers} is unset.
     */
    public Optional<String> family() {
        return osvers().map(OsImage::familyOf);
    }

    /**
     * The family directory exactly as {@code genimage.pm} derives it from an osvers: ASCII digits and dots
     * removed; anything then containing {@code rh} becomes {@code rh}; anything containing both {@code sles}
     * and {@code sp} becomes {@code sles}; only an osvers starting with {@code leap15} becomes {@code sles} (any
     * other leap, {@code leap42.3} say, gives {@code leap}, for which xCAT has no folder: "Unable to find
     * genimage script"); spaces are removed. {@code fedora12} gives {@code fedora} (the rh script), never the
     * legacy {@code fedora12} folder.
     *
     * <p>Pitfall: {@code sle15.4} gives {@code sle}, not {@code sles}. That is what xCAT runs: on the
     * management node {@code netboot/sle} is a symlink to {@code netboot/sles} (and {@code centos-stream} one to
     * {@code centos}), so copies of the netboot tree must keep those symlinks.
     *
     * <pre>{@code
     * OsImage.familyOf("rhels7.5-alternate");  // rh
     * OsImage.familyOf("centos-stream9");      // centos-stream
     * OsImage.familyOf("ubuntu22.04.1");       // ubuntu
     * }</pre>
     */
    public static String familyOf(String osvers) {
        Objects.requireNonNull(osvers, "osvers");
        String family = osvers.replaceAll("[0-9]+", "").replace(".", "");
        if (family.contains("rh")) {
            family = "rh";
        }
        if (family.contains("sles") && family.contains("sp")) {
            family = "sles";
        }
        if (osvers.startsWith("leap15")) {
            family = "sles";
        }
        return family.replace(" ", "");
    }

    /**
     * The major release in {@code osvers}: its first run of digits ({@code rhels8.8.0} gives 8,
     * {@code sle15.4} 15, {@code ubuntu22.04.1} 22, {@code sles11sp1} 11). Empty when osvers is unset or has
     * no digits (the placeholder {@code OSVERS} of the xCAT test templates).
     */
    public OptionalInt osMajorRelease() {
        Optional<String> osvers = osvers();
        if (osvers.isEmpty()) {
            return OptionalInt.empty();
        }
        Matcher m = DIGITS.matcher(osvers.get());
        if (!m.find() || m.group().length() > 9) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(m.group()));
    }

    /**
     * Every file and directory this image reads, in attribute order then list order, each path once.
     *
     * <p>Covers pkglist, otherpkglist, the script (first word) of each postinstall entry, driverupdatesrc
     * and partitionfile with their prefixes removed, the local entries of pkgdir and otherpkgdir, kerneldir,
     * exlist, synclists, template and cfmdir. Not covered: URLs ({@code scheme://...}), postinstall
     * arguments, genimage's defaults for unset attributes (all under {@code /install}), files named inside
     * package lists ({@code #INCLUDE:...#}), and {@code rootimgdir}, which is genimage's output, not an input.
     * A path named by several attributes is reported once, at its first place, with {@link Usage#BUILDER}
     * if any of those attributes is read on the builder.
     *
     * <pre>{@code
     * image.with("postinstall", "/custom/post.sh --fast").referencedFiles();
     * // [FileRef[path=/custom/post.sh, attribute=postinstall, usage=BUILDER]]
     * }</pre>
     */
    public List<FileRef> referencedFiles() {
        Map<String, FileRef> refs = new LinkedHashMap<>();
        for (String name : attributes.keySet()) {
            Optional<Attribute> attribute = Attribute.of(name).filter(a -> a != Attribute.ROOTIMGDIR);
            if (attribute.isEmpty()) {
                continue;
            }
            for (String path : paths(attribute.get())) {
                FileRef ref = new FileRef(path, attribute.get(), attribute.get().usage());
                FileRef previous = refs.putIfAbsent(path, ref);
                if (previous != null && previous.usage() != Usage.BUILDER && ref.usage() == Usage.BUILDER) {
                    refs.put(path, ref);
                }
            }
        }
        return List.copyOf(refs.values());
    }

    /**
     * The {@link #referencedFiles()} that lie outside the site's {@code <XCATROOT>/share/xcat} and
     * {@code site.installdir}: what a cross build has to copy to the builder (those with {@link Usage#BUILDER})
     * because neither the mount of the installdir nor the copied netboot tree brings them. xCAT's defaults are
     * {@code /install} and {@code /opt/xcat} ({@code io.crossgen.build.SitePaths.DEFAULT}); a run reads the MN's.
     *
     * <p>The test is by path segments after resolving {@code .} and {@code ..}: {@code /installx/a} and
     * {@code /install/../etc/a} are outside, {@code /install//a} is inside. A relative path is always
     * outside (see {@link #validateForStateless()}).
     *
     * <pre>{@code
     * image.externalFiles("/xcatinstall", "/opt/xcat");   // a site with site.installdir=/xcatinstall
     * }</pre>
     *
     * @param installdir the MN's {@code site.installdir}, absolute
     * @param xcatroot the MN's {@code XCATROOT}, absolute
     * @throws IllegalArgumentException when a root is not absolute
     */
    public List<FileRef> externalFiles(String installdir, String xcatroot) {
        for (String root : List.of(installdir, xcatroot)) {
            if (!root.startsWith("/")) {
                throw new IllegalArgumentException("'" + root + "' is not an absolute path");
            }
        }
        List<String> roots = List.of(normalize(xcatroot + "/share/xcat"), normalize(installdir));
        return referencedFiles().stream().filter(ref -> !isShared(ref.path(), roots)).toList();
    }

    /**
     * Why genimage would refuse or mis-build this image as a stateless (netboot or statelite) image; empty
     * when it looks buildable.
     *
     * <p>Checks what {@code genimage.pm} checks (osvers, osarch, profile and provmethod set; provmethod
     * {@code netboot} or {@code statelite}; pkglist set) and what would break later on the builder: osarch
     * outside {@code x86_64 ppc64le ppc64el ppc64 aarch64 s390x x86}, or {@code ppc64le} on Ubuntu/Debian and
     * {@code ppc64el} elsewhere; a family directory xCAT does not ship; relative paths in attributes the builder
     * reads; white space in values genimage.pm passes unquoted (and {@code "} in the three it quotes); more
     * than one local otherpkgdir; and options the family's genimage lacks ({@code --env} on sles and ubuntu,
     * {@code --driverupdatesrc} and {@code -g} on ubuntu), which would make the builder take a wrong image
     * name. Files are not looked up: this is a check of the definition alone.
     */
    public List<ImageProblem> validateForStateless() {
        return Validation.forStateless(this);
    }

    /**
     * Returns this image when {@link #validateForStateless()} finds nothing.
     *
     * @throws ImageException listing every problem, with the image and the first problem's attribute
     */
    public OsImage requireValidForStateless() {
        List<ImageProblem> problems = validateForStateless();
        if (!problems.isEmpty()) {
            throw new ImageException(name, problems.get(0).attribute(), "osimage '" + name
                    + "' cannot be built as a stateless image: "
                    + problems.stream().map(ImageProblem::message).collect(Collectors.joining("; ")));
        }
        return this;
    }

    /** The paths one catalogued attribute names, prefixes and arguments removed, URLs skipped. */
    List<String> paths(Attribute attribute) {
        Optional<String> value = get(attribute);
        if (value.isEmpty() || !attribute.kind().holdsPaths()) {
            return List.of();
        }
        List<String> entries = attribute.kind().isList() ? list(attribute)
                : value.map(String::strip).filter(s -> !s.isEmpty()).map(List::of).orElse(List.of());
        List<String> paths = new ArrayList<>();
        for (String entry : entries) {
            String path = switch (attribute.kind()) {
                case SCRIPT_ENTRIES -> entry.split("\\s+", 2)[0];
                case PREFIXED_PATH_LIST -> stripDriverPrefix(entry);
                case PREFIXED_PATH -> stripPartitionPrefix(entry);
                default -> entry;
            };
            if (!path.isEmpty() && !isUrl(path)) {
                paths.add(path);
            }
        }
        return paths;
    }

    static boolean isUrl(String entry) {
        return URL.matcher(entry).lookingAt();
    }

    /** Whether a path lies at or under one of the (normalized) roots, by segments. */
    static boolean isShared(String path, List<String> roots) {
        if (!path.startsWith("/")) {
            return false;
        }
        String normal = normalize(path);
        for (String root : roots) {
            if (normal.equals(root) || normal.startsWith(root.equals("/") ? "/" : root + "/")) {
                return true;
            }
        }
        return false;
    }

    /** An absolute path with {@code .}, {@code ..} and empty segments resolved. */
    private static String normalize(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    private static String stripDriverPrefix(String entry) {
        if (entry.startsWith("dud:") || entry.startsWith("rpm:")) {
            return entry.substring(4);
        }
        return entry;
    }

    private static String stripPartitionPrefix(String entry) {
        String path = entry;
        if (path.startsWith("s:")) {
            path = path.substring(2);
        }
        if (path.startsWith("d:") || path.startsWith("c:")) {
            path = path.substring(2);
        }
        return path;
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "image name");
        if (name.isBlank() || !name.equals(name.strip()) || name.contains("=") || name.contains(":")
                || name.contains("\n")) {
            throw new IllegalArgumentException("invalid osimage name '" + name
                    + "': it must be non-empty, without surrounding blanks, '=', ':' or line breaks");
        }
        return name;
    }

    private static String checkAttribute(String image, String attribute) {
        Objects.requireNonNull(attribute, "attribute name");
        if (!attribute.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("osimage '" + image + "': invalid attribute name '" + attribute + "'");
        }
        if (attribute.equals("objtype") || attribute.equals("imagename")) {
            throw new IllegalArgumentException("osimage '" + image + "': '" + attribute
                    + "' is part of the definition, not an attribute");
        }
        return attribute;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OsImage other && name.equals(other.name) && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, attributes);
    }

    @Override
    public String toString() {
        return "OsImage[" + name + ", " + attributes + "]";
    }
}
