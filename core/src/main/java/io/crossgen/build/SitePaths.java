package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.command.GenimageCommand;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import java.util.Objects;
import java.util.Optional;

/**
 * Where xCAT keeps its files on the MN: {@code site.installdir} (images, postscripts, locks) and {@code XCATROOT}
 * (netboot scripts and Perl libraries), with the one other site attribute a genimage command depends on,
 * {@code site.timezone} (genimage.pm adds {@code --timezone} for the sles family). Read once per run
 * ({@link CopyDefinition} reads installdir and timezone in one lsdef, at the same time as the osimages, {@link DryRunGenimage} takes XCATROOT from
 * the folder xCAT printed) and kept under {@link BuildKeys#SITE}.
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
 * @param timezone {@code site.timezone} as lsdef prints it, empty when unset (or not read: a report of an older
 *     crossgen)
 */
public record SitePaths(String installdir, String xcatroot, String timezone) {
    /** xCAT's defaults: {@code /install} and {@code /opt/xcat}, no time zone. */
    public static final SitePaths DEFAULT = new SitePaths(Mount.INSTALL, GenimageCommand.DEFAULT_XCAT_ROOT);

    /**
     * The command that prints {@code clustersite: installdir=<value>} and {@code clustersite: timezone=<value>}
     * (nothing after {@code =} when unset).
     */
    static final Command READ = Command.of("lsdef", "-t", "site", "-o", "clustersite", "-i", "installdir,timezone",
            "-c").asProcedure().asXcatCall();

    /** @throws IllegalArgumentException when a path is not absolute */
    public SitePaths {
        installdir = absolute(Objects.requireNonNull(installdir, "installdir"), "site.installdir");
        xcatroot = absolute(Objects.requireNonNull(xcatroot, "xcatroot"), "XCATROOT");
        timezone = timezone == null ? "" : timezone.strip();
    }

    /** The paths of a site whose time zone is unset or does not matter. */
    public SitePaths(String installdir, String xcatroot) {
        this(installdir, xcatroot, "");
    }

    /** The paths stored under {@link BuildKeys#SITE}, or {@link #DEFAULT} before they are read. */
    public static SitePaths of(StepContext context) {
        return context.get(BuildKeys.SITE).orElse(DEFAULT);
    }

    /**
     * Reads {@code site.installdir} (unset: {@code /install}) and {@code site.timezone} from the MN with
     * {@link #READ}, with XCATROOT {@code /opt/xcat}; a dry run records the command and plans with
     * {@link #DEFAULT}.
     *
     * @throws io.crossgen.transport.ExecException when lsdef fails
     * @throws BuildException when the MN's installdir is not an absolute path
     */
    static SitePaths read(StepContext context) throws InterruptedException {
        ExecResult r = context.exec(BuildRoles.MN, READ);
        return context.planning() ? DEFAULT : parse(r);
    }

    /**
     * The paths in what {@link #READ} answered, with XCATROOT {@code /opt/xcat}.
     *
     * @throws io.crossgen.transport.ExecException when lsdef failed
     * @throws BuildException when the MN's installdir is not an absolute path
     */
    static SitePaths parse(ExecResult r) {
        if (!r.isSuccess()) {
            throw new ExecException(r);
        }
        try {
            String out = r.stdout().text();
            return new SitePaths(parse(out, "installdir").orElse(Mount.INSTALL), GenimageCommand.DEFAULT_XCAT_ROOT,
                    parse(out, "timezone").orElse(""));
        } catch (IllegalArgumentException e) {
            throw new BuildException("the MN's " + e.getMessage());
        }
    }

    /** These paths with another XCATROOT. */
    public SitePaths withXcatroot(String root) {
        return new SitePaths(installdir, root, timezone);
    }

    /**
     * The {@code --timezone} genimage.pm would add for a sles image: {@code site.timezone} unless it is empty or
     * {@code 0} (Perl's false); {@link GenimageCommand#predict(io.crossgen.image.OsImage, Optional)} adds it
     * for the sles family only.
     */
    public Optional<String> genimageTimezone() {
        return timezone.isEmpty() || timezone.equals("0") ? Optional.empty() : Optional.of(timezone);
    }

    /** Whether the installdir is xCAT's default {@code /install}, which the builder's genimage script assumes. */
    public boolean defaultInstalldir() {
        return installdir.equals(Mount.INSTALL);
    }

    /**
     * A site attribute in what {@link #READ} printed: the value of the {@code NAME: attribute=} line; empty when
     * the site leaves it unset or lsdef prints no such line (for the installdir xCAT then uses {@code /install}).
     */
    static Optional<String> parse(String stdout, String attribute) {
        for (String line : stdout.split("\n")) {
            int at = line.indexOf(attribute + "=");
            if (at >= 0 && line.substring(0, at).endsWith(": ")) {
                String value = line.substring(at + attribute.length() + 1).strip();
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
