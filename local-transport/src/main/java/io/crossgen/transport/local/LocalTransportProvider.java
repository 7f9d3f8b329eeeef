package io.crossgen.transport.local;

import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import io.crossgen.transport.TransportException;
import io.crossgen.transport.TransportProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runs commands on this machine as local processes: the {@code local:} scheme, on Apache Commons Exec.
 *
 * <p>Registered with {@link java.util.ServiceLoader}, so {@code Transports.discover()} finds it when this jar is
 * on the class path. A provider configured in code (another environment, another grace period) is added with
 * {@code Transports.with(provider)}.
 *
 * <pre>{@code
 * Transports transports = Transports.discover();
 * try (Connection mn = transports.connect(Host.parse("local:"))) {
 *     String arch = Exec.on(mn, Duration.ofSeconds(30)).check(Command.of("uname", "-m")).stdout().text();
 * }
 * }</pre>
 *
 * <p>How processes run:
 * <ul>
 *   <li>Each command is started as {@code setsid ARGV} (util-linux), so it leads a process group and session of
 *   its own, and the program is found on the {@code PATH} of the command's environment. The argv reaches the
 *   program word for word: no shell, no quoting, no {@code ${...}} substitution.</li>
 *   <li>The environment is this JVM's, plus {@link #withEnvironment} additions, plus the command's own.</li>
 *   <li>The three streams are handed out raw, unbuffered by any pump: the caller drains them (as
 *   {@code Exec} does).</li>
 *   <li>Cancel (and so a timeout) sends {@code SIGTERM} to the whole process group, waits up to the grace
 *   period for the command to end, then sends {@code SIGKILL} to the group and to every descendant still known
 *   to the JVM. Killing the group reaches children the command left behind even after the command itself has
 *   ended and they were re-parented (which {@code ProcessHandle.descendants()} alone misses), and a group
 *   signal is atomic, so a forking script cannot outrun it. A descendant that made a session of its own (a
 *   daemon) is only reached while it is still known as a descendant. A command that ends by itself leaves
 *   its background children alone (it may have started a service on purpose). Without {@code setsid} on the
 *   {@code PATH}, commands start directly and cancel falls back to the descendants.</li>
 * </ul>
 *
 * <p>Pitfall, exit status: the JVM reports a process killed by signal N as exit value 128+N, exactly as a shell
 * does, so an exit value cannot tell "killed by SIGTERM" from "called {@code exit(143)}". This transport reads
 * 128+N as {@code Exit.Signalled} for every signal whose default action ends a process (HUP, INT, QUIT, ILL,
 * TRAP, ABRT, BUS, FPE, KILL, USR1, SEGV, USR2, PIPE, ALRM, TERM, STKFLT, XCPU, XFSZ, VTALRM, PROF, IO, PWR,
 * SYS), and as {@code Exit.Exited} otherwise. A shell script whose last command was killed also exits 128+N,
 * which then also reads as that signal; a program that exits 130 on purpose reads as {@code signal INT}.
 * A program that is not found ends with exit 127 and {@code setsid: failed to execute ...} on stderr, as a
 * shell would report it; a working folder that does not exist fails {@code start} with a
 * {@link TransportException}.
 */
public final class LocalTransportProvider implements TransportProvider {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);

    private final Map<String, String> environment;
    private final Duration grace;

    /** Runs commands with this JVM's environment and a grace period of two seconds between TERM and KILL. */
    public LocalTransportProvider() {
        this(Map.of(), DEFAULT_GRACE);
    }

    private LocalTransportProvider(Map<String, String> environment, Duration grace) {
        this.environment = Map.copyOf(environment);
        this.grace = grace;
    }

    /**
     * A copy that adds {@code additions} to the environment of every process (a command's own environment
     * still wins). Use it to put a folder of tools on the {@code PATH}.
     *
     * @throws IllegalArgumentException when a name is not a valid shell name or a value holds a NUL
     */
    public LocalTransportProvider withEnvironment(Map<String, String> additions) {
        Map<String, String> copy = new LinkedHashMap<>(environment);
        additions.forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("environment variable name '" + name + "' is not a valid name");
            }
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("value of " + name + " contains a NUL character");
            }
            copy.put(name, value);
        });
        return new LocalTransportProvider(copy, grace);
    }

    /**
     * A copy that waits {@code period} after SIGTERM before it sends SIGKILL on cancel.
     *
     * @throws IllegalArgumentException when the period is negative
     */
    public LocalTransportProvider withCancelGrace(Duration period) {
        Objects.requireNonNull(period, "grace");
        if (period.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, not " + period);
        }
        return new LocalTransportProvider(environment, period);
    }

    /** The environment added to every process. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The time between SIGTERM and SIGKILL on cancel. */
    public Duration cancelGrace() {
        return grace;
    }

    /** {@code local}. */
    @Override
    public String scheme() {
        return "local";
    }

    /**
     * A connection to this machine; never fails for {@code local:}.
     *
     * @throws TransportException.Connect when the host is not of the {@code local} scheme
     */
    @Override
    public Connection connect(Host host) {
        Objects.requireNonNull(host, "host");
        if (!host.scheme().equals("local")) {
            throw new TransportException.Connect(host, "the local transport serves local:, not " + host.scheme()
                    + ":", null);
        }
        return new LocalConnection(host, environment, grace, setsid());
    }

    /** The setsid program, when there is one on this JVM's PATH. */
    static Optional<String> setsid() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "setsid"))) {
                return Optional.of(Path.of(dir, "setsid").toString());
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "LocalTransportProvider[env " + environment.keySet() + ", grace " + grace + "]";
    }
}
