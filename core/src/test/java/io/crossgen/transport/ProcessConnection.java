package io.crossgen.transport;

import io.crossgen.command.Command;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A minimal test connection on ProcessBuilder that records what it starts (core cannot use local-transport). */
final class ProcessConnection implements Connection {
    private final Host host;
    private final Map<String, String> extraEnv;
    final List<Command> started = new CopyOnWriteArrayList<>();

    ProcessConnection() {
        this(Host.local(), Map.of());
    }

    ProcessConnection(Host host, Map<String, String> extraEnv) {
        this.host = host;
        this.extraEnv = new HashMap<>(extraEnv);
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public RemoteProcess start(Command command) {
        started.add(command);
        ProcessBuilder pb = new ProcessBuilder(command.argv());
        command.workingDirectory().ifPresent(d -> pb.directory(new File(d)));
        pb.environment().putAll(extraEnv);
        pb.environment().putAll(command.environment());
        if (extraEnv.containsKey("PATH")) {
            // ProcessBuilder looks programs up on the JVM's PATH: resolve against ours.
            for (String dir : extraEnv.get("PATH").split(":")) {
                File f = new File(dir, command.program());
                if (f.canExecute()) {
                    List<String> argv = new java.util.ArrayList<>(command.argv());
                    argv.set(0, f.getPath());
                    pb.command(argv);
                    break;
                }
            }
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new TransportException(host, "cannot start " + command.program(), e);
        }
        return new RemoteProcess() {
            @Override
            public OutputStream stdin() {
                return p.getOutputStream();
            }

            @Override
            public InputStream stdout() {
                return p.getInputStream();
            }

            @Override
            public InputStream stderr() {
                return p.getErrorStream();
            }

            @Override
            public Optional<Exit> waitFor(Duration timeout) throws InterruptedException {
                return p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) ? Optional.of(Exit.exited(p.exitValue()))
                        : Optional.empty();
            }

            @Override
            public void cancel() {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }

            @Override
            public void close() {
                if (p.isAlive()) {
                    cancel();
                }
            }
        };
    }

    @Override
    public void close() {
    }
}
