package io.crossgen.transport;

import io.crossgen.Advice;
import io.crossgen.command.Command;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The transports available to a run, one {@link TransportProvider} per URI scheme.
 *
 * <pre>{@code
 * Transports transports = Transports.discover();            // every provider on the class path
 * try (Connection mn = transports.connect(Host.parse("local:"))) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Immutable; {@link #with} returns a copy, so a provider configured in code (an SSH provider with its own
 * known_hosts file, a {@code ScriptedTransport} in a test) replaces the discovered one for its scheme.
 */
public final class Transports {
    private final Map<String, TransportProvider> providers;

    private Transports(Map<String, TransportProvider> providers) {
        this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
    }

    /** The providers registered with {@link ServiceLoader} on the class path of this class. */
    public static Transports discover() {
        Transports t = new Transports(Map.of());
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class, Transports.class.getClassLoader())) {
            t = t.with(p);
        }
        return t;
    }

    /** Exactly the given providers. */
    public static Transports of(TransportProvider... providers) {
        Transports t = new Transports(Map.of());
        for (TransportProvider p : providers) {
            t = t.with(p);
        }
        return t;
    }

    /** A copy in which {@code provider} serves its scheme, replacing any other provider of that scheme. */
    public Transports with(TransportProvider provider) {
        Map<String, TransportProvider> copy = new LinkedHashMap<>(providers);
        copy.put(provider.scheme(), provider);
        return new Transports(copy);
    }

    /** The provider of a scheme. */
    public Optional<TransportProvider> provider(String scheme) {
        return Optional.ofNullable(providers.get(scheme));
    }

    /** The schemes served, in registration order. */
    public Set<String> schemes() {
        return providers.keySet();
    }

    /**
     * Connects to a host through the provider of its scheme.
     *
     * <p>When the host says {@code ?sudo=true}, the connection runs every command as root through
     * {@code sudo -n --}: a command with a working folder or environment becomes
     * {@code sudo -n -- sh -c 'cd DIR && export K=V && exec ARGV'} (sudo resets the environment, so variables are
     * set after it; the folder is entered as root). Connecting then checks once, with {@code sudo -n -- true}, that
     * sudo needs no password, and fails early with a message that says what to change when it does. Transports
     * never see the option: they just run {@code sudo}.
     *
     * @throws TransportException when no provider serves the scheme (the message lists those that do), or
     *     the provider cannot connect
     * @throws TransportException.Auth when the host says {@code ?sudo=true} and sudo wants a password: allow
     *     the user a {@code NOPASSWD} rule in sudoers, or connect as root
     * @throws InterruptedException when interrupted while connecting
     */
    public Connection connect(Host host) throws InterruptedException {
        TransportProvider provider = providers.get(host.scheme());
        if (provider == null) {
            throw new TransportException.Connect(host, "no transport serves scheme '" + host.scheme()
                    + "' (available: " + String.join(", ", providers.keySet()) + ")", new Advice(
                    Advice.Kind.ADD_TRANSPORT, "add the jar of its transport, e.g. crossgen-" + host.scheme()
                    + "-transport"), null);
        }
        Connection connection = provider.connect(host);
        return host.sudo() ? SudoConnection.wrap(connection) : connection;
    }

    /**
     * The resolved identity of a host ({@link TransportProvider#identity}), by the provider of its scheme; a
     * scheme no provider serves gets the default identity.
     */
    public String identity(Host host) {
        TransportProvider provider = providers.get(host.scheme());
        return provider != null ? provider.identity(host) : TransportProvider.writtenIdentity(host);
    }

    /**
     * The command as a {@code ?sudo=true} host runs it: {@code sudo -n -- ARGV}, or
     * {@code sudo -n -- sh -c 'cd DIR && export K=V && exec ARGV'} when it has a working folder or environment.
     * For plans, which must show what really runs.
     */
    public static Command asRoot(Command command) {
        return SudoConnection.wrapCommand(command);
    }

    @Override
    public String toString() {
        return "Transports" + providers.keySet();
    }
}
