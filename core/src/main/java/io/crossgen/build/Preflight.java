package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Role;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, on the builder, everything the family's genimage will need, in one round trip, and reports every
 * failed check at once.
 *
 * <p>Checks, by name: {@code arch} ({@code uname -m} matches osarch; {@code ppc64el} is {@code ppc64le}),
 * {@code os-release} (the builder's distribution belongs to the image's family and has its major release),
 * {@code root} (commands run as root: log in as root or use {@code ?sudo=true} with a working
 * {@code sudo -n}), {@code tools} (perl, tar, cpio, dnf or yum for rh, zypper for SUSE, debootstrap for
 * Ubuntu, and what the {@link Mount} needs), {@code perl-modules} (DBI, which xCAT's Perl libraries load;
 * JSON, which xCAT 2.18 loads, only warns), {@code install} ({@code /install} free or already the MN's
 * export).
 *
 * <p>All facts come from one {@code sh -c SCRIPT} printing {@code key=value} lines. A user can waive a check
 * by name (e.g. {@code os-release} when the builder builds under qemu-user emulation); a waived check that
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

    /** Prints the facts; the tools to look for are its arguments. */
    static final String SCRIPT = String.join("\n",
            "printf 'arch=%s\\n' \"$(uname -m)\"",
            "if [ -r /etc/os-release ]; then",
            "  ( . /etc/os-release; printf 'os.id=%s\\nos.id_like=%s\\nos.version_id=%s\\nos.pretty_name=%s\\n' "
                    + "\"$ID\" \"$ID_LIKE\" \"$VERSION_ID\" \"$PRETTY_NAME\" )",
            "fi",
            "printf 'uid=%s\\n' \"$(id -u)\"",
            "if [ \"$(id -u)\" != 0 ]; then if sudo -n true >/dev/null 2>&1; then echo sudo=yes; else echo sudo=no; fi; fi",
            "for t in \"$@\"; do if command -v \"$t\" >/dev/null 2>&1; then printf 'tool.%s=yes\\n' \"$t\";"
                    + " else printf 'tool.%s=no\\n' \"$t\"; fi; done",
            "for m in DBI JSON; do if perl -M$m -e 1 >/dev/null 2>&1; then printf 'perl.%s=yes\\n' $m;"
                    + " else printf 'perl.%s=no\\n' $m; fi; done",
            "if [ -d /install ]; then echo install.exists=yes; else echo install.exists=no; fi",
            "if [ -n \"$(ls -A /install 2>/dev/null | head -n 1)\" ]; then echo install.empty=no;"
                    + " else echo install.empty=yes; fi",
            "printf 'install.mount=%s\\n' \"$(findmnt -rn -o TARGET,SOURCE,FSTYPE,OPTIONS --target /install"
                    + " 2>/dev/null | tail -n 1)\"");

    private final Mount mount;
    private final String managementNode;
    private final Set<String> waived;

    private Preflight(Mount mount, String managementNode, Set<String> waived) {
        this.mount = mount;
        this.managementNode = managementNode;
        this.waived = Set.copyOf(waived);
    }

    /** The checks for {@link Mount#nfs()} from an MN the builder knows as {@code xcatmn}, nothing waived. */
    public static Preflight defaults() {
        return new Preflight(Mount.nfs(), "xcatmn", Set.of());
    }

    /** A copy for another mount strategy (its tools are checked, and an existing mount is judged by it). */
    public Preflight withMount(Mount strategy) {
        return new Preflight(Objects.requireNonNull(strategy, "mount"), managementNode, waived);
    }

    /** A copy for an MN the builder knows by another name. */
    public Preflight withManagementNode(String name) {
        return new Preflight(mount, MountInstall.checkHostName(name), waived);
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
        return new Preflight(mount, managementNode, all);
    }

    /** The waived checks. */
    public Set<String> waived() {
        return waived;
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
        MountInstall.siteRefusal(SitePaths.of(context), mount).ifPresent(why -> {
            throw new BuildException(why);
        });
        TargetOs target = target(image);
        List<String> tools = new ArrayList<>();
        target.tools().forEach(tools::addAll);
        tools.addAll(mountTools(mount));
        List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "crossgen-preflight"));
        argv.addAll(tools);
        String out = context.check(Role.BUILDER, Command.of(argv)).stdout().text();
        if (context.planning()) {
            context.note("preflight: builder must be " + target.describe() + " (os-release ID one of "
                    + String.join(", ", new TreeSet<>(target.acceptedIds())) + "), root, with "
                    + describeTools(target, mount) + (waived.isEmpty() ? "" : "; waived: "
                    + String.join(", ", new TreeSet<>(waived))));
            return;
        }
        Map<String, String> facts = parseFacts(out);
        List<Problem> problems = new ArrayList<>();
        for (Problem p : evaluate(facts, target, mount, managementNode, context::warn)) {
            if (waived.contains(p.check())) {
                context.warn("preflight check '" + p.check() + "' waived: " + p.message());
            } else {
                problems.add(p);
            }
        }
        if (!problems.isEmpty()) {
            StringBuilder msg = new StringBuilder("the builder " + context.host(Role.BUILDER).label() + " failed "
                    + problems.size() + (problems.size() == 1 ? " check" : " checks") + ":");
            for (Problem p : problems) {
                msg.append("\n  ").append(p.check()).append(": ").append(p.message());
            }
            throw new RefusedException(msg.toString());
        }
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
            java.util.function.Consumer<String> warn) {
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
                    + "); pick such a builder, or waive 'os-release' when building under emulation"));
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
        String mountLine = facts.getOrDefault("install.mount", "");
        MountPoint existing = MountPoint.parse(mountLine).orElse(null);
        boolean mounted = existing != null && existing.target().equals(Mount.INSTALL);
        if (mount.equals(Mount.none())) {
            if (!"yes".equals(facts.get("install.exists"))) {
                problems.add(new Problem("install", "/install does not exist on the builder, but the mount"
                        + " strategy is none; share the MN's /install there, or use Mount.nfs() or Mount.sshfs()"));
            }
        } else if (mounted && existing.isNetwork()) {
            MountInstall.refusal(existing, mount, managementNode)
                    .ifPresent(why -> problems.add(new Problem("install", why)));
        } else if (mounted) {
            warn.accept("/install on the builder is a local file system (" + existing.source() + ", " + existing.fstype()
                    + "); the MN's /install is mounted on top of it for the build and unmounted after");
        } else if (!mounted && "no".equals(facts.get("install.empty"))) {
            warn.accept("/install on the builder is a non-empty folder; the mount will hide its files");
        }
        return problems;
    }

    @Override
    public String intent() {
        return "check that the builder can run that genimage (OS, arch, root, tools)";
    }
}
