package io.crossgen.pipeline;

import io.crossgen.command.Command;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;

/**
 * The run's connection to a host as a step gets it from {@link StepContext#connection}: each command started
 * through it (a file written, one side of a relay, a poll) is counted in the step's {@link Recorder}.
 */
final class CountedConnection implements Connection {
    private final Connection connection;
    private final Recorder recorder;

    CountedConnection(Connection connection, Recorder recorder) {
        this.connection = connection;
        this.recorder = recorder;
    }

    @Override
    public Host host() {
        return connection.host();
    }

    @Override
    public RemoteProcess start(Command command) throws InterruptedException {
        recorder.started(command);
        return connection.start(command);
    }

    @Override
    public void close() {
        connection.close();
    }
}
