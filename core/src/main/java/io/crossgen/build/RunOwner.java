package io.crossgen.build;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who holds a crossgen lock or {@code /install} lease entry: the run, the controller process that runs it (host,
 * pid and start time, so that a reused pid is not taken for it), and, once genimage started, the detached
 * genimage on the builder (pid and start time as {@code /proc/PID/stat} gives it).
 *
 * <p>Written as {@code key=value} lines ({@link #lines()}, read back with {@link #parse}): {@code run},
 * {@code controller-host}, {@code controller-pid}, {@code controller-start}, {@code genimage-pid},
 * {@code genimage-start}, {@code builder}; the lock adds {@code image}, {@code rootimgdir}, {@code time}.
 *
 * @param runId the run ({@link BuildKeys#RUN_ID})
 * @param controllerHost the host the controller runs on
 * @param controllerPid the controller's pid; empty in a lock written by an older crossgen
 * @param controllerStart when the controller process started ({@link Instant#toString()}), empty when unknown
 * @param genimagePid the detached genimage's pid on the builder, once started
 * @param genimageStart its start time in clock ticks since the builder booted, empty when unknown
 * @param builder the builder genimage runs on ({@link io.crossgen.transport.Host#label()}), empty before
 * @param image the new image, empty when not recorded
 * @param since when the lock was taken, empty when not recorded
 */
public record RunOwner(String runId, String controllerHost, OptionalLong controllerPid, String controllerStart,
                       OptionalLong genimagePid, String genimageStart, String builder, String image, String since) {

    /** Whether a process runs. */
    public enum Liveness {
        /** It runs. */
        ALIVE,
        /** It ended (or its pid is now another process's). */
        GONE,
        /** It cannot be told from here (another host's process, or nothing recorded to check it by). */
        UNKNOWN
    }

    public RunOwner {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(controllerHost, "controllerHost");
        Objects.requireNonNull(controllerPid, "controllerPid");
        Objects.requireNonNull(controllerStart, "controllerStart");
        Objects.requireNonNull(genimagePid, "genimagePid");
        Objects.requireNonNull(genimageStart, "genimageStart");
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(since, "since");
    }

    /** This process as the controller of {@code runId}, genimage not started. */
    public static RunOwner thisProcess(String runId, String image) {
        ProcessHandle me = ProcessHandle.current();
        return new RunOwner(runId, thisHost(), OptionalLong.of(me.pid()),
                me.info().startInstant().map(Instant::toString).orElse(""), OptionalLong.empty(), "", "", image,
                Instant.now().toString());
    }

    /** The name of the host this JVM runs on, as owners record it. */
    public static String thisHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** The owner lines of the controller and run (no genimage). */
    public String lines() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("run", runId);
        m.put("controller-host", controllerHost);
        controllerPid.ifPresent(p -> m.put("controller-pid", Long.toString(p)));
        m.put("controller-start", controllerStart);
        genimagePid.ifPresent(p -> m.put("genimage-pid", Long.toString(p)));
        if (genimagePid.isPresent()) {
            m.put("genimage-start", genimageStart);
            m.put("builder", builder);
        }
        if (!image.isEmpty()) {
            m.put("image", image);
        }
        if (!since.isEmpty()) {
            m.put("time", since);
        }
        StringBuilder s = new StringBuilder();
        m.forEach((k, v) -> s.append(s.length() == 0 ? "" : "\n").append(k).append('=').append(v));
        return s.toString();
    }

    /** The lines that record a started genimage, appended to a lock's owner file or a lease entry. */
    static String genimageLines(long pid, String start, String builder) {
        return "genimage-pid=" + pid + "\ngenimage-start=" + start + "\nbuilder=" + builder;
    }

    /**
     * Reads owner lines; a later line of a key wins (genimage lines are appended). Empty when no {@code run=}
     * line is there (an owner file not yet written, or not crossgen's).
     */
    public static Optional<RunOwner> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        String run = m.get("run");
        if (run == null || run.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RunOwner(run, m.getOrDefault("host", m.getOrDefault("controller-host", "")),
                number(m.get("controller-pid")), m.getOrDefault("controller-start", ""),
                number(m.get("genimage-pid")), m.getOrDefault("genimage-start", ""), m.getOrDefault("builder", ""),
                m.getOrDefault("image", ""), m.getOrDefault("time", "")));
    }

    private static OptionalLong number(String text) {
        try {
            return text == null || text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Whether the controller runs: checked with {@link ProcessHandle} (pid and start time) when it is this host's
     * process, {@link Liveness#UNKNOWN} for another host's (crossgen does not guess).
     */
    public Liveness controller() {
        if (controllerPid.isEmpty() || !controllerHost.equals(thisHost())) {
            return Liveness.UNKNOWN;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(controllerPid.getAsLong());
        if (p.isEmpty() || !p.get().isAlive()) {
            return Liveness.GONE;
        }
        Optional<String> start = p.get().info().startInstant().map(Instant::toString);
        return controllerStart.isEmpty() || start.isEmpty() || start.get().equals(controllerStart) ? Liveness.ALIVE
                : Liveness.GONE;
    }

    /** This owner with its controller's and genimage's liveness. */
    public Status status(Liveness genimage) {
        return new Status(this, controller(), genimagePid.isEmpty() ? Liveness.GONE : genimage);
    }

    /**
     * An owner and whether its processes run.
     *
     * @param owner who
     * @param controller whether the controller process runs
     * @param genimage whether its genimage runs ({@link Liveness#GONE} when none was started)
     */
    public record Status(RunOwner owner, Liveness controller, Liveness genimage) {
        public Status {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(controller, "controller");
            Objects.requireNonNull(genimage, "genimage");
        }

        /** Stale: its controller is gone and so is its genimage; anything unknown is not stale. */
        public boolean stale() {
            return controller == Liveness.GONE && genimage == Liveness.GONE;
        }

        /** Whether something of the run is known to run. */
        public boolean alive() {
            return controller == Liveness.ALIVE || genimage == Liveness.ALIVE;
        }

        /**
         * {@code controller pid 4242 on host ctl: gone; genimage pid 77 on root@builder: running}.
         */
        public String describe() {
            String c = owner.controllerPid().isEmpty() ? "controller on host " + owner.controllerHost()
                    + ": unknown (no pid recorded)"
                    : "controller pid " + owner.controllerPid().getAsLong() + " on host " + owner.controllerHost()
                    + ": " + switch (controller) {
                        case ALIVE -> "alive";
                        case GONE -> "gone";
                        case UNKNOWN -> "unknown (not this host)";
                    };
            String g = owner.genimagePid().isEmpty() ? "genimage: not started"
                    : "genimage pid " + owner.genimagePid().getAsLong() + " on " + (owner.builder().isEmpty()
                    ? "the builder" : owner.builder()) + ": " + switch (genimage) {
                        case ALIVE -> "running";
                        case GONE -> "gone";
                        case UNKNOWN -> "unknown (not checked on that builder)";
                    };
            return c + "; " + g;
        }
    }
}
