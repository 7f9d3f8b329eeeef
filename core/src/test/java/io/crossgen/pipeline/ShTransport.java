package io.crossgen.pipeline;

import io.crossgen.command.Command;
import io.crossgen.command.Shell;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import io.crossgen.transport.TransportException;
import io.crossgen.transport.TransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A minimal transport for tests: scheme {@code sh}, runs {@code sh -c <rendered command>} as a real process. */
final class ShTransport implements TransportProvider {
    @Override
    public String scheme() {
        return "sh";
    }

    @Override
    public Connection connect(Host host) {
        return new Connection() {
            @Override
            public Host host() {
                return host;
            }

            @Override
            public RemoteProcess start(Command command) {
                Process p;
                try {
                    p = new ProcessBuilder("sh", "-c", Shell.render(command)).start();
                } catch (IOException e) {
                    throw new TransportException.Io(host, "cannot start sh", e);
                }
                return new RemoteProcess() {
                    public OutputStream stdin() {
                        return p.getOutputStream();
                    }

                    public InputStream stdout() {
                        return p.getInputStream();
                    }

                    public InputStream stderr() {
                        return p.getErrorStream();
                    }

                    public Optional<Exit> waitFor(Duration timeout) throws InterruptedException {
                        return p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                                ? Optional.of(Exit.exited(p.exitValue())) : Optional.empty();
                    }

                    public void cancel() {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    }

                    public void close() {
                        cancel();
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }
}
