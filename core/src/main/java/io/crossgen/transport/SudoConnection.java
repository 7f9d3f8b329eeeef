package io.crossgen.transport;

import io.crossgen.command.Command;
import io.crossgen.command.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every command of another connection as root through {@code sudo -n}.
 *
 * <p>A command without working folder and environment becomes {@code sudo -n -- ARGV}. One with either becomes
 * {@code sudo -n -- sh -c 'cd DIR && export K=V && exec ARGV'}, rendered by {@link Shell#render}: sudo resets
 * the environment (so variables must be set after it) and the folder is entered as root (so a folder only root
 * may enter works too); {@code exec} keeps the process tree and the exit status those of the command itself.
 * Stdin passes through sudo unchanged.
 */
final class SudoConnection implements Connection {
    static final List<String> PREFIX = List.of("sudo", "-n", "--");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

    private final Connection inner;

    private SudoConnection(Connection inner) {
        this.inner = inner;
    }

    /**
     * Wraps {@code inner} after checking, with {@code sudo -n -- true}, that sudo runs without a password.
     *
     * @throws TransportException.Auth when sudo wants a password or is refused; the connection is closed
     * @throws TransportException when sudo is missing or the probe fails otherwise; the connection is closed
     */
    static Connection wrap(Connection inner) throws InterruptedException {
        boolean ok = false;
        try {
            ExecResult probe = Exec.on(inner, PROBE_TIMEOUT).withCaptureLimit(16 * 1024)
                    .run(Command.of("true").withPrefix(PREFIX));
            if (!probe.isSuccess()) {
                throw probeFailure(inner.host(), probe);
            }
            ok = true;
            return new SudoConnection(inner);
        } finally {
            if (!ok) {
                inner.close();
            }
        }
    }

    private static TransportException probeFailure(Host host, ExecResult probe) {
        String said = String.join(" | ", probe.stderr().lastLines(3));
        String user = host.user().map(u -> "user " + u).orElse("this user");
        if (said.contains("password is required") || said.contains("a terminal is required")) {
            return new TransportException.Auth(host, "sudo wants a password for " + user + " (sudo said: " + said
                    + "); allow it without one (a NOPASSWD rule in sudoers) or connect as root instead of ?sudo=true",
                    null);
        }
        if (probe.exit() instanceof Exit.Exited e && e.code() == 127) {
            return new TransportException(host, "sudo is not installed (sudo -n -- true: " + said
                    + "); install it or connect as root instead of ?sudo=true");
        }
        return new TransportException.Auth(host, "sudo -n -- true failed with " + probe.exit().describe()
                + (said.isEmpty() ? "" : " (sudo said: " + said + ")") + "; check the sudoers rules for " + user,
                null);
    }

    /** The command as it runs under sudo. */
    static Command wrapCommand(Command command) {
        if (command.workingDirectory().isEmpty() && command.environment().isEmpty()) {
            return command.withPrefix(PREFIX);
        }
        List<String> exec = new ArrayList<>();
        exec.add("exec");
        exec.addAll(command.argv());
        Command.Builder inShell = Command.builder().addArgs(exec)
                .workingDirectory(command.workingDirectory().orElse(null));
        command.environment().forEach(inShell::env);
        List<String> argv = new ArrayList<>(PREFIX);
        argv.addAll(List.of("sh", "-c", Shell.render(inShell.build())));
        return Command.builder().addArgs(argv).stdin(command.stdin()).build();
    }

    @Override
    public Host host() {
        return inner.host();
    }

    @Override
    public RemoteProcess start(Command command) throws InterruptedException {
        return inner.start(wrapCommand(command));
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "sudo " + inner;
    }
}
