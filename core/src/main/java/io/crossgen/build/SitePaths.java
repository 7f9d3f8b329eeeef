package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.command.GenimageCommand;
import io.crossgen.pipeline.Role;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import java.util.Objects;
import java.util.Optional;

/**
 * Where xCAT keeps its files on the MN: {@code site.installdir} (images, postscripts, locks) and {@code XCATROOT}
 * (netboot scripts and Perl libraries). Read once per run ({@link CopyDefinition} reads the installdir,
 * {@link DryRunGenimage} takes XCATROOT from the folder xCAT printed) and kept under {@link BuildKeys#SITE}.
 *
 * <pre>{@code
 * SitePaths site = SitePaths.of(context);          // /install and /opt/xcat until read
 * site.installdir();                               // /xcatinstall on a site that says so
 * }</pre>
 *
 * <p>A record, so a resumed run restores it from the previous run's report.
 *
 * @param installdir {@code site.installdir}, absolute, without a trailing slash
 * @param xcatroot {@code XCATROOT} of the MN's genimage, absolute
 */
public record SitePaths(String installdir, String xcatroot) {
    /** xCAT's defaults: {@code /install} and {@code /opt/xcat}. */
    public static final SitePaths DEFAULT = new SitePaths(Mount.INSTALL, GenimageCommand.DEFAULT_XCAT_ROOT);

    /** The command that prints {@code clustersite: installdir=<value>} (nothing after {@code =} when unset). */
    static final Command READ = Command.of("lsdef", "-t", "site", "-o", "clustersite", "-i", "installdir", "-c")
            .asProcedure();

    /** @throws IllegalArgumentException when a path is not absolute */
    public SitePaths {
        installdir = absolute(Objects.requireNonNull(installdir, "installdir"), "site.installdir");
        xcatroot = absolute(Objects.requireNonNull(xcatroot, "xcatroot"), "XCATROOT");
    }

    /** The paths stored under {@link BuildKeys#SITE}, or {@link #DEFAULT} before they are read. */
    public static SitePaths of(StepContext context) {
        return context.get(BuildKeys.SITE).orElse(DEFAULT);
    }

    /**
     * Reads {@code site.installdir} from the MN with {@link #READ} (unset: {@code /install}), with XCATROOT
     * {@code /opt/xcat}; a dry run records the command and plans with {@link #DEFAULT}.
     *
     * @throws io.crossgen.transport.ExecException when lsdef fails
     * @throws BuildException when the MN's installdir is not an absolute path
     */
    static SitePaths read(StepContext context) throws InterruptedException {
        ExecResult r = context.exec(Role.MN, READ);
        if (context.planning()) {
            return DEFAULT;
        }
        if (!r.isSuccess()) {
            throw new ExecException(r);
        }
        try {
            return new SitePaths(parse(r.stdout().text()).orElse(Mount.INSTALL), GenimageCommand.DEFAULT_XCAT_ROOT);
        } catch (IllegalArgumentException e) {
            throw new BuildException("the MN's " + e.getMessage());
        }
    }

    /** These paths with another XCATROOT. */
    public SitePaths withXcatroot(String root) {
        return new SitePaths(installdir, root);
    }

    /** Whether the installdir is xCAT's default {@code /install}, which the builder's genimage script assumes. */
    public boolean defaultInstalldir() {
        return installdir.equals(Mount.INSTALL);
    }

    /**
     * The installdir in what {@link #READ} printed: the value of the {@code NAME: installdir=} line; empty when
     * the site leaves it unset or lsdef prints no such line (xCAT then uses {@code /install}).
     */
    static Optional<String> parse(String stdout) {
        for (String line : stdout.split("\n")) {
            int at = line.indexOf("installdir=");
            if (at >= 0 && line.substring(0, at).endsWith(": ")) {
                String value = line.substring(at + "installdir=".length()).strip();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static String absolute(String path, String what) {
        String clean = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (!clean.startsWith("/") || clean.equals("/")) {
            throw new IllegalArgumentException(what + " '" + path + "' must be an absolute path below /");
        }
        return clean;
    }
}
