/**
 * How crossgen reaches a host: the transport service-provider interface and what is built on it.
 *
 * <p>A {@link io.crossgen.transport.Host} names a host by URI ({@code local:}, {@code ssh://user@host:port});
 * {@link io.crossgen.transport.Transports} finds the {@link io.crossgen.transport.TransportProvider} for its
 * scheme with {@link java.util.ServiceLoader} and opens a {@link io.crossgen.transport.Connection}. On a
 * connection, {@link io.crossgen.transport.Exec} runs a command with a timeout and collects its output,
 * {@link io.crossgen.transport.RemoteFiles} reads and writes files, and {@link io.crossgen.transport.TarRelay}
 * streams a tree from one host to another through this process. The providers live in their own modules
 * ({@code crossgen-local-transport}, {@code crossgen-ssh-transport}); this package never depends on them.
 */
package io.crossgen.transport;
