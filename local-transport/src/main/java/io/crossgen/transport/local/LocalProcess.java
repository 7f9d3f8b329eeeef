package io.crossgen.transport.local;

import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.commons.exec.ExecuteWatchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A local process that leads its own process group (when started through setsid). */
final class LocalProcess implements RemoteProcess {
    private static final Logger LOG = LoggerFactory.getLogger(LocalProcess.class);
    private static final Duration KILL_COMMAND_LIMIT = Duration.ofSeconds(10);

    private final Host host;
    private final Process process;
    private final ExecuteWatchdog watchdog;
    private final boolean groupLeader;
    private final Duration grace;
    private final Consumer<LocalProcess> onClose;
    private final Object cancelLock = new Object();
    private boolean cancelled;

    LocalProcess(Host host, Process process, ExecuteWatchdog watchdog, boolean groupLeader, Duration grace,
            Consumer<LocalProcess> onClose) {
        this.host = host;
        this.process = process;
        this.watchdog = watchdog;
        this.groupLeader = groupLeader;
        this.grace = grace;
        this.onClose = onClose;
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    @Override
    public Optional<Exit> waitFor(Duration timeout) throws InterruptedException {
        if (process.waitFor(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
            return Optional.of(Signals.exitOf(process.exitValue()));
        }
        return Optional.empty();
    }

    /**
     * SIGTERM to the group (and the process itself), up to the grace period for it to end, then SIGKILL to the
     * group and to every descendant seen. Runs once; later calls return at once.
     */
    @Override
    public void cancel() {
        synchronized (cancelLock) {
            if (cancelled) {
                return;
            }
            cancelled = true;
        }
        long pid = process.pid();
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        boolean interrupted = false;
        try {
            if (process.isAlive()) {
                LOG.debug("{}: cancelling pid {} and its {} descendants", host.label(), pid, descendants.size());
                if (groupLeader) {
                    signalGroup("TERM", pid);
                }
                watchdog.destroyProcess();
                try {
                    process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // carry on killing, restore the flag below
                }
            }
            // Always: children may outlive a leader that already ended.
            if (groupLeader) {
                signalGroup("KILL", pid);
            }
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            try {
                process.waitFor(KILL_COMMAND_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sends a signal to the process group {@code pgid}, through the shell's kill (the JDK has no call for it). */
    private void signalGroup(String signal, long pgid) {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "kill -s \"$1\" -- \"-$2\" 2>/dev/null", "crossgen-kill",
                signal, Long.toString(pgid))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        boolean interrupted = false;
        try {
            Process kill = pb.start();
            kill.getOutputStream().close();
            while (true) {
                try {
                    if (!kill.waitFor(KILL_COMMAND_LIMIT.toNanos(), TimeUnit.NANOSECONDS)) {
                        kill.destroyForcibly();
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot signal process group {} with {}: {}", host.label(), pgid, signal, e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                cancel();
            }
            closeQuietly(process.getOutputStream());
            closeQuietly(process.getInputStream());
            closeQuietly(process.getErrorStream());
        } finally {
            onClose.accept(this);
        }
    }

    private void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("{}: closing a stream of pid {} failed: {}", host.label(), process.pid(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "LocalProcess[pid " + process.pid() + "]";
    }
}
