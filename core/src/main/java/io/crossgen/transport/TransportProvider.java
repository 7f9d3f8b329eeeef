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
}
