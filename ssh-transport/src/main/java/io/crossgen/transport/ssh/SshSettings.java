package io.crossgen.transport.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the SSH transport connects: host key checking, credentials, ssh_config, timeouts and limits.
 *
 * <p>{@link #defaults()} is what the no-argument {@link SshTransportProvider} uses, and is safe: host keys
 * checked {@link HostKeyPolicy#STRICT strictly} against {@code ~/.ssh/known_hosts}; keys from
 * {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} (those present) and from the ssh-agent at
 * {@code $SSH_AUTH_SOCK}; {@code ~/.ssh/config} honoured when present; 20 s to connect; a keepalive every
 * 15 s, the connection given up after 4 unanswered; at most 8 commands at once per host (OpenSSH's
 * {@code MaxSessions} is 10, and cancelling needs spare channels: at most 2 at once).
 *
 * <p>Immutable; the {@code with*} methods return copies, {@link #builder()} builds from scratch and
 * {@link Builder#build()} validates. Never holds a secret in {@link #toString()}.
 *
 * <pre>{@code
 * SshSettings settings = SshSettings.builder()
 *         .sshConfig(Path.of("/etc/crossgen/ssh_config"))
 *         .knownHosts(Path.of("/etc/crossgen/known_hosts"))
 *         .addIdentity(SshIdentity.of(Path.of("/etc/crossgen/id_ed25519")))
 *         .build();
 * Transports transports = Transports.discover().with(new SshTransportProvider(settings));
 * }</pre>
 */
public final class SshSettings {
    /** The default number of commands run at once on one host. */
    public static final int DEFAULT_MAX_CHANNELS = 8;

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    private final Path knownHosts;
    private final HostKeyPolicy hostKeyPolicy;
    private final Map<String, String> pins;
    private final List<SshIdentity> identities;
    private final boolean defaultIdentities;
    private final boolean agent;
    private final Optional<Path> sshConfig;
    private final Duration connectTimeout;
    private final Duration keepaliveInterval;
    private final int keepaliveCountMax;
    private final int maxChannels;
    private final Optional<String> defaultUser;
    private final Path home;

    private SshSettings(Builder b) {
        this.knownHosts = b.knownHosts;
        this.hostKeyPolicy = b.hostKeyPolicy;
        this.pins = Collections.unmodifiableMap(new LinkedHashMap<>(b.pins));
        this.identities = List.copyOf(b.identities);
        this.defaultIdentities = b.defaultIdentities;
        this.agent = b.agent;
        this.sshConfig = Optional.ofNullable(b.sshConfig);
        this.connectTimeout = b.connectTimeout;
        this.keepaliveInterval = b.keepaliveInterval;
        this.keepaliveCountMax = b.keepaliveCountMax;
        this.maxChannels = b.maxChannels;
        this.defaultUser = Optional.ofNullable(b.defaultUser);
        this.home = b.home;
    }

    /** The safe defaults described above, for the current user's home folder. */
    public static SshSettings defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.knownHosts = knownHosts;
        b.hostKeyPolicy = hostKeyPolicy;
        b.pins.putAll(pins);
        b.identities.addAll(identities);
        b.defaultIdentities = defaultIdentities;
        b.agent = agent;
        b.sshConfig = sshConfig.orElse(null);
        b.connectTimeout = connectTimeout;
        b.keepaliveInterval = keepaliveInterval;
        b.keepaliveCountMax = keepaliveCountMax;
        b.maxChannels = maxChannels;
        b.defaultUser = defaultUser.orElse(null);
        b.home = home;
        return b;
    }

    /** The known_hosts file read (and, with {@link HostKeyPolicy#ACCEPT_NEW}, appended to). */
    public Path knownHosts() {
        return knownHosts;
    }

    /** How host keys are verified. */
    public HostKeyPolicy hostKeyPolicy() {
        return hostKeyPolicy;
    }

    /**
     * The pinned fingerprints for {@link HostKeyPolicy#PINNED}, by host name as written in the host URI or
     * in a ProxyJump (a {@code ?fingerprint=} option of the host URI wins over this map).
     */
    public Map<String, String> pins() {
        return pins;
    }

    /** Key files tried first, in order. */
    public List<SshIdentity> identities() {
        return identities;
    }

    /**
     * Whether {@code ~/.ssh/id_ed25519}, {@code id_ecdsa} and {@code id_rsa} are tried when neither these
     * settings, ssh_config nor the host URI name a key file.
     */
    public boolean defaultIdentities() {
        return defaultIdentities;
    }

    /** Whether the ssh-agent at {@code $SSH_AUTH_SOCK} is asked for keys. */
    public boolean agent() {
        return agent;
    }

    /** The ssh_config file honoured, when any; a file that does not exist is ignored. */
    public Optional<Path> sshConfig() {
        return sshConfig;
    }

    /** The limit for reaching a host, completing the handshake and authenticating; per hop. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How often a silent connection is probed; zero means never. */
    public Duration keepaliveInterval() {
        return keepaliveInterval;
    }

    /** How many probes may go unanswered before the connection is given up. */
    public int keepaliveCountMax() {
        return keepaliveCountMax;
    }

    /** How many commands may run at once on one host (one SSH channel each). */
    public int maxChannels() {
        return maxChannels;
    }

    /** The user to log in as when neither the host URI nor ssh_config names one. */
    public Optional<String> defaultUser() {
        return defaultUser;
    }

    /** The home folder that {@code ~} stands for in ssh_config and in the default paths. */
    public Path home() {
        return home;
    }

    @Override
    public String toString() {
        return "SshSettings[knownHosts=" + knownHosts + ", policy=" + hostKeyPolicy + ", pins=" + pins.keySet()
                + ", identities=" + identities + ", defaultIdentities=" + defaultIdentities + ", agent=" + agent
                + ", sshConfig=" + sshConfig.map(Path::toString).orElse("none") + ", connectTimeout="
                + connectTimeout + ", keepalive=" + keepaliveInterval + "x" + keepaliveCountMax + ", maxChannels="
                + maxChannels + ", defaultUser=" + defaultUser.orElse("-") + "]";
    }

    /** Builds {@link SshSettings}; starts from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private Path home = Path.of(System.getProperty("user.home", "/root"));
        private Path knownHosts;
        private HostKeyPolicy hostKeyPolicy = HostKeyPolicy.STRICT;
        private final Map<String, String> pins = new LinkedHashMap<>();
        private final List<SshIdentity> identities = new ArrayList<>();
        private boolean defaultIdentities = true;
        private boolean agent = true;
        private Path sshConfig;
        private boolean sshConfigSet;
        private Duration connectTimeout = Duration.ofSeconds(20);
        private Duration keepaliveInterval = Duration.ofSeconds(15);
        private int keepaliveCountMax = 4;
        private int maxChannels = DEFAULT_MAX_CHANNELS;
        private String defaultUser = System.getProperty("user.name");

        private Builder() {
        }

        /**
         * The home folder for {@code ~} and the default paths ({@code ~/.ssh/known_hosts}, {@code ~/.ssh/config},
         * {@code ~/.ssh/id_*}); the {@code user.home} system property by default.
         */
        public Builder home(Path folder) {
            this.home = Objects.requireNonNull(folder, "home");
            return this;
        }

        /** See {@link SshSettings#knownHosts()}; {@code ~/.ssh/known_hosts} by default. */
        public Builder knownHosts(Path file) {
            this.knownHosts = Objects.requireNonNull(file, "known_hosts file");
            return this;
        }

        /** See {@link SshSettings#hostKeyPolicy()}; {@link HostKeyPolicy#STRICT} by default. */
        public Builder hostKeyPolicy(HostKeyPolicy policy) {
            this.hostKeyPolicy = Objects.requireNonNull(policy, "host key policy");
            return this;
        }

        /**
         * Pins a host's key by its SHA256 fingerprint, as {@code ssh-keygen -lf} prints it.
         *
         * @throws IllegalArgumentException when the fingerprint is not {@code SHA256:} and 43 base64 characters
         */
        public Builder pin(String host, String sha256Fingerprint) {
            Objects.requireNonNull(host, "host");
            pins.put(host, checkFingerprint(sha256Fingerprint));
            return this;
        }

        /** Adds a key file, tried after those added before. */
        public Builder addIdentity(SshIdentity identity) {
            identities.add(Objects.requireNonNull(identity, "identity"));
            return this;
        }

        /** See {@link SshSettings#defaultIdentities()}; on by default. */
        public Builder defaultIdentities(boolean use) {
            this.defaultIdentities = use;
            return this;
        }

        /** See {@link SshSettings#agent()}; on by default. */
        public Builder agent(boolean use) {
            this.agent = use;
            return this;
        }

        /** The ssh_config file to honour, or {@code null} for none; {@code ~/.ssh/config} by default. */
        public Builder sshConfig(Path file) {
            this.sshConfig = file;
            this.sshConfigSet = true;
            return this;
        }

        /** See {@link SshSettings#connectTimeout()}; 20 seconds by default. */
        public Builder connectTimeout(Duration limit) {
            Objects.requireNonNull(limit, "connect timeout");
            if (limit.isZero() || limit.isNegative() || limit.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connect timeout must be positive and under 24 days, not " + limit);
            }
            this.connectTimeout = limit;
            return this;
        }

        /** See {@link SshSettings#keepaliveInterval()}; 15 seconds and 4 by default. */
        public Builder keepalive(Duration interval, int countMax) {
            Objects.requireNonNull(interval, "keepalive interval");
            if (interval.isNegative() || interval.toMillis() > Integer.MAX_VALUE
                    || (!interval.isZero() && interval.toMillis() == 0)) {
                throw new IllegalArgumentException("keepalive interval must be zero (off) or at least 1 ms, not "
                        + interval);
            }
            if (countMax < 1) {
                throw new IllegalArgumentException("keepalive count must be at least 1, not " + countMax);
            }
            this.keepaliveInterval = interval;
            this.keepaliveCountMax = countMax;
            return this;
        }

        /**
         * See {@link SshSettings#maxChannels()}; 8 by default. Keep it 2 below the server's MaxSessions (cancel
         * opens up to 2 channels of its own).
         */
        public Builder maxChannels(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max channels must be at least 1, not " + max);
            }
            this.maxChannels = max;
            return this;
        }

        /** See {@link SshSettings#defaultUser()}; the {@code user.name} system property by default. */
        public Builder defaultUser(String user) {
            if (user != null && user.isBlank()) {
                throw new IllegalArgumentException("default user must not be blank");
            }
            this.defaultUser = user;
            return this;
        }

        /** Builds the settings, filling in the default paths under {@link #home(Path)}. */
        public SshSettings build() {
            if (knownHosts == null) {
                knownHosts = home.resolve(".ssh").resolve("known_hosts");
            }
            if (!sshConfigSet) {
                sshConfig = home.resolve(".ssh").resolve("config");
            }
            return new SshSettings(this);
        }
    }

    static String checkFingerprint(String fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (!FINGERPRINT.matcher(fingerprint).matches()) {
            throw new IllegalArgumentException("fingerprint must look like ssh-keygen -lf prints it: SHA256: and 43"
                    + " base64 characters without padding, not '" + fingerprint + "'");
        }
        return fingerprint;
    }
}
