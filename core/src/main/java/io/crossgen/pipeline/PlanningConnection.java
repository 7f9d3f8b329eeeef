package io.crossgen.pipeline;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;

/** The connection a step gets in a dry run: it records each started command in the plan and runs nothing. */
final class PlanningConnection implements Connection {
    private final Role role;
    private final Host host;
    private final Recorder recorder;

    PlanningConnection(Role role, Host host, Recorder recorder) {
        this.role = role;
        this.host = host;
        this.recorder = recorder;
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public RemoteProcess start(Command command) {
        recorder.plan(new Plan.Invocation(role, host, command));
        recorder.started(command);
        return new RemoteProcess() {
            @Override
            public OutputStream stdin() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public InputStream stdout() {
                return InputStream.nullInputStream();
            }

            @Override
            public InputStream stderr() {
                return InputStream.nullInputStream();
            }

            @Override
            public Optional<Exit> waitFor(Duration timeout) {
                return Optional.of(Exit.exited(0));
            }

            @Override
            public void cancel() {
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
    }
}
