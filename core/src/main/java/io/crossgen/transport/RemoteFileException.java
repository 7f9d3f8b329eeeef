package io.crossgen.transport;

import java.util.Objects;

/**
 * A file operation of {@link RemoteFiles} failed: the file is missing, is a folder, is larger than allowed, or
 * the command behind it failed.
 *
 * <p>The message names host, operation and path: {@code node01: cannot read /etc/nope: no such file}. When a
 * command failed, the cause is the {@link ExecException} carrying its full result.
 *
 * <pre>{@code
 * try {
 *     files.read("/etc/xcat/site.conf", 1 << 20);
 * } catch (RemoteFileException e) {
 *     if (e.reason() == RemoteFileException.Reason.NOT_FOUND) { ... }
 * }
 * }</pre>
 */
public class RemoteFileException extends TransportException {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed. */
    public enum Reason {
        /** Nothing at the path (or a dangling symbolic link). */
        NOT_FOUND,
        /** A folder where a file was expected. */
        IS_A_DIRECTORY,
        /** The file is larger than the limit given. */
        TOO_LARGE,
        /** The command failed otherwise (permissions, full disk, ...): see the cause. */
        FAILED
    }

    private final String path;
    private final Reason reason;

    /**
     * A failure of {@code operation} ("read", "write", ...) on {@code path}; the message reads
     * {@code HOST: cannot OPERATION PATH: DETAIL}.
     */
    public RemoteFileException(Host host, String operation, String path, Reason reason, String detail,
            Throwable cause) {
        super(host, "cannot " + operation + " " + path + ": " + detail, cause);
        this.path = Objects.requireNonNull(path, "path");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The path on the host. */
    public String path() {
        return path;
    }

    /** Why it failed. */
    public Reason reason() {
        return reason;
    }
}
