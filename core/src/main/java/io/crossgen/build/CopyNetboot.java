package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.Host;
import io.crossgen.transport.RelayResult;
import io.crossgen.transport.TarRelay;
import io.crossgen.transport.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Puts xCAT's netboot tree ({@code /opt/xcat/share/xcat/netboot}) and xCAT's Perl libraries
 * ({@code /opt/xcat/lib/perl}) on the builder, at the same paths.
 *
 * <p>The Perl libraries matter: the builder's genimage loads {@code xCAT::Utils} (and, from xCAT 2.18, the
 * image utilities load {@code xCAT::SvrUtils}), so a builder with only the netboot tree dies with
 * "Can't locate xCAT/Utils.pm in @INC" (XCAT.md 1.2, issue #4211).
 *
 * <p>With {@link CopyMethod#TAR_RELAY} (the default) the copy is incremental: one listing command per side
 * ({@code find -printf}, sizes, whole-second times, modes, link targets; SHA-256 sums with
 * {@link #withChecksums}), then one tar stream of what differs; an unchanged tree costs one round trip per side.
 * Paths that exist only on the builder are removed only with {@link #withDeleteVanished}. Symbolic links arrive
 * as links. Bytes sent are reported through {@code listener().bytesTransferred}. With
 * {@link CopyMethod#SCP_LEGACY} the builder pulls everything with {@code scp -O -r}.
 *
 * <pre>{@code
 * CopyNetboot.defaults().withDeleteVanished(true)
 * }</pre>
 */
public final class CopyNetboot implements Step {
    /** The step's name. */
    public static final String NAME = "copy-netboot";
    /**
     * The folders copied by default; on an MN whose XCATROOT is not {@code /opt/xcat}
     * ({@link SitePaths#xcatroot()}), the same folders under it.
     */
    public static final List<String> DEFAULT_FOLDERS = List.of("/opt/xcat/share/xcat/netboot", "/opt/xcat/lib/perl");
    /**
     * The builder's file that relays into its {@code /} hold while they extract ({@link TarRelay#withTargetLock}):
     * builds on one builder (a matrix's, or two admins') copy the same netboot tree, and two {@code tar -x}
     * writing the same links at once fail.
     */
    static final String RELAY_LOCK = "/var/tmp/crossgen/relay.lock";

    private final CopyMethod method;
    private final List<String> folders;
    private final boolean incremental;
    private final boolean deleteVanished;
    private final boolean checksums;
    private final String managementNode;
    private final Duration timeout;

    private CopyNetboot(CopyMethod method, List<String> folders, boolean incremental, boolean deleteVanished,
            boolean checksums, String managementNode, Duration timeout) {
        this.method = method;
        this.folders = List.copyOf(folders);
        this.incremental = incremental;
        this.deleteVanished = deleteVanished;
        this.checksums = checksums;
        this.managementNode = managementNode;
        this.timeout = timeout;
    }

    /** Both folders by tar relay, incremental, nothing deleted, within 30 minutes. */
    public static CopyNetboot defaults() {
        return new CopyNetboot(CopyMethod.TAR_RELAY, DEFAULT_FOLDERS, true, false, false, "xcatmn",
                Duration.ofMinutes(30));
    }

    /** A copy that uses another method. */
    public CopyNetboot withMethod(CopyMethod how) {
        return new CopyNetboot(Objects.requireNonNull(how, "method"), folders, incremental, deleteVanished, checksums,
                managementNode, timeout);
    }

    /** A copy that copies these absolute folders instead. @throws IllegalArgumentException for an empty or relative one */
    public CopyNetboot withFolders(List<String> absoluteFolders) {
        if (absoluteFolders.isEmpty()) {
            throw new IllegalArgumentException("give at least one folder to copy");
        }
        List<String> clean = new ArrayList<>();
        for (String f : absoluteFolders) {
            if (!f.startsWith("/") || PackageLists.normalize(f).equals("/")) {
                throw new IllegalArgumentException("folder '" + f + "' must be an absolute path below /");
            }
            clean.add(PackageLists.normalize(f));
        }
        return new CopyNetboot(method, clean, incremental, deleteVanished, checksums, managementNode, timeout);
    }

    /** A copy that always sends whole trees ({@code false}) or only what differs ({@code true}, the default). */
    public CopyNetboot withIncremental(boolean on) {
        return new CopyNetboot(method, folders, on, deleteVanished, checksums, managementNode, timeout);
    }

    /** A copy that removes, on the builder, what the MN's trees no longer hold. */
    public CopyNetboot withDeleteVanished(boolean on) {
        return new CopyNetboot(method, folders, incremental, on, checksums, managementNode, timeout);
    }

    /** A copy that compares files by SHA-256 instead of size and time (reads every file on both sides). */
    public CopyNetboot withChecksums(boolean on) {
        return new CopyNetboot(method, folders, incremental, deleteVanished, on, managementNode, timeout);
    }

    /** A copy that names the MN so for {@link CopyMethod#SCP_LEGACY} (the name the builder knows it by). */
    public CopyNetboot withManagementNode(String name) {
        return new CopyNetboot(method, folders, incremental, deleteVanished, checksums,
                Host.checkName(name), timeout);
    }

    /** A copy bounded by another time. @throws IllegalArgumentException unless positive */
    public CopyNetboot withTimeout(Duration limit) {
        return new CopyNetboot(method, folders, incremental, deleteVanished, checksums, managementNode,
                Timeouts.positive("timeout", limit));
    }

    /** The folders copied. */
    public List<String> folders() {
        return folders;
    }

    /** The folders this run copies: the defaults follow the MN's XCATROOT. */
    static List<String> folders(List<String> folders, SitePaths site) {
        if (!folders.equals(DEFAULT_FOLDERS)) {
            return folders;
        }
        return List.of(site.xcatroot() + "/share/xcat/netboot", site.xcatroot() + "/lib/perl");
    }

    private List<String> folders(StepContext context) {
        return folders(folders, SitePaths.of(context));
    }

    /** Needs the MN's XCATROOT (the dry run), the lock held, the builder checked. */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(DryRunGenimage.NAME, LockImage.NAME, Preflight.NAME));
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
    public Optional<Duration> timeout() {
        return Optional.of(timeout.plusMinutes(5));
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        List<String> folders = folders(context);
        if (method == CopyMethod.SCP_LEGACY) {
            scp(context);
            return;
        }
        Manifest mn = Manifest.parse(context.check(BuildRoles.MN, Manifest.command(folders, checksums)).stdout().text());
        if (!incremental) {
            if (!context.planning()) {
                requireFolders(context, mn);
            }
            relay(context, folders.stream().map(f -> f.substring(1)).toList(), mn.bytes(List.copyOf(
                    mn.entries().keySet())), "all " + mn.entries().size() + " entries");
            return;
        }
        Manifest builder = Manifest.parse(context.check(BuildRoles.BUILDER, Manifest.command(folders, checksums)).stdout()
                .text());
        if (context.planning()) {
            context.note("only what differs between the two listings is sent, as one tar stream: symbolic links"
                    + " (netboot/sle, netboot/centos-stream) stay links");
            relay(context, folders.stream().map(f -> f.substring(1)).toList(), 0, "the entries that differ");
            return;
        }
        requireFolders(context, mn);
        for (String bad : mn.unreadable()) {
            context.warn("cannot compare an entry with a tab or line break in its name; it is sent whole: " + bad);
        }
        Manifest.Diff diff = mn.diff(builder, checksums);
        if (!diff.replace().isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("rm", "-rf", "--"));
            argv.addAll(diff.replace());
            context.check(BuildRoles.BUILDER, Command.of(argv));
        }
        List<String> paths = relayPaths(diff, builder);
        if (paths.isEmpty()) {
            context.note("the builder's " + String.join(" and ", folders) + " are up to date (" + mn.entries().size()
                    + " entries compared)");
        } else {
            relay(context, paths.stream().map(p -> p.substring(1)).toList(), mn.bytes(paths),
                    paths.size() + " of " + mn.entries().size() + " entries");
        }
        if (!diff.vanished().isEmpty()) {
            if (deleteVanished) {
                List<String> argv = new ArrayList<>(List.of("rm", "-rf", "--"));
                argv.addAll(diff.vanished());
                context.check(BuildRoles.BUILDER, Command.of(argv));
            } else {
                context.note(diff.vanished().size() + " entries on the builder are gone from the MN; left in place");
            }
        }
    }

    /**
     * The paths to send: a folder missing on the builder is sent whole (its entries not listed again); a folder
     * that exists and only differs in mode is not sent (its content is compared entry by entry).
     */
    static List<String> relayPaths(Manifest.Diff diff, Manifest builder) {
        List<String> paths = new ArrayList<>();
        Set<String> wholeFolders = new HashSet<>();
        for (String p : diff.copy()) {
            if (underAny(p, wholeFolders)) {
                continue;
            }
            Manifest.Entry there = builder.entries().get(p);
            boolean folder = !diff.replace().contains(p) && there != null && there.type() == 'd';
            if (folder) {
                continue;
            }
            paths.add(p);
            if (there == null || diff.replace().contains(p)) {
                wholeFolders.add(p);
            }
        }
        return paths;
    }

    private static boolean underAny(String path, Set<String> folders) {
        for (int i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
            if (folders.contains(path.substring(0, i))) {
                return true;
            }
        }
        return false;
    }

    private void requireFolders(StepContext context, Manifest mn) {
        List<String> missing = folders(context).stream().filter(f -> !mn.entries().containsKey(f)).toList();
        if (!missing.isEmpty()) {
            throw new BuildException("the MN " + context.host(BuildRoles.MN).label() + " has no " + String.join(", ", missing)
                    + "; is xCAT (xCAT-server and perl-xCAT) installed there?");
        }
    }

    private void relay(StepContext context, List<String> relative, long expectedBytes, String entries)
            throws InterruptedException {
        TarRelay relay = TarRelay.of("/", "/", timeout).withPaths(relative).withTargetLock(RELAY_LOCK);
        if (context.planning()) {
            context.exec(BuildRoles.MN, relay.sourceCommand());
            context.exec(BuildRoles.BUILDER, relay.targetCommand());
            return;
        }
        Host from = context.host(BuildRoles.MN);
        Host to = context.host(BuildRoles.BUILDER);
        RelayResult r = relay.run(context.connection(BuildRoles.MN), context.connection(BuildRoles.BUILDER),
                total -> context.listener().bytesTransferred(context.step(), from, to, total));
        context.note("sent " + entries + ": " + r.bytes() + " bytes of tar stream (" + expectedBytes
                + " bytes of files) in " + r.duration().toMillis() + " ms");
    }

    private void scp(StepContext context) throws InterruptedException {
        context.warn("scp -O -r copies the folder links netboot/sle and netboot/centos-stream as plain folders,"
                + " and needs the builder to log in to the MN as root");
        for (String folder : folders(context)) {
            String parent = PackageLists.parent(folder);
            context.check(BuildRoles.BUILDER, Command.of("mkdir", "-p", parent));
            context.check(BuildRoles.BUILDER, Command.of("scp", "-O", "-r", "-o", "BatchMode=yes",
                    "root@" + managementNode + ":" + folder, parent + "/"));
        }
    }

    @Override
    public String intent() {
        return "procedure step 4: copy xCAT's netboot tree and Perl libraries to the builder";
    }

    @Override
    public String toString() {
        return NAME + "(" + method + ", " + folders + ")";
    }
}
