package io.crossgen.transport;

import io.crossgen.Advice;
import io.crossgen.CrossgenException;
import java.util.Objects;

/**
 * A host could not be reached or used: connecting, authenticating, verifying its key, or moving bytes
 * to and from it failed.
 *
 * <p>The message always names the host. Subclasses say which of those went wrong:
 * {@link Connect}, {@link Auth}, {@link HostKey}, {@link Io}.
 */
public class TransportException extends CrossgenException {
    private static final long serialVersionUID = 1L;

    private final Host host;

    public TransportException(Host host, String message, Throwable cause) {
        super(host.label() + ": " + message, cause);
        this.host = host;
    }

    public TransportException(Host host, String message) {
        this(host, message, null);
    }

    /** A failure whose message is {@code host + ": " + problem + "; " + advice.text()}. */
    public TransportException(Host host, String problem, Advice advice, Throwable cause) {
        super(host.label() + ": " + problem, advice, cause);
        this.host = host;
    }

    /** The host involved. */
    public Host host() {
        return host;
    }

    /** The host did not answer, refused the connection, or the connection dropped. */
    public static class Connect extends TransportException {
        private static final long serialVersionUID = 1L;

        public Connect(Host host, String message, Throwable cause) {
            super(host, message, cause);
        }

        public Connect(Host host, String problem, Advice advice, Throwable cause) {
            super(host, problem, advice, cause);
        }
    }

    /** The host refused every credential offered. */
    public static class Auth extends TransportException {
        private static final long serialVersionUID = 1L;

        public Auth(Host host, String message, Throwable cause) {
            super(host, message, cause);
        }
    }

    /** The host's key is unknown, changed, or does not match the pinned fingerprint. */
    public static class HostKey extends TransportException {
        private static final long serialVersionUID = 1L;

        public HostKey(Host host, String message, Throwable cause) {
            super(host, message, cause);
        }

        public HostKey(Host host, String problem, Advice advice, Throwable cause) {
            super(host, problem, advice, cause);
        }
    }

    /** Reading or writing a process's streams failed. */
    public static class Io extends TransportException {
        private static final long serialVersionUID = 1L;

        public Io(Host host, String message, Throwable cause) {
            super(host, message, Objects.requireNonNull(cause, "cause"));
        }
    }
}
