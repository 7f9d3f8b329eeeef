package io.crossgen.transport.local;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import io.crossgen.transport.TransportException;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.environment.EnvironmentUtils;
import org.apache.commons.exec.launcher.CommandLauncher;
import org.apache.commons.exec.launcher.CommandLauncherFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts local processes through Commons Exec's launcher, each in its own session, with its own watchdog.
 *
 * <p>Commons Exec's {@code DefaultExecutor} is not used: it pumps the streams itself and closes them when the
 * process ends, which would lose output a caller has not read yet. The launcher gives the raw
 * {@link Process}; an {@link ExecuteWatchdog} per process (no timeout of its own: {@code Exec} owns timeouts)
 * does the first, direct kill on cancel, and {@link LocalProcess} kills the rest of the tree.
 */
final class LocalConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(LocalConnection.class);

    private final Host host;
    private final Map<String, String> environment;
    private final Duration grace;
    private final Optional<String> setsid;
    private final CommandLauncher launcher = CommandLauncherFactory.createVMLauncher();
    private final Set<LocalProcess> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    LocalConnection(Host host, Map<String, String> environment, Duration grace, Optional<String> setsid) {
        this.host = host;
        this.environment = environment;
        this.grace = grace;
        this.setsid = setsid;
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public RemoteProcess start(Command command) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before starting " + command.program());
        }
        if (closed) {
            throw new TransportException.Connect(host, "connection is closed; cannot start " + command.program(), null);
        }
        CommandLine line;
        if (setsid.isPresent()) {
            line = new CommandLine(setsid.get());
            for (String word : command.argv()) {
                line.addArgument(word, false);
            }
        } else {
            line = new CommandLine(command.program());
            for (String word : command.argv().subList(1, command.argv().size())) {
                line.addArgument(word, false);
            }
        }
        File dir = command.workingDirectory().map(File::new).orElse(null);
        if (dir != null && !dir.isDirectory()) {
            throw new TransportException(host, "cannot start " + command.program() + ": working folder "
                    + dir + " does not exist or is not a folder");
        }
        Map<String, String> env;
        try {
            env = new HashMap<>(EnvironmentUtils.getProcEnvironment());
        } catch (IOException e) {
            throw new TransportException(host, "cannot read this process's environment", e);
        }
        env.putAll(environment);
        env.putAll(command.environment());
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder()
                .setTimeout(ExecuteWatchdog.INFINITE_TIMEOUT_DURATION)
                .get();
        Process process;
        try {
            process = launcher.exec(line, env, dir);
        } catch (IOException e) {
            watchdog.failedToStart(e);
            throw new TransportException(host, "cannot start " + command.program() + ": " + e.getMessage(), e);
        }
        watchdog.start(process);
        LocalProcess p = new LocalProcess(host, process, watchdog, setsid.isPresent(), grace, running::remove);
        running.add(p);
        LOG.debug("{}: started pid {}: {}", host.label(), process.pid(), command.program());
        return p;
    }

    @Override
    public void close() {
        closed = true;
        for (LocalProcess p : running) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return "LocalConnection[" + host + "]";
    }
}
