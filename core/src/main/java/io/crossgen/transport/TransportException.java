package io.crossgen.transport;

import io.crossgen.Advice;
import io.crossgen.CrossgenException;
import java.util.Objects;

/**
 * A host could not be reached or used: connecting, authenticating, verifying its key, or moving bytes
 * to and from it failed.
 *
 * <p>The message always names the host, and {@link #host()} gives it as a {@link Host} (never empty: a
 * transport failure is always about one host). Subclasses say which of those went wrong: {@link Connect},
 * {@link Auth}, {@link HostKey}, {@link Io}, and {@link RemoteFileException} for a file operation (its
 * {@link RemoteFileException#reason()} tells a missing file, the host's answer, from a failed transfer).
 *
 * <p>What catching it means (file operations aside): the command may not have run, or its end was not seen; trying again (on a new
 * connection) is reasonable. A command that ran and answered with a failing exit is not a transport failure: it
 * is an {@link ExecException} (a {@link RelayException} for a tar relay), a sibling under
 * {@link io.crossgen.CrossgenException}, not a subclass. Keeping them apart lets a caller retry what the
 * network broke without retrying what the host refused (a genimage poll retries on {@code TransportException}
 * only), and lets a run's report tell "could not run" (no exit) from "ran and failed" (host, argv, exit,
 * stderr tail).
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
