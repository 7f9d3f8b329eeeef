package io.crossgen.transport.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;
import io.crossgen.Advice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether one hop's host key is trusted, for one connection attempt, and remembers why not.
 *
 * <p>JSch asks {@link #check}; this class answers from its own known_hosts reading (so refusals name file and
 * line) or the pinned fingerprint, and JSch, configured with {@code StrictHostKeyChecking=yes}, aborts the
 * handshake on anything but {@link #OK}. The connection then turns JSch's exception into
 * {@link #refusal()}. JSch calls {@code check} only after the server proved it holds the key, so appending
 * to known_hosts here ({@link HostKeyPolicy#ACCEPT_NEW}) is safe.
 */
final class HostKeyVerifier implements HostKeyRepository {
    private static final Logger LOG = LoggerFactory.getLogger(HostKeyVerifier.class);
    private static final Object APPEND_LOCK = new Object();

    private final HostKeyPolicy policy;
    private final Path knownHosts;
    private final Optional<String> pin;
    private volatile String refusal;
    private volatile Advice refusalAdvice;

    HostKeyVerifier(HostKeyPolicy policy, Path knownHosts, Optional<String> pin) {
        this.policy = policy;
        this.knownHosts = knownHosts;
        this.pin = pin;
    }

    /** Why the key was refused, when it was. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The key types known_hosts holds for {@code name}, for ordering the algorithm proposal. */
    List<String> knownTypes(String name) {
        if (policy == HostKeyPolicy.PINNED || policy == HostKeyPolicy.INSECURE_ACCEPT_ANY) {
            return List.of();
        }
        List<String> types = new ArrayList<>();
        for (KnownHostsFile.Entry e : KnownHostsFile.read(knownHosts).matching(name)) {
            if (!e.revoked() && !types.contains(e.keyType())) {
                types.add(e.keyType());
            }
        }
        return types;
    }

    @Override
    public int check(String host, byte[] key) {
        String type = KnownHostsFile.keyType(key);
        String fp = KnownHostsFile.fingerprint(key);
        String offered = type + " key " + fp;
        switch (policy) {
            case INSECURE_ACCEPT_ANY:
                LOG.warn("{}: host key NOT verified (policy INSECURE_ACCEPT_ANY): accepted {}", host, offered);
                return OK;
            case PINNED:
                if (pin.isEmpty()) {
                    return refuse(NOT_INCLUDED, "no fingerprint pinned for " + host + " (policy PINNED): offered "
                            + offered + "; pin it with SshSettings.Builder.pin or ?fingerprint=");
                }
                if (pin.get().equals(fp)) {
                    return OK;
                }
                return refuse(CHANGED, "host key for " + host + " does not match the pinned fingerprint: offered "
                        + offered + ", pinned " + pin.get());
            default:
                return checkKnownHosts(host, key, type, offered);
        }
    }

    private int checkKnownHosts(String host, byte[] key, String type, String offered) {
        List<KnownHostsFile.Entry> entries = KnownHostsFile.read(knownHosts).matching(host);
        for (KnownHostsFile.Entry e : entries) {
            if (e.revoked() && e.sameKey(key)) {
                return refuse(CHANGED, "host key for " + host + " is revoked: " + offered + " is marked @revoked in "
                        + knownHosts + ":" + e.line());
            }
        }
        KnownHostsFile.Entry otherType = null;
        for (KnownHostsFile.Entry e : entries) {
            if (e.revoked()) {
                continue;
            }
            if (e.keyType().equals(type) && e.sameKey(key)) {
                LOG.debug("{}: host key {} matches {}:{}", host, offered, knownHosts, e.line());
                return OK;
            }
        }
        for (KnownHostsFile.Entry e : entries) {
            if (e.revoked()) {
                continue;
            }
            if (e.keyType().equals(type)) {
                return refuse(CHANGED, "HOST KEY CHANGED for " + host + ": offered " + offered + " does not match "
                        + knownHosts + ":" + e.line() + " (possible man-in-the-middle; if the host was reinstalled,"
                        + " remove that line and verify the new key)");
            }
            if (otherType == null) {
                otherType = e;
            }
        }
        if (otherType != null) {
            return refuse(NOT_INCLUDED, "unknown host key for " + host + ": offered " + offered + ", but "
                    + knownHosts + ":" + otherType.line() + " knows it by a " + otherType.keyType() + " key (policy "
                    + policy + "); verify the new key and add it to that file");
        }
        if (policy == HostKeyPolicy.ACCEPT_NEW) {
            append(host, key);
            LOG.warn("{}: first contact, trusted {} and added it to {} (policy ACCEPT_NEW)", host, offered,
                    knownHosts);
            return OK;
        }
        refusalAdvice = new Advice(Advice.Kind.ACCEPT_NEW_HOST_KEY, "verify the fingerprint out of band, then add"
                + " the key to that file or use ACCEPT_NEW");
        return refuse(NOT_INCLUDED, "unknown host key for " + host + ": " + offered + " is not in " + knownHosts
                + " (policy STRICT)");
    }

    private int refuse(int verdict, String why) {
        refusal = why;
        return verdict;
    }

    /** What to do about {@link #refusal()}, when the refusal comes with advice. */
    Optional<Advice> refusalAdvice() {
        return Optional.ofNullable(refusalAdvice);
    }

    private void append(String host, byte[] key) {
        String line = host + " " + KnownHostsFile.keyType(key) + " " + Base64.getEncoder().encodeToString(key) + "\n";
        synchronized (APPEND_LOCK) {
            try {
                Path dir = knownHosts.toAbsolutePath().getParent();
                if (dir != null && !Files.isDirectory(dir)) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                }
                if (Files.exists(knownHosts) && Files.size(knownHosts) > 0) {
                    byte[] all = Files.readAllBytes(knownHosts);
                    if (all[all.length - 1] != '\n') {
                        line = "\n" + line;
                    }
                }
                Files.writeString(knownHosts, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot add the key of " + host + " to " + knownHosts, e);
            }
        }
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // Never called with StrictHostKeyChecking=yes; keys are added by check() under ACCEPT_NEW only.
    }

    @Override
    public void remove(String host, String type) {
        // known_hosts is never edited behind the user's back.
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        // known_hosts is never edited behind the user's back.
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return knownHosts.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return new HostKey[0];
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        // Revocation is handled in check(); the proposal order is set by the connection.
        return new HostKey[0];
    }
}
