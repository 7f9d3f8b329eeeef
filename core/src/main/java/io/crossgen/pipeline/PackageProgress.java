package io.crossgen.pipeline;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far a package manager has got, read from its own output lines as genimage passes them on: the
 * {@code k/N} counters of dnf and yum ({@code (12/345): pkg.rpm} while downloading,
 * {@code Installing : pkg 12/345} in the transaction), of zypper ({@code (12/345) Installing: pkg ...}), and
 * apt's {@code Unpacking}/{@code Setting up} lines counted against the total of its
 * {@code N newly installed} line. Not thread-safe: one per followed output.
 */
final class PackageProgress {
    /** dnf and yum in the transaction: {@code   Installing       : bash-5.1.8-6.el9.x86_64     12/345}. */
    private static final Pattern RPM = Pattern.compile(
            "^\\s*(Installing|Upgrading|Updating|Reinstalling|Downgrading|Cleanup|Erasing|Removing|Obsoleting"
                    + "|Verifying|Running scriptlet)\\s*:\\s*\\S.*?\\s(\\d+)/(\\d+)\\s*$");
    /** dnf and yum downloading: {@code (12/345): bash-5.1.8-6.el9.x86_64.rpm   1.2 MB/s | 1.7 MB  00:01}. */
    private static final Pattern DOWNLOAD = Pattern.compile("^\\((\\d+)/(\\d+)\\): \\S");
    /** zypper: {@code (12/345) Installing: bash-4.4-9.10.1.x86_64 ....[done]}, and its downloads. */
    private static final Pattern ZYPPER = Pattern.compile("^\\((\\d+)/(\\d+)\\) (Installing|Removing): \\S");
    private static final Pattern ZYPPER_GET = Pattern.compile("^Retrieving(?: package|:) \\S+.*?\\((\\d+)/(\\d+)\\)");
    /** apt: {@code 0 upgraded, 345 newly installed, 0 to remove and 0 not upgraded.}. */
    private static final Pattern APT_TOTAL = Pattern.compile("^(\\d+) upgraded, (\\d+) newly installed, ");
    private static final Pattern APT_STEP = Pattern.compile("^(Unpacking|Setting up) \\S");

    /**
     * Where the package manager is.
     *
     * @param phase what it does: downloading, installing, verifying, unpacking, setting up, ...
     * @param done packages done in that phase
     * @param total packages of the transaction, 0 when not known
     */
    record Counter(String phase, int done, int total) {
        @Override
        public String toString() {
            return phase + " " + done + (total > 0 ? "/" + total : "") + " packages";
        }
    }

    private int aptTotal;
    private int unpacked;
    private int setUp;
    private Counter last;

    /** Reads one output line; the counter it moved, if it is one of a package manager's progress lines. */
    Optional<Counter> read(String line) {
        Matcher m = RPM.matcher(line);
        if (m.find()) {
            return moved(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2), m.group(3));
        }
        m = ZYPPER.matcher(line);
        if (m.find()) {
            return moved(m.group(3).toLowerCase(java.util.Locale.ROOT), m.group(1), m.group(2));
        }
        m = DOWNLOAD.matcher(line);
        if (m.find()) {
            return moved("downloading", m.group(1), m.group(2));
        }
        m = ZYPPER_GET.matcher(line);
        if (m.find()) {
            return moved("downloading", m.group(1), m.group(2));
        }
        m = APT_TOTAL.matcher(line);
        if (m.find()) {
            aptTotal = Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2));
            return Optional.empty();
        }
        m = APT_STEP.matcher(line);
        if (m.find()) {
            boolean unpacking = m.group(1).equals("Unpacking");
            int done = unpacking ? ++unpacked : ++setUp;
            last = new Counter(unpacking ? "unpacking" : "setting up", done, aptTotal);
            return Optional.of(last);
        }
        return Optional.empty();
    }

    /** The last counter read, if any. */
    Optional<Counter> last() {
        return Optional.ofNullable(last);
    }

    private Optional<Counter> moved(String phase, String done, String total) {
        try {
            last = new Counter(phase, Integer.parseInt(done), Integer.parseInt(total));
        } catch (NumberFormatException e) {   // more digits than an int: not a counter
            return Optional.empty();
        }
        return Optional.of(last);
    }
}
