package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.Host;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, on the builder, everything the family's genimage will need, in one round trip, and reports every
 * failed check at once.
 *
 * <p>Checks, by name: {@code arch} ({@code uname -m} matches osarch; {@code ppc64el} is {@code ppc64le}),
 * {@code os-release} (the builder's distribution belongs to the image's family and has its major release),
 * {@code root} (commands run as root: log in as root or use {@code ?sudo=true} with a working
 * {@code sudo -n}), {@code tools} (perl, tar, cpio, dnf or yum for rh, zypper for SUSE, debootstrap for
 * Ubuntu, and what the {@link Mount} needs), {@code perl-modules} (DBI, which xCAT's Perl libraries load;
 * JSON, which xCAT 2.18 loads, only warns), {@code install} ({@code /install}, and the site's installdir when
 * that is another folder, free or already the MN's export of the installdir; with {@link Mount#none()}, both
 * present). With {@link #withEmulation} the {@code arch} check becomes the emulation's checks: binfmt_misc on
 * the builder (by ELF magic and mask), the rh family, xCAT 2.17 or later on the MN ({@code lsxcatd -v}).
 *
 * <p>All facts come from one {@code sh -c SCRIPT} printing {@code key=value} lines. A user can waive a check
 * by name (e.g. {@code tools} when the builder has them under other names); a waived check that
 * fails is recorded as a warning. Needs {@link BuildKeys#IMAGE}.
 *
 * <pre>{@code
 * Preflight.defaults().withMount(Mount.sshfs()).withWaived("os-release")
 * }</pre>
 */
public final class Preflight implements Step {
    /** The step's name. */
    public static final String NAME = "preflight";
    /** The names of the checks, for {@link #withWaived}. */
    public static final Set<String> CHECKS = Set.of("arch", "os-release", "root", "tools", "perl-modules", "install");

    /** Prints the facts; its arguments are the site's installdir, then the tools to look for. */
    static final String SCRIPT = Script.load("preflight.sh");

    /** The binfmt_misc facts, appended to {@link #SCRIPT} when the build is emulated. */
    static final String BINFMT = Script.load("binfmt.sh");
    /** The lowest xCAT whose rh genimage builds for another architecture (xcat-core b27f419, 2.17.0). */
    static final int[] EMULATING_XCAT = {2, 17};
    /** What installs and registers qemu-user, for every message that asks for it. */
    static final String INSTALL_QEMU = "install qemu-user-static (Debian/Ubuntu: `apt-get install"
            + " qemu-user-static binfmt-support`; EL: `dnf install qemu-user-static`, then `systemctl restart"
            + " systemd-binfmt`), which registers its binfmt_misc entries with the F flag";
    private static final Pattern XCAT_VERSION = Pattern.compile("Version (\\d+)\\.(\\d+)(\\.\\d+)*");

    private final Mount mount;
    private final String managementNode;
    private final Set<String> waived;
    private final Emulation emulation;

    private Preflight(Mount mount, String managementNode, Set<String> waived, Emulation emulation) {
        this.mount = mount;
        this.managementNode = managementNode;
        this.waived = Set.copyOf(waived);
        this.emulation = emulation;
    }

    /** The checks for {@link Mount#nfs()} from an MN the builder knows as {@code xcatmn}, nothing waived. */
    public static Preflight defaults() {
        return new Preflight(Mount.nfs(), "xcatmn", Set.of(), null);
    }

    /** A copy for another mount strategy (its tools are checked, and an existing mount is judged by it). */
    public Preflight withMount(Mount strategy) {
        return new Preflight(Objects.requireNonNull(strategy, "mount"), managementNode, waived, emulation);
    }

    /** A copy for an MN the builder knows by another name. */
    public Preflight withManagementNode(String name) {
        return new Preflight(mount, Host.checkName(name), waived, emulation);
    }

    /**
     * A copy that lets the builder's architecture differ from the image's when, and only when, the builder can
     * run the image's binaries through {@code how}: it then also checks the builder's binfmt_misc (in the same
     * round trip), the family (rh only) and the MN's xCAT version ({@code lsxcatd -v}, 2.17 or later). Each
     * failed check says what to run.
     */
    public Preflight withEmulation(Emulation how) {
        return new Preflight(mount, managementNode, waived, Objects.requireNonNull(how, "emulation"));
    }

    /** The emulation the builder may use, if any. */
    public Optional<Emulation> emulation() {
        return Optional.ofNullable(emulation);
    }

    /**
     * A copy that waives the named checks: they still run, and a failure becomes a warning.
     *
     * @throws IllegalArgumentException naming an unknown check and listing the known ones
     */
    public Preflight withWaived(String... checks) {
        Set<String> all = new LinkedHashSet<>(waived);
        for (String c : checks) {
            if (!CHECKS.contains(c)) {
                throw new IllegalArgumentException("unknown preflight check '" + c + "'; known: "
                        + String.join(", ", new TreeSet<>(CHECKS)));
            }
            all.add(c);
        }
        return new Preflight(mount, managementNode, all, emulation);
    }

    /** The waived checks. */
    public Set<String> waived() {
        return waived;
    }

    /** Needs the image's OS, arch and the site's installdir (not the dry run); after the lock, as every step. */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(CopyDefinition.NAME, LockImage.NAME));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean repeatable() {
        return true;
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        OsImage image = BuildKeys.image(context);
        SitePaths site = SitePaths.of(context);
        MountInstall.siteRefusal(site, mount).ifPresent(why -> {
            throw new BuildException(why);
        });
        TargetOs target = target(image);
        List<String> tools = new ArrayList<>();
        target.tools().forEach(tools::addAll);
        tools.addAll(mountTools(mount));
        List<String> argv = new ArrayList<>(List.of("sh", "-c", emulation == null ? SCRIPT : SCRIPT + "\n" + BINFMT,
                "crossgen-preflight", site.installdir()));
        argv.addAll(tools);
        String out = context.check(BuildRoles.BUILDER, Command.of(argv)).stdout().text();
        ExecResult xcat = emulation == null ? null : context.exec(BuildRoles.MN, Command.of("lsxcatd", "-v").asXcatCall());
        if (context.planning()) {
            context.note("preflight: builder must be " + target.describe() + " (os-release ID one of "
                    + String.join(", ", new TreeSet<>(target.acceptedIds())) + "), root, with "
                    + describeTools(target, mount) + (waived.isEmpty() ? "" : "; waived: "
                    + String.join(", ", new TreeSet<>(waived))));
            if (emulation != null) {
                context.note("emulated via " + emulation + " when the builder is not " + target.arch()
                        + ": preflight then needs an enabled binfmt_misc entry on the builder for " + target.arch()
                        + " binaries, its interpreter present, flag F; the rh family; xCAT 2.17 or later on the MN");
            }
            return;
        }
        Map<String, String> facts = parseFacts(out);
        List<Problem> found = evaluate(facts, target, mount, managementNode, site.installdir(), context::warn);
        if (emulation != null) {
            found = emulationInstead(found, facts.getOrDefault("arch", ""), out, xcat, target, context);
        }
        List<Problem> problems = new ArrayList<>();
        for (Problem p : found) {
            if (waived.contains(p.check())) {
                context.warn("preflight check '" + p.check() + "' waived: " + p.message());
            } else {
                problems.add(p);
            }
        }
        if (!problems.isEmpty()) {
            StringBuilder msg = new StringBuilder("the builder " + context.host(BuildRoles.BUILDER).label() + " failed "
                    + problems.size() + (problems.size() == 1 ? " check" : " checks") + ":");
            for (Problem p : problems) {
                msg.append("\n  ").append(p.check()).append(": ").append(p.message());
            }
            throw new RefusedException(msg.toString());
        }
    }

    /**
     * The problems with the {@code arch} mismatch replaced by what keeps emulation from working; when nothing
     * does, the interpreter goes to {@link BuildKeys#EMULATOR} and the report says so.
     */
    private static List<Problem> emulationInstead(List<Problem> problems, String arch, String builderOutput,
            ExecResult xcat, TargetOs target, StepContext context) {
        if (target.archMatches(arch)) {
            context.note("not emulated: the builder is " + arch + ", as the image");
            return problems;
        }
        List<Problem> all = new ArrayList<>(problems.stream().filter(p -> !p.check().equals("arch")).toList());
        String xcatOutput = xcat.exit() instanceof Exit.Exited e && e.code() == 0 ? xcat.stdout().text()
                : "lsxcatd -v " + xcat.exit().describe() + ": " + xcat.stderr().text().strip();
        List<Problem> emulated = emulationProblems(arch, target, BinfmtEntry.parseAll(builderOutput),
                parseFacts(builderOutput).getOrDefault("binfmt.status", ""), xcatOutput);
        all.addAll(emulated);
        if (emulated.isEmpty()) {
            BinfmtEntry entry = BinfmtEntry.forArch(BinfmtEntry.parseAll(builderOutput), target.arch()).orElseThrow();
            context.put(BuildKeys.EMULATOR, entry.interpreter());
            context.note("emulated via " + entry.interpreter() + " (binfmt_misc entry " + entry.name() + ", flags "
                    + entry.flags() + "): " + target.arch() + " on the " + arch + " builder");
        }
        return all;
    }

    /**
     * What keeps a builder of machine {@code arch} from building {@code target} under emulation: the family,
     * the MN's xCAT version (from {@code lsxcatd -v}'s output), and the builder's binfmt_misc ({@code status}:
     * {@code enabled}, {@code disabled} or {@code unmounted}), each with what to run. Check name {@code arch}.
     */
    static List<Problem> emulationProblems(String arch, TargetOs target, List<BinfmtEntry> entries, String status,
            String xcatOutput) {
        List<Problem> problems = new ArrayList<>();
        String what = "the builder is " + (arch.isEmpty() ? "of unknown machine" : arch) + " and the image for "
                + target.arch() + ", so it is built under emulation: ";
        if (!target.group().equals("rh") && !target.group().equals("fedora")) {
            problems.add(new Problem("arch", what + "only xCAT's rh genimage builds for another architecture (it"
                    + " sets arch= and ignorearch=True for dnf/yum); the " + target.group() + " family's does not:"
                    + " pick a builder of " + target.arch()));
        }
        Matcher v = XCAT_VERSION.matcher(xcatOutput);
        if (!v.find()) {
            problems.add(new Problem("arch", what + "cannot read the MN's xCAT version from `lsxcatd -v` ('"
                    + xcatOutput.strip() + "'); rh genimage builds for another architecture from xCAT 2.17 on"));
        } else {
            int major = Integer.parseInt(v.group(1));
            int minor = Integer.parseInt(v.group(2));
            if (major < EMULATING_XCAT[0] || major == EMULATING_XCAT[0] && minor < EMULATING_XCAT[1]) {
                problems.add(new Problem("arch", what + "the MN runs xCAT " + v.group().substring("Version ".length())
                        + ", whose rh genimage builds only for the builder's own architecture; update xCAT on the MN"
                        + " to 2.17 or later, or pick a builder of " + target.arch()));
            }
        }
        Optional<BinfmtEntry> found = BinfmtEntry.forArch(entries, target.arch());
        if (status.equals("unmounted") || status.isEmpty()) {
            problems.add(new Problem("arch", what + "binfmt_misc is not mounted on the builder: run `mount -t"
                    + " binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc`, and " + INSTALL_QEMU));
        } else if (found.isEmpty()) {
            problems.add(new Problem("arch", what + "no binfmt_misc entry on the builder runs " + target.arch()
                    + " binaries (none has the magic and mask of their ELF header); " + INSTALL_QEMU));
        } else {
            BinfmtEntry e = found.get();
            String file = "/proc/sys/fs/binfmt_misc/" + e.name();
            if (status.equals("disabled")) {
                problems.add(new Problem("arch", what + "binfmt_misc is disabled on the builder: run `echo 1 >"
                        + " /proc/sys/fs/binfmt_misc/status`"));
            }
            if (!e.enabled()) {
                problems.add(new Problem("arch", what + "the binfmt_misc entry " + e.name() + " for " + target.arch()
                        + " is disabled on the builder: run `echo 1 > " + file + "`"));
            }
            if (!e.interpreterPresent()) {
                problems.add(new Problem("arch", what + "the interpreter " + e.interpreter() + " of binfmt_misc entry "
                        + e.name() + " is missing on the builder; " + INSTALL_QEMU));
            }
            if (!e.fixBinary()) {
                problems.add(new Problem("arch", what + "the binfmt_misc entry " + e.name() + " lacks the F flag"
                        + " (flags: " + (e.flags().isEmpty() ? "none" : e.flags()) + "), so the kernel would look for "
                        + e.interpreter() + " inside the image's chroot, where it is not; remove it (`echo -1 > " + file
                        + "`) and " + INSTALL_QEMU));
            }
        }
        return problems;
    }

    static TargetOs target(OsImage image) {
        String osvers = image.osvers().orElseThrow(() -> new BuildException("osimage '" + image.name()
                + "' has no osvers"));
        String osarch = image.osarch().orElseThrow(() -> new BuildException("osimage '" + image.name()
                + "' has no osarch"));
        return TargetOs.of(osvers, osarch);
    }

    private static String describeTools(TargetOs target, Mount mount) {
        List<String> words = new ArrayList<>();
        for (List<String> alternatives : target.tools()) {
            words.add(String.join(" or ", alternatives));
        }
        words.addAll(mountTools(mount));
        return String.join(", ", words);
    }

    /**
     * What the mount needs on the builder: the strategy's own tools, and {@code flock} (util-linux), with which
     * {@link MountInstall} shares {@code /install} between the crossgen runs on the builder; nothing for
     * {@link Mount#none()}.
     */
    static List<String> mountTools(Mount mount) {
        if (mount.equals(Mount.none())) {
            return mount.requiredTools();
        }
        List<String> tools = new ArrayList<>(mount.requiredTools());
        tools.add("flock");
        return tools;
    }

    /** One failed check and what to do about it. */
    record Problem(String check, String message) {
    }

    /** The {@code key=value} lines of the script's output; later keys win, other lines are ignored. */
    static Map<String, String> parseFacts(String text) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return facts;
    }

    /** Every failed check, in the order of {@link #CHECKS}' documentation; advisory findings go to {@code warn}. */
    static List<Problem> evaluate(Map<String, String> facts, TargetOs target, Mount mount, String managementNode,
            String installdir, java.util.function.Consumer<String> warn) {
        List<Problem> problems = new ArrayList<>();
        String arch = facts.getOrDefault("arch", "");
        if (!target.archMatches(arch)) {
            problems.add(new Problem("arch", "the builder's machine is " + (arch.isEmpty() ? "unknown" : arch)
                    + " but the image is for " + target.arch() + "; pick a builder of that architecture"));
        }
        String id = facts.getOrDefault("os.id", "");
        String version = facts.getOrDefault("os.version_id", "");
        if (!target.releaseMatches(id, facts.getOrDefault("os.id_like", ""), version)) {
            String seen = id.isEmpty() ? "an unknown release (no /etc/os-release)" : id + " " + version;
            problems.add(new Problem("os-release", "the builder runs " + seen + " but the image needs "
                    + target.group() + " " + target.major() + " (os-release ID one of "
                    + String.join(", ", new TreeSet<>(target.acceptedIds()))
                    + "); pick such a builder (emulation lifts only the"
                    + " architecture: the OS release must be the image's)"));
        }
        String uid = facts.getOrDefault("uid", "");
        if (!uid.equals("0")) {
            String how = "yes".equals(facts.get("sudo"))
                    ? "sudo -n works there: add ?sudo=true to the builder's URI"
                    : "log in as root, or give the user passwordless sudo and add ?sudo=true to the builder's URI";
            problems.add(new Problem("root", "commands run as uid " + (uid.isEmpty() ? "unknown" : uid)
                    + " but genimage must run as root; " + how));
        }
        List<String> missing = new ArrayList<>();
        List<List<String>> needed = new ArrayList<>(target.tools());
        mountTools(mount).forEach(t -> needed.add(List.of(t)));
        for (List<String> alternatives : needed) {
            if (alternatives.stream().noneMatch(t -> "yes".equals(facts.get("tool." + t)))) {
                missing.add(String.join(" or ", alternatives));
            }
        }
        if (!missing.isEmpty()) {
            problems.add(new Problem("tools", "missing on the builder: " + String.join(", ", missing)
                    + "; install them with the builder's package manager"));
        }
        if (!"yes".equals(facts.get("perl.DBI"))) {
            problems.add(new Problem("perl-modules", "the Perl module DBI is missing on the builder (xCAT's Perl"
                    + " libraries load it); install perl-DBI (libdbi-perl on Ubuntu)"));
        }
        if (!"yes".equals(facts.get("perl.JSON"))) {
            warn.accept("the Perl module JSON is missing on the builder; xCAT 2.18 and later need it there:"
                    + " install perl-JSON (libjson-perl on Ubuntu)");
        }
        if (!installdir.equals(Mount.INSTALL)) {
            checkInstall(facts, "installdir", installdir, installdir, mount, managementNode, problems, warn);
        }
        checkInstall(facts, "install", Mount.INSTALL, installdir, mount, managementNode, problems, warn);
        return problems;
    }

    /**
     * The {@code install} check of one path ({@code facts} under {@code prefix}): the site's installdir, where the
     * MN's export is mounted, or {@code /install}, where the builder's genimage reads it (the same mount, or a
     * bind mount of the installdir when that is another folder).
     */
    private static void checkInstall(Map<String, String> facts, String prefix, String path, String installdir,
            Mount mount, String managementNode, List<Problem> problems, java.util.function.Consumer<String> warn) {
        MountPoint existing = MountPoint.parse(facts.getOrDefault(prefix + ".mount", "")).orElse(null);
        boolean mounted = existing != null && existing.target().equals(path);
        String how = path.equals(installdir) ? "mounted" : "shown (a bind mount of " + installdir + ")";
        if (mount.equals(Mount.none())) {
            if (!"yes".equals(facts.get(prefix + ".exists"))) {
                problems.add(new Problem("install", path + " does not exist on the builder, but the mount"
                        + " strategy is none; share the MN's " + installdir + " there, or use Mount.nfs() or"
                        + " Mount.sshfs()"));
            }
        } else if (mounted && existing.isNetwork()) {
            MountInstall.refusal(existing, mount, managementNode, installdir)
                    .ifPresent(why -> problems.add(new Problem("install", why)));
        } else if (mounted) {
            warn.accept(path + " on the builder is a local file system (" + existing.source() + ", "
                    + existing.fstype() + "); the MN's " + installdir + " is " + how + " on top of it for the build"
                    + " and unmounted after");
        } else if ("no".equals(facts.get(prefix + ".empty"))) {
            warn.accept(path + " on the builder is a non-empty folder; the mount will hide its files");
        }
    }

    @Override
    public String intent() {
        return "check that the builder can run that genimage (OS, arch, root, tools)";
    }
}
