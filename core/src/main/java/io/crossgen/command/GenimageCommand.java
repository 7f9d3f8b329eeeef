package io.crossgen.command;

import io.crossgen.image.OsImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A run of one of xCAT's per-distro genimage builder scripts ({@code /opt/xcat/share/xcat/netboot/<family>/
 * genimage}): every option as a typed field, the image name and the family folder.
 *
 * <p>Three ways to get one: {@link #builder()}; {@link #predict(OsImage)}, which maps osimage attributes to
 * options exactly as xCAT's genimage plugin does; and {@link #fromDryRun(String)}, which parses what
 * {@code genimage --dryrun <image>} prints on the management node. {@link #diff(GenimageCommand)} compares two.
 *
 * <pre>{@code
 * GenimageCommand cmd = GenimageCommand.builder()
 *         .family("rh").arch("ppc64le").osvers("rhels8.8.0").profile("compute")
 *         .pkglist(List.of("/opt/xcat/share/xcat/netboot/rh/compute.rhels8.ppc64le.pkglist"))
 *         .imageName("mycomputeimage")
 *         .build();
 * cmd.toShellLine();
 * // cd /opt/xcat/share/xcat/netboot/rh && ./genimage -a ppc64le -o rhels8.8.0 -p compute --pkglist ... mycomputeimage
 * }</pre>
 *
 * <p>Validation ({@link Builder#build()}): {@code -o} and {@code -p} are required. Any option may be set for
 * any family, because xCAT's plugin prints {@code --env} and {@code --driverupdatesrc} whatever the family
 * (XCAT.md 8.2). Running such a line verbatim is wrong: the scripts parse options with Getopt's
 * {@code pass_through}, so an option a script lacks becomes the first leftover word, which the script takes for
 * the image name. {@link #replay()} gives the command a builder should run instead. {@code --tempfile} is never
 * modelled (it is the MN's hand-over file; on a builder it must not be passed).
 *
 * <p>Comma lists: {@link #fromDryRun} and {@link #predict} keep the value exactly as written, a trailing comma
 * or an empty item included ({@code a.pkglist,} stays {@code a.pkglist,}, XCAT.md 8.6), so the argv is what
 * xCAT prints. The accessors ({@link #pkglist()}, ...) give the items stripped and without empty ones; the
 * builder's list setters strip and drop empty items too.
 *
 * <p>Words crossgen does not model (an option of a newer xCAT, say) are kept in {@link #extraArgs()} and
 * written just before the image name. Pitfall: the script sees them as leftover words too, so unless the
 * script knows them, they displace the image name.
 */
public final class GenimageCommand {
    /** The default {@code XCATROOT}. */
    public static final String DEFAULT_XCAT_ROOT = "/opt/xcat";


    private final String xcatRoot;
    private final String family;
    private final Map<GenimageOption, List<String>> options;
    private final List<String> extraArgs;
    private final Optional<String> imageName;

    private GenimageCommand(Builder b) {
        this.xcatRoot = b.xcatRoot;
        this.family = b.family;
        EnumMap<GenimageOption, List<String>> copy = new EnumMap<>(GenimageOption.class);
        copy.putAll(b.options);
        this.options = Collections.unmodifiableMap(copy);
        this.extraArgs = List.copyOf(b.extraArgs);
        this.imageName = Optional.ofNullable(b.imageName);
    }

    /** An empty builder; {@code family}, {@code osvers} and {@code profile} must be set before {@code build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this command's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.xcatRoot = xcatRoot;
        b.family = family;
        b.options.putAll(options);
        b.extraArgs.addAll(extraArgs);
        b.imageName = imageName.orElse(null);
        return b;
    }

    // ------------------------------------------------------------------ where it runs

    /** {@code XCATROOT} on the host that runs the script; {@value #DEFAULT_XCAT_ROOT} unless set. */
    public String xcatRoot() {
        return xcatRoot;
    }

    /** The family folder name under {@code netboot/}: {@code rh}, {@code rocky}, {@code sle}, {@code ubuntu}, ... */
    public String family() {
        return family;
    }

    /** The script that really runs for the family (the target of the family's symlink). */
    public GenimageScript script() {
        return GenimageScript.forFamily(family).orElseThrow();
    }

    /** The folder the script runs in: {@code <xcatRoot>/share/xcat/netboot/<family>}. */
    public String folder() {
        return xcatRoot + "/share/xcat/netboot/" + family;
    }

    // ------------------------------------------------------------------ options

    /** {@code -a}: target architecture (osimage {@code osarch}); the script defaults to the host's. */
    public Optional<String> arch() {
        return single(GenimageOption.ARCH);
    }

    /** {@code -o}: the OS version, e.g. {@code rhels8.8.0} (osimage {@code osvers}). Always present. */
    public String osvers() {
        return single(GenimageOption.OSVERS).orElseThrow();
    }

    /** {@code -p}: the profile, e.g. {@code compute}. Always present. */
    public String profile() {
        return single(GenimageOption.PROFILE).orElseThrow();
    }

    /** {@code -n}: network drivers for the initrd (osimage {@code netdrivers}). */
    public List<String> netdrivers() {
        return list(GenimageOption.NETDRIVERS);
    }

    /** {@code -i}: the node boot interface (osimage {@code nodebootif}). */
    public Optional<String> bootInterface() {
        return single(GenimageOption.BOOT_INTERFACE);
    }

    /** {@code -r}: other interfaces, configured for DHCP (osimage {@code otherifce}). */
    public List<String> otherInterfaces() {
        return list(GenimageOption.OTHER_INTERFACES);
    }

    /** {@code -l}: tmpfs size limit of {@code /} in the initrd, e.g. {@code 10g}. */
    public Optional<String> rootLimit() {
        return single(GenimageOption.ROOT_LIMIT);
    }

    /** {@code -t}: tmpfs size of {@code /tmp} and {@code /var/tmp}. */
    public Optional<String> tmpLimit() {
        return single(GenimageOption.TMP_LIMIT);
    }

    /** {@code -k}: exact kernel version (osimage {@code kernelver}). */
    public Optional<String> kernelVersion() {
        return single(GenimageOption.KERNEL_VERSION);
    }

    /** {@code -g}: kernel RPM version (osimage {@code krpmver}). */
    public Optional<String> kernelRpmVersion() {
        return single(GenimageOption.KERNEL_RPM_VERSION);
    }

    /** {@code -m}: mode, e.g. {@code statelite} (debian and fedora12 scripts only). */
    public Optional<String> mode() {
        return single(GenimageOption.MODE);
    }

    /** {@code --permission}: mount permission of {@code /.statelite} (osimage {@code permission}). */
    public Optional<String> permission() {
        return single(GenimageOption.PERMISSION);
    }

    /** {@code --kerneldir}: repository of third-party kernels (osimage {@code kerneldir}). */
    public Optional<String> kerneldir() {
        return single(GenimageOption.KERNELDIR);
    }

    /** {@code --interactive}: do not pass {@code -y} to yum/dnf. */
    public boolean interactive() {
        return options.containsKey(GenimageOption.INTERACTIVE);
    }

    /** {@code --onlyinitrd}: only regenerate the initrds. */
    public boolean onlyinitrd() {
        return options.containsKey(GenimageOption.ONLYINITRD);
    }

    /** {@code --env}: {@code K=V} items exported before installs and postinstall (osimage {@code environvar}). */
    public List<String> env() {
        return list(GenimageOption.ENV);
    }

    /** {@code --srcdir}: distro repositories (osimage {@code pkgdir}). */
    public List<String> srcdir() {
        return list(GenimageOption.SRCDIR);
    }

    /** {@code --pkglist}: distro package list files (osimage {@code pkglist}). */
    public List<String> pkglist() {
        return list(GenimageOption.PKGLIST);
    }

    /** {@code --otherpkgdir}: non-distro repositories (osimage {@code otherpkgdir}). */
    public List<String> otherpkgdir() {
        return list(GenimageOption.OTHERPKGDIR);
    }

    /** {@code --otherpkglist}: non-distro package list files (osimage {@code otherpkglist}). */
    public List<String> otherpkglist() {
        return list(GenimageOption.OTHERPKGLIST);
    }

    /** {@code --postinstall}: entries {@code script [arg ...]} (osimage {@code postinstall}). */
    public List<String> postinstall() {
        return list(GenimageOption.POSTINSTALL);
    }

    /** {@code --rootimgdir}: where {@code rootimg/}, kernel and initrds go (osimage {@code rootimgdir}). */
    public Optional<String> rootimgdir() {
        return single(GenimageOption.ROOTIMGDIR);
    }

    /** {@code --driverupdatesrc}: {@code dud:}/{@code rpm:} sources (osimage {@code driverupdatesrc}). */
    public List<String> driverupdatesrc() {
        return list(GenimageOption.DRIVERUPDATESRC);
    }

    /** {@code --ignorekernelchk}: inject all drivers without checking the kernel version. */
    public boolean ignorekernelchk() {
        return options.containsKey(GenimageOption.IGNOREKERNELCHK);
    }

    /** {@code --noupdate}: skip the update after the otherpkgs install. */
    public boolean noupdate() {
        return options.containsKey(GenimageOption.NOUPDATE);
    }

    /** {@code --timezone}: the sles script's time zone (xCAT passes {@code site.timezone}). */
    public Optional<String> timezone() {
        return single(GenimageOption.TIMEZONE);
    }

    /** {@code --imagename}: the mic script's image name option (xCAT never prints it). */
    public Optional<String> imageNameOption() {
        return single(GenimageOption.IMAGENAME);
    }

    /** Words crossgen does not model, written just before the image name, in order. */
    public List<String> extraArgs() {
        return extraArgs;
    }

    /** The osimage name, the script's first leftover word; empty for the {@code -o/-p} lookup form. */
    public Optional<String> imageName() {
        return imageName;
    }

    // ------------------------------------------------------------------ rendering

    /**
     * The argv, starting with {@code ./genimage}: options in the order of xCAT's plugin, then the extra
     * arguments, then the image name. Comma lists are joined with {@code ,}.
     */
    public List<String> toArgv() {
        List<String> argv = new ArrayList<>();
        argv.add("./genimage");
        options.forEach((option, value) -> {
            argv.add(option.spelling());
            if (option.kind() != GenimageOption.Kind.FLAG) {
                argv.add(String.join(",", value));
            }
        });
        argv.addAll(extraArgs);
        imageName.ifPresent(argv::add);
        return argv;
    }

    /** The command to run: {@link #toArgv()} in {@link #folder()}. */
    public Command toCommand() {
        return Command.builder().addArgs(toArgv()).workingDirectory(folder()).build().asProcedure();
    }

    /** {@code cd <folder> && ./genimage ...}, quoted by {@link Shell}. */
    public String toShellLine() {
        return Shell.render(toCommand());
    }

    /** The same as {@link #toShellLine()}. */
    @Override
    public String toString() {
        return toShellLine();
    }

    // ------------------------------------------------------------------ replaying on a builder

    /**
     * What a builder should run instead of this line verbatim: the command without the options its family's
     * script lacks, the variables to export into genimage's environment, and one warning per option left out.
     *
     * <p>xCAT prints {@code --env} and {@code --driverupdatesrc} for every family (XCAT.md 8.2). Run verbatim,
     * a script without them (Getopt {@code bundling} + {@code pass_through}) keeps the unknown option and its
     * value as leftover words and takes the first one for the image name. So each such option is dropped with a
     * warning that says so, e.g. {@code ubuntu/genimage has no --env: run verbatim, it would have taken '--env'
     * as the image name; its variables SITE are exported into genimage's environment instead}.
     *
     * <p>{@code --env}'s items are exported as {@code rh/genimage} reads them: split at {@code ,}, each item
     * split at {@code =}, name and value trimmed, and the value ends at a second {@code =} (a warning says when
     * that cuts a value). An item whose name is not a shell name ({@code [A-Za-z_][A-Za-z0-9_]*}) is left out
     * with a warning. Scripts that have an option keep it: on {@code rh}, {@code --env} stays on the line.
     */
    public Replay replay() {
        return GenimageReplay.of(this);
    }

    /**
     * A genimage command made fit for its script, with what it needs in its environment; see {@link #replay()}.
     *
     * @param command the command to run (options its script lacks left out)
     * @param environment variables to export into genimage's environment, in {@code environvar} order
     * @param warnings one per option left out or environment item cut, for the run's report
     */
    public record Replay(GenimageCommand command, Map<String, String> environment, List<String> warnings) {

        public Replay {
            Objects.requireNonNull(command, "command");
            environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
            warnings = List.copyOf(warnings);
        }
    }

    // ------------------------------------------------------------------ comparing

    /**
     * What differs between this command and another: family, xcatRoot, every option, extra arguments and image
     * name, in command order. Labels are {@code this} and {@code other}; see {@link GenimageDiff#withLabels}.
     */
    public GenimageDiff diff(GenimageCommand other) {
        return GenimageDiff.between(this, Objects.requireNonNull(other, "other"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenimageCommand other
                && xcatRoot.equals(other.xcatRoot)
                && family.equals(other.family)
                && options.equals(other.options)
                && extraArgs.equals(other.extraArgs)
                && imageName.equals(other.imageName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(xcatRoot, family, options, extraArgs, imageName);
    }

    // ------------------------------------------------------------------ predicting

    /**
     * The command xCAT's genimage plugin would build for this osimage, from its attributes alone.
     *
     * <p>The mapping (XCAT.md 1.5): {@code osarch -> -a}, {@code osvers -> -o}, {@code profile -> -p},
     * {@code netdrivers -> -n}, {@code nodebootif -> -i}, {@code otherifce -> -r}, {@code kernelver -> -k},
     * {@code krpmver -> -g}, {@code permission}, {@code kerneldir}, {@code environvar -> --env},
     * {@code pkgdir -> --srcdir}, {@code pkglist}, {@code otherpkgdir}, {@code otherpkglist},
     * {@code postinstall}, {@code rootimgdir}, {@code driverupdatesrc}; the image name last. As in Perl, an
     * empty value and the literal {@code 0} count as unset. The family is derived from osvers as the plugin
     * does ({@code rhels8.8.0 -> rh}, {@code sle15.4 -> sle}). Command-line-only options ({@code -l -t -m},
     * the flags) are never set: add them with {@link #toBuilder()}. {@code --timezone} comes from the site
     * table: see {@link #predict(OsImage, Optional)}.
     *
     * <p>Every option is predicted whatever the family, as xCAT prints it: a ubuntu image with
     * {@code environvar} gets {@code --env} (XCAT.md 8.2). Comma lists are kept as written. A value with blanks
     * in an option xCAT writes bare (all but srcdir, otherpkgdir and postinstall) splits as it does in xCAT's
     * shell line: the first word stays the value, the others become {@link #extraArgs()}, as
     * {@link #fromDryRun} reads them.
     *
     * @throws CommandException when xCAT would refuse the image (osvers, osarch, profile or provmethod unset,
     *     provmethod other than netboot or statelite, no pkglist, no genimage folder for the family: "Unable to
     *     find genimage script")
     */
    public static GenimageCommand predict(OsImage image) {
        return predict(image, Optional.empty());
    }

    /**
     * As {@link #predict(OsImage)}, with the MN's {@code site.timezone}: xCAT adds {@code --timezone} only when
     * the family is exactly {@code sles} (sles11, sles12, leap15; not {@code sle15}, XCAT.md 8.3).
     */
    public static GenimageCommand predict(OsImage image, Optional<String> siteTimezone) {
        return GenimagePrediction.predict(image, siteTimezone);
    }

    // ------------------------------------------------------------------ parsing

    /**
     * Parses what {@code genimage --dryrun <image>} printed on stdout.
     *
     * <p>Accepted: the {@code Generating image: } header (trailing space, printed twice or not at all), info
     * lines, each line optionally prefixed by {@code [host]: }, then one line {@code cd <folder>; ./genimage
     * <options> <image>} in the old unquoted form or the newer one with {@code "..."} around srcdir, otherpkgdir
     * and postinstall (double quotes group words; xCAT writes no escapes). Lines after it (a real run's output)
     * are ignored. {@code --tempfile <file>} is dropped, and so is the stray {@code 1} that xCAT's plugin writes
     * after {@code --ignorekernelchk} and {@code --noupdate}. {@code --long=value} is read too. Words that are
     * not options crossgen knows are kept, in order, in {@link #extraArgs()} (and logged as a warning); the last
     * word is the image name (a mic line may give it with {@code --imagename} instead). Options the family's
     * script lacks ({@code --env} on ubuntu, ...) are read like any other, since xCAT prints them for every
     * family; {@link #replay()} says what a builder should run. Comma lists are kept exactly as written.
     *
     * <p>Rejected, with a {@link CommandException} that says why: no {@code cd ...; ./genimage} line (quoting the
     * first lines printed), two different such lines, a folder that is not {@code <root>/share/xcat/netboot/
     * <family>}, an unterminated double quote, an option given twice, an option with no value at the end, a line
     * that does not end with an image name (output cut short), and an unknown family.
     */
    public static GenimageCommand fromDryRun(String stdout) {
        return DryRunParser.parse(stdout);
    }

    /**
     * Parses a finished {@code genimage --dryrun} run: its stdout, stderr and exit code.
     *
     * <p>xCAT reports errors on stderr as {@code Error: [host]: message} and exits 1. Any such line, or a
     * non-zero exit, makes this throw a {@link CommandException} whose message carries xCAT's messages
     * (without the {@code Error: [host]: } part), e.g. {@code genimage --dryrun failed (exit 1): Cannot find
     * image 'x' from the osimage table.}. Otherwise the stdout is parsed as by {@link #fromDryRun(String)}.
     */
    public static GenimageCommand fromDryRun(String stdout, String stderr, int exitCode) {
        XcatOutput.check("genimage --dryrun", stdout, stderr, exitCode, message -> Optional.empty());
        return DryRunParser.parse(stdout);
    }

    /** Every option set, in command order, values as written. */
    Map<GenimageOption, List<String>> options() {
        return options;
    }

    private Optional<String> single(GenimageOption o) {
        List<String> v = options.get(o);
        return v == null ? Optional.empty() : Optional.of(v.get(0));
    }

    private List<String> list(GenimageOption o) {
        return options.getOrDefault(o, List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    // ------------------------------------------------------------------ builder

    /**
     * Builds a {@link GenimageCommand}; setters accept {@code null} (and list setters an empty list) to unset
     * an option. {@link #build()} validates.
     */
    public static final class Builder {
        private String xcatRoot = DEFAULT_XCAT_ROOT;
        private String family;
        private final EnumMap<GenimageOption, List<String>> options = new EnumMap<>(GenimageOption.class);
        private final List<String> extraArgs = new ArrayList<>();
        private String imageName;

        private Builder() {
        }

        /** {@code XCATROOT} on the builder; {@value GenimageCommand#DEFAULT_XCAT_ROOT} by default. */
        public Builder xcatRoot(String root) {
            this.xcatRoot = Objects.requireNonNull(root, "xcatRoot");
            return this;
        }

        /** The family folder under {@code netboot/}, e.g. {@code rh}, {@code rocky}, {@code sle}, {@code ubuntu}. */
        public Builder family(String folder) {
            this.family = folder;
            return this;
        }

        /** {@code -a}. */
        public Builder arch(String arch) {
            return value(GenimageOption.ARCH, arch);
        }

        /** {@code -o} (required). */
        public Builder osvers(String osvers) {
            return value(GenimageOption.OSVERS, osvers);
        }

        /** {@code -p} (required). */
        public Builder profile(String profile) {
            return value(GenimageOption.PROFILE, profile);
        }

        /** {@code -n}. */
        public Builder netdrivers(List<String> drivers) {
            return items(GenimageOption.NETDRIVERS, drivers);
        }

        /** {@code -i}. */
        public Builder bootInterface(String nic) {
            return value(GenimageOption.BOOT_INTERFACE, nic);
        }

        /** {@code -r}. */
        public Builder otherInterfaces(List<String> nics) {
            return items(GenimageOption.OTHER_INTERFACES, nics);
        }

        /** {@code -l}. */
        public Builder rootLimit(String size) {
            return value(GenimageOption.ROOT_LIMIT, size);
        }

        /** {@code -t}. */
        public Builder tmpLimit(String size) {
            return value(GenimageOption.TMP_LIMIT, size);
        }

        /** {@code -k}. */
        public Builder kernelVersion(String version) {
            return value(GenimageOption.KERNEL_VERSION, version);
        }

        /** {@code -g}. */
        public Builder kernelRpmVersion(String version) {
            return value(GenimageOption.KERNEL_RPM_VERSION, version);
        }

        /** {@code -m}. */
        public Builder mode(String mode) {
            return value(GenimageOption.MODE, mode);
        }

        /** {@code --permission}. */
        public Builder permission(String permission) {
            return value(GenimageOption.PERMISSION, permission);
        }

        /** {@code --kerneldir}. */
        public Builder kerneldir(String folder) {
            return value(GenimageOption.KERNELDIR, folder);
        }

        /** {@code --interactive}. */
        public Builder interactive(boolean on) {
            return flag(GenimageOption.INTERACTIVE, on);
        }

        /** {@code --onlyinitrd}. */
        public Builder onlyinitrd(boolean on) {
            return flag(GenimageOption.ONLYINITRD, on);
        }

        /** {@code --env}, items {@code K=V}. */
        public Builder env(List<String> assignments) {
            return items(GenimageOption.ENV, assignments);
        }

        /** {@code --srcdir}. */
        public Builder srcdir(List<String> repositories) {
            return items(GenimageOption.SRCDIR, repositories);
        }

        /** {@code --pkglist}. */
        public Builder pkglist(List<String> files) {
            return items(GenimageOption.PKGLIST, files);
        }

        /** {@code --otherpkgdir}. */
        public Builder otherpkgdir(List<String> repositories) {
            return items(GenimageOption.OTHERPKGDIR, repositories);
        }

        /** {@code --otherpkglist}. */
        public Builder otherpkglist(List<String> files) {
            return items(GenimageOption.OTHERPKGLIST, files);
        }

        /** {@code --postinstall}, entries {@code script [arg ...]}. */
        public Builder postinstall(List<String> entries) {
            return items(GenimageOption.POSTINSTALL, entries);
        }

        /** {@code --rootimgdir}. */
        public Builder rootimgdir(String folder) {
            return value(GenimageOption.ROOTIMGDIR, folder);
        }

        /** {@code --driverupdatesrc}. */
        public Builder driverupdatesrc(List<String> sources) {
            return items(GenimageOption.DRIVERUPDATESRC, sources);
        }

        /** {@code --ignorekernelchk}. */
        public Builder ignorekernelchk(boolean on) {
            return flag(GenimageOption.IGNOREKERNELCHK, on);
        }

        /** {@code --noupdate}. */
        public Builder noupdate(boolean on) {
            return flag(GenimageOption.NOUPDATE, on);
        }

        /** {@code --timezone} (sles script only). */
        public Builder timezone(String zone) {
            return value(GenimageOption.TIMEZONE, zone);
        }

        /** Words written just before the image name (replaces earlier ones); see the class pitfall. */
        public Builder extraArgs(List<String> words) {
            extraArgs.clear();
            extraArgs.addAll(List.copyOf(words));
            return this;
        }

        /** The osimage name, or {@code null} for the {@code -o/-p} lookup form. */
        public Builder imageName(String name) {
            this.imageName = name;
            return this;
        }

        boolean has(GenimageOption option) {
            return options.containsKey(option);
        }

        Builder set(GenimageOption option, List<String> value) {
            if (value == null || (option.kind() != GenimageOption.Kind.FLAG && value.isEmpty())) {
                options.remove(option);
            } else {
                options.put(option, List.copyOf(value));
            }
            return this;
        }

        private Builder value(GenimageOption option, String value) {
            return set(option, value == null ? null : List.of(value));
        }

        private Builder items(GenimageOption option, List<String> items) {
            return set(option, items == null ? null : items.stream()
                    .map(s -> Objects.requireNonNull(s, option.spelling() + " item").strip())
                    .filter(s -> !s.isEmpty()).toList());
        }

        private Builder flag(GenimageOption option, boolean on) {
            return set(option, on ? List.of() : null);
        }

        /**
         * Builds the command.
         *
         * @throws IllegalArgumentException when the family is unset or unknown, {@code xcatRoot} is not absolute,
         *     {@code -o} or {@code -p} is unset, a value is empty, a list item holds a comma, the image name is
         *     empty or starts with {@code -}, or an extra argument is an option crossgen models. An option the
         *     family's script lacks is accepted (xCAT prints such lines); {@link GenimageCommand#replay()} drops it.
         */
        public GenimageCommand build() {
            if (family == null || family.isEmpty()) {
                throw new IllegalArgumentException("genimage needs a family: the folder under "
                        + xcatRoot + "/share/xcat/netboot that holds the script, e.g. rh");
            }
            Optional<GenimageScript> script = GenimageScript.forFamily(family);
            if (script.isEmpty()) {
                throw new IllegalArgumentException("no genimage script is known for family '" + family
                        + "'; known families: " + String.join(", ", GenimageScript.knownFamilies()));
            }
            if (!xcatRoot.startsWith("/")) {
                throw new IllegalArgumentException("xcatRoot must be an absolute path, not '" + xcatRoot + "'");
            }
            if (!options.containsKey(GenimageOption.OSVERS)) {
                throw new IllegalArgumentException(
                        "genimage needs -o (osvers): without it the script prints its usage and exits 1");
            }
            if (!options.containsKey(GenimageOption.PROFILE)) {
                throw new IllegalArgumentException(
                        "genimage needs -p (profile): without it the script prints its usage and exits 1");
            }
            for (Map.Entry<GenimageOption, List<String>> e : options.entrySet()) {
                checkValue(e.getKey(), e.getValue());
            }
            for (String word : extraArgs) {
                Objects.requireNonNull(word, "extra argument");
                String name = word.startsWith("--") && word.indexOf('=') > 2 ? word.substring(0, word.indexOf('='))
                        : word;
                if (GenimageOption.bySpelling(name).isPresent() || name.equals("--tempfile")) {
                    throw new IllegalArgumentException("extra argument '" + word
                            + "' is a genimage option crossgen models: set it with its own builder method");
                }
            }
            if (imageName != null) {
                if (imageName.isEmpty()) {
                    throw new IllegalArgumentException("genimage image name must not be empty");
                }
                if (imageName.startsWith("-")) {
                    throw new IllegalArgumentException("genimage image name '" + imageName
                            + "' starts with '-': the script would read it as an option");
                }
            }
            return new GenimageCommand(this);
        }

        private static void checkValue(GenimageOption o, List<String> value) {
            if (o.kind() == GenimageOption.Kind.VALUE && value.get(0).isEmpty()) {
                throw new IllegalArgumentException("genimage option " + o.spelling() + " has an empty value");
            }
            if (o.kind() == GenimageOption.Kind.LIST) {
                for (String item : value) {
                    if (item.indexOf(',') >= 0) {
                        throw new IllegalArgumentException("genimage option " + o.spelling() + ": item '" + item
                                + "' holds a comma, which the script reads as an item separator");
                    }
                }
            }
        }
    }
}
