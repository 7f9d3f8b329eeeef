package io.crossgen.testing;

import io.crossgen.command.Command;
import io.crossgen.transport.Host;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A command a {@link ScriptedTransport} received: where, what, the bytes written to its stdin, and whether it
 * was cancelled.
 *
 * <p>The stdin bytes and the cancel flag grow while the command runs; read them after it ended.
 */
public final class RecordedCommand {
    private final int sequence;
    private final Host host;
    private final Command command;
    private final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
    private volatile boolean cancelled;

    RecordedCommand(int sequence, Host host, Command command) {
        this.sequence = sequence;
        this.host = Objects.requireNonNull(host, "host");
        this.command = Objects.requireNonNull(command, "command");
    }

    /** The position among all commands the transport received, from 1. */
    public int sequence() {
        return sequence;
    }

    /** The host it ran on. */
    public Host host() {
        return host;
    }

    /** The command. */
    public Command command() {
        return command;
    }

    /** The bytes written to its stdin so far. */
    public byte[] stdin() {
        synchronized (stdin) {
            return stdin.toByteArray();
        }
    }

    /** {@link #stdin()} as UTF-8 text. */
    public String stdinText() {
        return new String(stdin(), StandardCharsets.UTF_8);
    }

    /** Whether it was cancelled (by a timeout, an interrupt, or a closed connection) before its end. */
    public boolean cancelled() {
        return cancelled;
    }

    void appendStdin(byte[] b, int off, int len) {
        synchronized (stdin) {
            stdin.write(b, off, len);
        }
    }

    void markCancelled() {
        cancelled = true;
    }

    /** {@code #3 builder: uname -m}. */
    @Override
    public String toString() {
        return "#" + sequence + " " + host.label() + ": " + command;
    }
}
