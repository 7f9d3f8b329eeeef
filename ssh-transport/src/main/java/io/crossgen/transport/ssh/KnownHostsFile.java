package io.crossgen.transport.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An OpenSSH known_hosts file, read with line numbers so refusals can name the line that disagrees.
 *
 * <p>Understands plain and hashed ({@code |1|salt|hash}) host fields, comma-separated patterns with
 * {@code *}, {@code ?} and {@code !} negation, {@code [host]:port} names, and the {@code @revoked} marker.
 * {@code @cert-authority} lines are skipped (host certificates are not supported). Lines it cannot parse
 * are skipped, as OpenSSH does.
 */
final class KnownHostsFile {
    /** One usable line. */
    record Entry(int line, String marker, String hosts, String keyType, byte[] key) {
        boolean revoked() {
            return marker.equals("@revoked");
        }

        boolean sameKey(byte[] other) {
            return MessageDigest.isEqual(key, other);
        }
    }

    private final Path file;
    private final List<Entry> entries;

    private KnownHostsFile(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /** Reads the file; a missing file is empty. */
    static KnownHostsFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            lines = List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read known_hosts file " + file, e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            int at = 0;
            String marker = "";
            if (f[0].startsWith("@")) {
                marker = f[0];
                at = 1;
            }
            if (f.length < at + 3 || marker.equals("@cert-authority")) {
                continue;
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(f[at + 2]);
            } catch (IllegalArgumentException e) {
                continue;
            }
            entries.add(new Entry(i + 1, marker, f[at], f[at + 1], key));
        }
        return new KnownHostsFile(file, entries);
    }

    Path file() {
        return file;
    }

    /** The entries whose host field matches {@code name} ({@code host} or {@code [host]:port}). */
    List<Entry> matching(String name) {
        List<Entry> found = new ArrayList<>();
        for (Entry e : entries) {
            if (hostsMatch(e.hosts(), name)) {
                found.add(e);
            }
        }
        return found;
    }

    static boolean hostsMatch(String hosts, String name) {
        if (hosts.startsWith("|1|")) {
            return hashedMatch(hosts, name);
        }
        boolean matched = false;
        for (String pattern : hosts.split(",")) {
            boolean negated = pattern.startsWith("!");
            String p = negated ? pattern.substring(1) : pattern;
            if (wildcardMatch(p.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT))) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static boolean hashedMatch(String hosts, String name) {
        String[] parts = hosts.split("\\|");
        // "", "1", salt, hash
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(hash, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    static boolean wildcardMatch(String pattern, String s) {
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == s.charAt(i))) {
                p++;
                i++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** The name known_hosts uses for a host: {@code host} on port 22, {@code [host]:port} otherwise. */
    static String hostName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** The key type an SSH public key blob announces, e.g. {@code ssh-ed25519}. */
    static String keyType(byte[] blob) {
        if (blob.length < 4) {
            return "unknown";
        }
        int len = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (len < 0 || len > blob.length - 4) {
            return "unknown";
        }
        return new String(blob, 4, len, StandardCharsets.US_ASCII);
    }

    /** The SHA256 fingerprint as {@code ssh-keygen -lf} prints it: {@code SHA256:} and unpadded base64. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The signature algorithms that can verify a key of this known_hosts type, best first. */
    static List<String> algorithmsFor(String keyType) {
        if (keyType.equals("ssh-rsa")) {
            return List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa");
        }
        return List.of(keyType);
    }

    /**
     * Reorders a JSch {@code server_host_key} proposal so that the algorithms for the given known types come
     * first, in proposal order; the others follow unchanged.
     */
    static String preferKnownTypes(String proposal, List<String> knownTypes) {
        List<String> algos = new ArrayList<>(Arrays.asList(proposal.split(",")));
        List<String> first = new ArrayList<>();
        for (String type : knownTypes) {
            for (String algo : algorithmsFor(type)) {
                if (algos.remove(algo) && !first.contains(algo)) {
                    first.add(algo);
                }
            }
        }
        // keep the known ones in the proposal's own order of preference
        List<String> ordered = new ArrayList<>();
        for (String algo : proposal.split(",")) {
            if (first.contains(algo)) {
                ordered.add(algo);
            }
        }
        ordered.addAll(algos);
        return String.join(",", ordered);
    }
}
