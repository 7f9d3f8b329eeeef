package io.crossgen.transport.ssh;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.crossgen.command.Command;
import io.crossgen.transport.Host;
import io.crossgen.transport.TransportException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a command in an exec channel of its own, wrapped by {@link ProcessGroupProtocol}, its stdout and stderr
 * going to bounded pipes. When the session is found dead before the exec request can have reached the host, it
 * reconnects and tries once more; a request that may have reached the host is never sent twice.
 */
final class ExecChannels {
    private static final Logger LOG = LoggerFactory.getLogger(ExecChannels.class);

    /**
     * A started channel.
     *
     * @param channel the exec channel, connected
     * @param stdout the command's stdout
     * @param stderr the command's stderr, without the marker line
     * @param stdin the command's stdin
     * @param pgid completed with the command's process group id once the marker line came, empty if none did
     */
    record Started(ChannelExec channel, ChannelPipe stdout, ChannelPipe stderr, OutputStream stdin,
            CompletableFuture<OptionalLong> pgid) {
    }

    private ExecChannels() {
    }

    /**
     * Starts {@code command} on the chain's session.
     *
     * @throws TransportException.Connect when no channel can be opened or started
     */
    static Started start(SessionChain sessions, Host host, Command command) throws InterruptedException {
        return start(sessions, host, command, true);
    }

    private static Started start(SessionChain sessions, Host host, Command command, boolean mayRetry)
            throws InterruptedException {
        Session session = sessions.session();
        String token = ProcessGroupProtocol.newToken();
        Channel opened;
        try {
            opened = session.openChannel("exec");
        } catch (JSchException e) {
            opened = null;
        }
        if (opened == null) {
            if (mayRetry && !session.isConnected()) {
                return start(sessions, host, command, false);
            }
            throw new TransportException.Connect(host, "cannot open a channel for " + command.program(), null);
        }
        ChannelExec channel = (ChannelExec) opened;
        channel.setCommand(ProcessGroupProtocol.remoteLine(command, token).getBytes(StandardCharsets.UTF_8));
        ChannelPipe out = new ChannelPipe();
        ChannelPipe err = new ChannelPipe();
        CompletableFuture<OptionalLong> pgid = new CompletableFuture<>();
        channel.setOutputStream(out.sink(), false);
        channel.setExtOutputStream(new MarkerFilter(err.sink(), token, pgid), false);
        OutputStream in;
        try {
            in = channel.getOutputStream();
            // No timeout here on purpose: with one, JSch waits for the open confirmation in a single wait()
            // that a dying session never wakes; without, it polls every 10 ms (about 20 s at most) and
            // notices a dead session at once.
            channel.connect(0);
        } catch (JSchException | IOException e) {
            channel.disconnect();
            String msg = String.valueOf(e.getMessage());
            // Retry only when the exec request cannot have reached the host (the session was already gone).
            if (mayRetry && !session.isConnected() && !msg.contains("failed to send channel request")) {
                LOG.debug("{}: session died before {} started; reconnecting: {}", host.label(), command.program(),
                        msg);
                return start(sessions, host, command, false);
            }
            throw new TransportException.Connect(host, "cannot start " + command.program() + ": " + msg, e);
        }
        return new Started(channel, out, err, in, pgid);
    }
}
