package io.crossgen.transport.ssh;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A private key file to authenticate with, and its passphrase when it is encrypted.
 *
 * <p>The passphrase is a {@code char[]}: it is copied in, never logged, never part of {@link #toString()}.
 * Zero your own array after building the identity. The transport decrypts the key once, the first time it
 * is needed, and zeroes the bytes it derived from the passphrase right after.
 *
 * <pre>{@code
 * SshIdentity key = SshIdentity.of(Path.of("/etc/crossgen/id_ed25519"), passphrase);
 * Arrays.fill(passphrase, '\0');
 * }</pre>
 */
public final class SshIdentity {
    private final Path file;
    private final char[] passphrase;

    private SshIdentity(Path file, char[] passphrase) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
        this.passphrase = passphrase == null ? null : passphrase.clone();
    }

    /** A key file that is not encrypted (or is only usable through the agent). */
    public static SshIdentity of(Path file) {
        return new SshIdentity(file, null);
    }

    /** An encrypted key file and its passphrase (copied). */
    public static SshIdentity of(Path file, char[] passphrase) {
        return new SshIdentity(file, Objects.requireNonNull(passphrase, "passphrase"));
    }

    /** The private key file, absolute. */
    public Path file() {
        return file;
    }

    /** Whether a passphrase was given. */
    public boolean hasPassphrase() {
        return passphrase != null;
    }

    /** A copy of the passphrase for the caller to zero after use; empty when none was given. */
    Optional<char[]> passphrase() {
        return passphrase == null ? Optional.empty() : Optional.of(passphrase.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SshIdentity other && file.equals(other.file)
                && Arrays.equals(passphrase, other.passphrase);
    }

    @Override
    public int hashCode() {
        return file.hashCode();
    }

    /** The file and whether a passphrase is set; never the passphrase. */
    @Override
    public String toString() {
        return "SshIdentity[" + file + (passphrase == null ? "" : ", passphrase ***") + "]";
    }
}
