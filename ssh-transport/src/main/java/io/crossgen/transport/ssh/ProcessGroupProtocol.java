package io.crossgen.transport.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import io.crossgen.command.Command;
import io.crossgen.command.Shell;
import io.crossgen.transport.Host;
import io.crossgen.transport.ShellScripts;
import io.crossgen.transport.TransportException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote side of cancel: the wrapper that runs a command as the leader of its own process group and reports
 * the group's id on stderr ({@code crossgen-pgid:TOKEN:PID}, taken out by {@link MarkerFilter}), and the kill of
 * that group through a channel of its own. {@link SshConnection} documents the protocol.
 */
final class ProcessGroupProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroupProtocol.class);

    /** The wrapper script; $1 is the token, $2 the command line. */
    static final String WRAPPER = "t=$1; c=$2; g=; { read -r s < /proc/$$/stat; } 2>/dev/null"
            + " && { s=${s##*\") \"}; set -- $s; g=$3; };"
            + " printf 'crossgen-pgid:%s:%s\\n' \"$t\" \"$$\" >&2;"
            + " if [ \"$g\" = \"$$\" ] || ! command -v setsid >/dev/null 2>&1; then exec sh -c \"$c\"; fi;"
            + " exec setsid sh -c \"$c\"";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ProcessGroupProtocol() {
    }

    /** A fresh token that tells this command's marker line from anything the command prints. */
    static String newToken() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The exec request for a command: the wrapper, the token and the rendered command. */
    static String remoteLine(Command command, String token) {
        String line = Shell.render(command.withPrefix(List.of("exec")));
        return "exec sh -c " + Shell.quote(WRAPPER) + " crossgen " + token + " " + Shell.quote(line);
    }

    /** Kills a process group on the host through a channel of its own, waiting at most {@code limit}. */
    static void killGroup(SessionChain sessions, Host host, long pgid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) sessions.session().openChannel("exec");
            if (channel == null) {
                LOG.warn("{}: cannot open a channel to kill process group {}", host.label(), pgid);
                return;
            }
            channel.setCommand(ShellScripts.killGroup(pgid, Duration.ofSeconds(5)).toString());
            channel.setOutputStream(OutputStream.nullOutputStream());
            channel.setExtOutputStream(OutputStream.nullOutputStream());
            channel.connect(0);
            while (!channel.isClosed() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            if (!channel.isClosed()) {
                LOG.warn("{}: killing process group {} did not finish within {}", host.label(), pgid, limit);
            }
        } catch (JSchException | TransportException e) {
            LOG.warn("{}: cannot kill process group {}: {}", host.label(), pgid, e.getMessage());
        } finally {
            if (channel != null) {
                channel.disconnect();
            }
        }
    }
}
