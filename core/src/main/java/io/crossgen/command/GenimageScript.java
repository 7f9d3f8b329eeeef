package io.crossgen.command;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The per-distro genimage builder scripts of xCAT and the options each one understands.
 *
 * <p>Several family folders under {@code /opt/xcat/share/xcat/netboot} share one script: {@code centos},
 * {@code rocky}, {@code alma}, {@code ol}, {@code SL}, {@code fedora} and {@code centos-stream} hold a symlink
 * to the {@link #RH} script, {@code sle} is a symlink to {@link #SLES}. {@link #forFamily(String)} resolves a
 * folder name to the script that really runs.
 *
 * <p>Why it matters: every script parses its options with Getopt's {@code pass_through}, so an option a script
 * lacks is not an error; it silently becomes the first leftover word, which the script takes for the image name.
 */
public enum GenimageScript {
    /** {@code netboot/rh/genimage}: yum/dnf based, the only one with the image lock and cross-arch support. */
    RH("rh", EnumSet.complementOf(EnumSet.of(GenimageOption.MODE, GenimageOption.TIMEZONE,
            GenimageOption.IMAGENAME))),
    /** {@code netboot/sles/genimage}: the rh options plus {@code --timezone}, minus {@code --env}. */
    SLES("sles", EnumSet.complementOf(EnumSet.of(GenimageOption.MODE, GenimageOption.ENV,
            GenimageOption.IMAGENAME))),
    /** {@code netboot/ubuntu/genimage}: debootstrap/apt based; no -g, -m, --driverupdatesrc, --ignorekernelchk, --env, --timezone. */
    UBUNTU("ubuntu", Sets.UBUNTU),
    /** {@code netboot/debian/genimage} (legacy): the ubuntu options plus {@code -m}. */
    DEBIAN("debian", Sets.withMode()),
    /** {@code netboot/fedora12/genimage} (legacy): the ubuntu options plus {@code -m}. */
    FEDORA12("fedora12", Sets.withMode()),
    /** {@code netboot/suse/genimage} (legacy): only -a -p -o -n -i -r -l -t -k --onlyinitrd --noupdate. */
    SUSE("suse", EnumSet.of(GenimageOption.ARCH, GenimageOption.PROFILE, GenimageOption.OSVERS,
            GenimageOption.NETDRIVERS, GenimageOption.BOOT_INTERFACE, GenimageOption.OTHER_INTERFACES,
            GenimageOption.ROOT_LIMIT, GenimageOption.TMP_LIMIT, GenimageOption.KERNEL_VERSION,
            GenimageOption.ONLYINITRD, GenimageOption.NOUPDATE)),
    /**
     * {@code netboot/mic/genimage} (Xeon Phi, legacy): -a -p -o --pkglist --srcdir --otherpkglist --otherpkgdir
     * --postinstall --rootimgdir --interactive, and {@code --imagename}, which wins over the first leftover word.
     */
    MIC("mic", EnumSet.of(GenimageOption.ARCH, GenimageOption.PROFILE, GenimageOption.OSVERS,
            GenimageOption.PKGLIST, GenimageOption.SRCDIR, GenimageOption.OTHERPKGLIST, GenimageOption.OTHERPKGDIR,
            GenimageOption.POSTINSTALL, GenimageOption.ROOTIMGDIR, GenimageOption.INTERACTIVE,
            GenimageOption.IMAGENAME));

    private static final Map<String, GenimageScript> FOLDERS = Map.ofEntries(
            Map.entry("rh", RH), Map.entry("centos", RH), Map.entry("centos-stream", RH), Map.entry("rocky", RH),
            Map.entry("alma", RH), Map.entry("ol", RH), Map.entry("SL", RH), Map.entry("fedora", RH),
            Map.entry("sles", SLES), Map.entry("sle", SLES), Map.entry("ubuntu", UBUNTU),
            Map.entry("debian", DEBIAN), Map.entry("fedora12", FEDORA12), Map.entry("suse", SUSE),
            Map.entry("mic", MIC));

    private final String folder;
    private final Set<GenimageOption> options;

    GenimageScript(String folder, Set<GenimageOption> options) {
        this.folder = folder;
        this.options = options;
    }

    /** The folder that holds the real script, e.g. {@code rh} for the {@code rocky} family. */
    public String folder() {
        return folder;
    }

    /**
     * The script that runs for a family folder name ({@code rh}, {@code rocky}, {@code sle}, ...); case matters
     * ({@code SL} is Scientific Linux).
     *
     * @return empty for a folder this version of crossgen does not know
     */
    public static Optional<GenimageScript> forFamily(String family) {
        return Optional.ofNullable(FOLDERS.get(family));
    }

    /** The family folder names crossgen knows, sorted. */
    public static List<String> knownFamilies() {
        return FOLDERS.keySet().stream().sorted().toList();
    }

    /** Whether this script understands the option, e.g. {@code supports("--env")}. */
    public boolean supports(String option) {
        return GenimageOption.bySpelling(option).map(options::contains).orElse(false);
    }

    boolean supports(GenimageOption option) {
        return options.contains(option);
    }

    /** Option sets shared by several scripts. */
    private static final class Sets {
        static final Set<GenimageOption> UBUNTU = EnumSet.of(GenimageOption.ARCH, GenimageOption.PROFILE,
                GenimageOption.OSVERS, GenimageOption.NETDRIVERS, GenimageOption.BOOT_INTERFACE,
                GenimageOption.OTHER_INTERFACES, GenimageOption.ROOT_LIMIT, GenimageOption.TMP_LIMIT,
                GenimageOption.KERNEL_VERSION, GenimageOption.PERMISSION, GenimageOption.KERNELDIR,
                GenimageOption.PKGLIST, GenimageOption.SRCDIR, GenimageOption.OTHERPKGDIR,
                GenimageOption.OTHERPKGLIST, GenimageOption.POSTINSTALL, GenimageOption.ROOTIMGDIR,
                GenimageOption.INTERACTIVE, GenimageOption.ONLYINITRD, GenimageOption.NOUPDATE);

        static Set<GenimageOption> withMode() {
            Set<GenimageOption> s = EnumSet.copyOf(UBUNTU);
            s.add(GenimageOption.MODE);
            return s;
        }
    }
}
