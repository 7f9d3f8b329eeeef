package io.crossgen.build;

import io.crossgen.image.FileRef;
import io.crossgen.image.OsImage;
import io.crossgen.image.Usage;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.Host;
import io.crossgen.transport.RelayResult;
import io.crossgen.transport.TarRelay;
import io.crossgen.transport.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies to the builder, at the same paths, every file of the image that the builder's genimage reads and
 * that neither the {@code /install} mount nor {@link CopyNetboot} brings: the manual procedure's "copy every
 * osimage config file that is not under /opt/xcat/share/xcat or /install".
 *
 * <p>The files: those of {@link OsImage#referencedFiles()} used on the builder (pkglist, otherpkglist, the
 * postinstall scripts, driverupdatesrc, local repositories outside {@code /install}), plus every
 * {@code #INCLUDE:file#} found, recursively, in the package lists, read on the MN, a relative path resolved
 * against the folder of the top-level list named in the osimage, {@code $VAR}/{@code ${VAR}} substituted from
 * {@code environvar} (XCAT.md section 4). Files below the covered folders ({@code /install} and what
 * {@link CopyNetboot} copies) are not copied; other files below {@code /opt/xcat/share/xcat} (for example
 * {@code install/rh/*.pkglist}) are, since the netboot copy does not bring them. One tar stream from {@code /}
 * keeps modes (postinstall scripts stay executable). Each file is listed in the plan and report; in a dry run
 * the included files cannot be read and are found at run time.
 */
public final class CopyExternalFiles implements Step {
    /** The step's name. */
    public static final String NAME = "copy-external-files";
    private static final int MAX_INCLUDE_ROUNDS = 20;

    private final List<String> covered;
    private final Duration timeout;

    private CopyExternalFiles(List<String> covered, Duration timeout) {
        this.covered = List.copyOf(covered);
        this.timeout = timeout;
    }

    /**
     * Files below {@code /install} and {@link CopyNetboot#DEFAULT_FOLDERS} count as present (below the MN's
     * {@code site.installdir} and XCATROOT when they differ: {@link SitePaths}); 30 minutes.
     */
    public static CopyExternalFiles defaults() {
        return new CopyExternalFiles(defaultCovered(SitePaths.DEFAULT), Duration.ofMinutes(30));
    }

    private static List<String> defaultCovered(SitePaths site) {
        List<String> covered = new ArrayList<>(List.of(site.installdir()));
        covered.addAll(CopyNetboot.folders(CopyNetboot.DEFAULT_FOLDERS, site));
        return covered;
    }

    /** A copy for which the files below these folders are present on the builder already. */
    public CopyExternalFiles withCoveredFolders(List<String> folders) {
        return new CopyExternalFiles(folders.stream().map(PackageLists::normalize).toList(), timeout);
    }

    /** A copy bounded by another time. */
    public CopyExternalFiles withTimeout(Duration limit) {
        return new CopyExternalFiles(covered, Timeouts.positive("timeout", limit));
    }

    /** Needs the image's files, the shared trees (XCATROOT: the dry run), the lock held, the builder checked. */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(CopyDefinition.NAME, DryRunGenimage.NAME, LockImage.NAME,
                Preflight.NAME));
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

    /** Whether a path lies at or below one of the covered folders. */
    boolean isCovered(String path) {
        return isCovered(path, covered);
    }

    private static boolean isCovered(String path, List<String> covered) {
        String p = PackageLists.normalize(path);
        for (String c : covered) {
            if (p.equals(c) || p.startsWith(c.endsWith("/") ? c : c + "/")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        OsImage image = BuildKeys.image(context);
        Set<String> files = new LinkedHashSet<>();
        for (FileRef ref : image.referencedFiles()) {
            if (ref.usage() == Usage.BUILDER && ref.path().startsWith("/")) {
                files.add(PackageLists.normalize(ref.path()));
            }
        }
        if (context.planning()) {
            context.note("files named by #INCLUDE in the package lists are read on the MN and found at run time");
        } else {
            List<String> lists = new ArrayList<>(image.list("pkglist"));
            lists.addAll(image.list("otherpkglist"));
            files.addAll(includes(context, image, lists));
        }
        List<String> covered = this.covered.equals(defaultCovered(SitePaths.DEFAULT))
                ? defaultCovered(SitePaths.of(context)) : this.covered;
        List<String> toCopy = new ArrayList<>();
        for (String f : files) {
            if (isCovered(f, covered)) {
                continue;
            }
            toCopy.add(f);
            context.note("copy " + f);
        }
        if (toCopy.isEmpty()) {
            context.note("every file the builder reads is under " + String.join(", ", covered) + ": nothing to copy");
            return;
        }
        TarRelay relay = TarRelay.of("/", "/", timeout).withPaths(toCopy.stream().map(p -> p.substring(1)).toList())
                .withTargetLock(CopyNetboot.RELAY_LOCK);
        if (context.planning()) {
            context.exec(BuildRoles.MN, relay.sourceCommand());
            context.exec(BuildRoles.BUILDER, relay.targetCommand());
            return;
        }
        Host from = context.host(BuildRoles.MN);
        Host to = context.host(BuildRoles.BUILDER);
        RelayResult r = relay.run(context.connection(BuildRoles.MN), context.connection(BuildRoles.BUILDER),
                total -> context.listener().bytesTransferred(context.step(), from, to, total));
        context.note("sent " + toCopy.size() + " paths, " + r.bytes() + " bytes of tar stream");
    }

    /**
     * Every file named by {@code #INCLUDE} in the top-level {@code lists}, recursively, read on the MN one round of
     * lists at a time; a relative target is taken against the folder of its top-level list.
     */
    static List<String> includes(StepContext context, OsImage image, List<String> lists) throws InterruptedException {
        Map<String, String> env = PackageLists.environment(image.get("environvar"));
        Map<String, String> topDirOf = new LinkedHashMap<>();
        for (String list : lists) {
            topDirOf.putIfAbsent(PackageLists.normalize(list), PackageLists.parent(PackageLists.normalize(list)));
        }
        Set<String> read = new LinkedHashSet<>();
        List<String> found = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        List<String> frontier = new ArrayList<>(topDirOf.keySet());
        for (int round = 0; !frontier.isEmpty(); round++) {
            if (round == MAX_INCLUDE_ROUNDS) {
                context.warn("#INCLUDE nesting deeper than " + MAX_INCLUDE_ROUNDS + " levels; stopped at "
                        + String.join(", ", frontier));
                break;
            }
            read.addAll(frontier);
            Map<String, Optional<String>> contents = PackageLists.parseRead(
                    context.check(BuildRoles.MN, PackageLists.readCommand(frontier)).stdout().text());
            List<String> next = new ArrayList<>();
            for (String file : frontier) {
                Optional<String> content = contents.getOrDefault(file, Optional.empty());
                if (content.isEmpty()) {
                    if (!topDirOf.containsKey(file) || round > 0) {
                        context.warn("the package list " + file + " named by #INCLUDE is missing on the MN");
                    }
                    continue;
                }
                if (round > 0) {
                    found.add(file);
                }
                String topDir = topDirOf.get(file);
                for (String target : PackageLists.includes(content.get())) {
                    String path = PackageLists.resolve(target, topDir, env, unknown);
                    if (read.contains(path) || next.contains(path)) {
                        continue;
                    }
                    topDirOf.putIfAbsent(path, topDir);
                    next.add(path);
                    context.note("#INCLUDE in " + file + ": " + path);
                }
            }
            frontier = next;
        }
        if (!unknown.isEmpty()) {
            context.warn("#INCLUDE paths use variables that environvar does not set: " + String.join(", ", unknown));
        }
        return found;
    }

    @Override
    public String intent() {
        return "copy the files the definition names outside the shared trees to the builder";
    }

    @Override
    public String toString() {
        return NAME;
    }
}
