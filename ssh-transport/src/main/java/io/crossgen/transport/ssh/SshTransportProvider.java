package io.crossgen.transport.ssh;

import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import io.crossgen.transport.TransportException;
import io.crossgen.transport.TransportProvider;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs commands on hosts named {@code ssh://[user@]host[:port]}, over SSH with JSch.
 *
 * <p>Registered with {@link java.util.ServiceLoader}, so {@code Transports.discover()} finds it with the
 * {@linkplain SshSettings#defaults() safe defaults}: host keys checked strictly against
 * {@code ~/.ssh/known_hosts}, keys from {@code ~/.ssh} and the agent, {@code ~/.ssh/config} honoured.
 * Configure it in code with {@link SshSettings}:
 *
 * <pre>{@code
 * SshSettings settings = SshSettings.builder()
 *         .sshConfig(Path.of("testbed/ssh_config"))
 *         .knownHosts(Path.of("testbed/known_hosts"))
 *         .addIdentity(SshIdentity.of(Path.of("testbed/id_ed25519")))
 *         .build();
 * Transports transports = Transports.discover().with(new SshTransportProvider(settings));
 * try (Connection builder = transports.connect(Host.parse("ssh://root@p9node01"))) {
 *     Exec.on(builder, Duration.ofMinutes(1)).check(Command.of("uname", "-m"));
 * }
 * }</pre>
 *
 * <p>One {@link Connection} is one SSH session, reused by every command run through it; keep the connection
 * for the whole run rather than connecting per command. The connection is made by {@link #connect}, so an
 * unknown host key, a refused key or an unreachable host fails there, before any command.
 *
 * <p>Host URI options this transport reads (others are ignored; {@code sudo} is applied by core):
 * <ul>
 *   <li>{@code knownHosts=/path} — the known_hosts file for this host;</li>
 *   <li>{@code identity=/path[,/path]} — key files to try for this host, before ssh_config's;</li>
 *   <li>{@code jump=[user@]host[:port][,...]} — ProxyJump hops, outermost first ({@code none} for none),
 *   instead of ssh_config's ProxyJump;</li>
 *   <li>{@code fingerprint=SHA256:...} — the pinned key for {@link HostKeyPolicy#PINNED}.</li>
 * </ul>
 * From ssh_config it honours {@code Host} (patterns, {@code !}), {@code HostName} ({@code %h}), {@code User},
 * {@code Port}, {@code IdentityFile} ({@code ~}, {@code %d %h %r %u %p}), {@code ProxyJump} and
 * {@code HostKeyAlias}; the URI wins over ssh_config, ssh_config over the settings.
 *
 * <p>Thread-safe; decrypted keys are cached and shared by the provider's connections.
 */
public final class SshTransportProvider implements TransportProvider {
    private final SshSettings settings;
    private final Identities identities;

    /** A provider with {@link SshSettings#defaults()}. */
    public SshTransportProvider() {
        this(SshSettings.defaults());
    }

    /** A provider with the given settings. */
    public SshTransportProvider(SshSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.identities = new Identities(settings, Optional.ofNullable(System.getenv("SSH_AUTH_SOCK")));
    }

    /** The settings this provider connects with. */
    public SshSettings settings() {
        return settings;
    }

    @Override
    public String scheme() {
        return "ssh";
    }

    /**
     * Connects to the host: resolves it through ssh_config, goes through its jump hosts, verifies every host
     * key, authenticates.
     *
     * @throws IllegalArgumentException when the host's scheme is not {@code ssh}
     * @throws TransportException.HostKey when a host key is refused (the message names the host, key type,
     *     offered fingerprint, and the known_hosts file and line that disagrees)
     * @throws TransportException.Auth when every key was refused (the message lists the key files and agent
     *     tried, never a secret)
     * @throws TransportException.Connect when the host cannot be reached, or the ssh_config file cannot be
     *     read
     * @throws InterruptedException when interrupted while connecting
     */
    @Override
    public Connection connect(Host host) throws InterruptedException {
        Objects.requireNonNull(host, "host");
        if (!host.scheme().equals("ssh")) {
            throw new IllegalArgumentException("SshTransportProvider serves ssh://, not " + host);
        }
        SshConfigFile config;
        try {
            config = settings.sshConfig().map(SshConfigFile::read).orElse(SshConfigFile.EMPTY);
        } catch (UncheckedIOException e) {
            throw new TransportException.Connect(host, e.getMessage(), e);
        }
        return SshConnection.open(host, settings, identities, config);
    }

    /**
     * {@code ssh://user@hostname:port} as a connection would resolve the URI through ssh_config and the settings
     * ({@code HostName}, {@code Port}, {@code User}, the default user), so {@code ssh://n1} and
     * {@code ssh://root@n1:22} are one host when root is the user ssh_config or the settings give.
     *
     * @throws IllegalArgumentException when no user can be found, or the ssh_config file cannot be read
     */
    @Override
    public String identity(Host host) {
        SshConfigFile config;
        try {
            config = settings.sshConfig().map(SshConfigFile::read).orElse(SshConfigFile.EMPTY);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        SshTarget t = SshTarget.resolve(host, settings, config);
        return "ssh://" + t.user() + "@" + t.hostname() + ":" + t.port();
    }

    @Override
    public String toString() {
        return "SshTransportProvider[" + settings + "]";
    }
}
