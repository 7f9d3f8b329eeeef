package io.crossgen.transport;

/**
 * Opens connections to hosts of one URI scheme: the service-provider interface of crossgen's transports.
 *
 * <p>Register an implementation with {@link java.util.ServiceLoader}: list its class name in
 * {@code META-INF/services/io.crossgen.transport.TransportProvider} of your jar, and give it a public
 * no-argument constructor that picks safe defaults. {@link Transports#discover()} then finds it, so users add
 * a transport by adding a jar. A provider configured in code is added with {@link Transports#with}.
 *
 * <p>Contract: a provider is stateless and thread-safe; all per-host state lives in the
 * {@link Connection} it returns. {@link #connect} must fail with a {@link TransportException} naming the host
 * (never return a half-open connection), must honour a connect timeout of its own, and must throw
 * {@link InterruptedException} when interrupted while connecting.
 *
 * <pre>{@code
 * public final class KubectlTransportProvider implements TransportProvider {
 *     public String scheme() { return "kubectl"; }
 *     public Connection connect(Host host) { return new KubectlConnection(host); }
 * }
 * }</pre>
 */
public interface TransportProvider {

    /** The URI scheme this provider serves, lower case: {@code local}, {@code ssh}. */
    String scheme();

    /**
     * Opens a connection to the host. Implementations may connect lazily, on the first
     * {@link Connection#start}, but must then report failures from there.
     *
     * @throws TransportException when the host cannot be reached or refuses us
     * @throws InterruptedException when the calling thread is interrupted while connecting
     */
    Connection connect(Host host) throws InterruptedException;

    /**
     * The machine and account a host URI reaches, as this provider resolves it: two URIs with the same identity
     * are one builder to limits and pools ({@code ssh://n1} and {@code ssh://root@n1:22} when root is the
     * default user). Resolves names only; never connects.
     *
     * <p>The default is the URI's scheme, user, host and port as written, options left out.
     *
     * @throws IllegalArgumentException when the URI cannot be resolved (e.g. no user to log in as)
     */
    default String identity(Host host) {
        return writtenIdentity(host);
    }

    /** The identity of a host URI as written: {@code scheme://[user@]host[:port]}, options left out. */
    static String writtenIdentity(Host host) {
        return host.scheme() + "://" + host.user().map(u -> u + "@").orElse("") + host.hostname()
                + (host.port().isPresent() ? ":" + host.port().getAsInt() : "");
    }
}
