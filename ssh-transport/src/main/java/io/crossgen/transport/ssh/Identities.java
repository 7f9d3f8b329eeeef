package io.crossgen.transport.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.UnixDomainSocketFactory;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a provider offers, loaded once and shared by its connections.
 *
 * <p>Order per hop: the settings' identities, then key files named by ssh_config or the URI, then (only when
 * no file was named anywhere) {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}, then the
 * ssh-agent's keys. Explicit keys go first so that an agent holding many keys does not use up the server's
 * {@code MaxAuthTries} before the key meant for the host. A key file is decrypted once, the first time it is needed; the bytes derived from its
 * passphrase are zeroed at once. The agent is reached through {@code $SSH_AUTH_SOCK} with JSch's
 * {@code UnixDomainSocketFactory} (Java 16+ {@code UnixDomainSocketAddress}, no extra dependency).
 */
final class Identities {
    private static final Logger LOG = LoggerFactory.getLogger(Identities.class);
    private static final List<String> DEFAULT_FILES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    /** What a hop offers, and the description of what was tried for error messages. */
    record Selection(IdentityRepository repository, List<String> tried, List<String> skipped) {
    }

    private sealed interface Loaded permits Usable, Unusable {
    }

    private record Usable(Identity identity) implements Loaded {
    }

    private record Unusable(String why) implements Loaded {
    }

    private final SshSettings settings;
    private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();
    private final Optional<Path> agentSocket;

    Identities(SshSettings settings, Optional<String> authSock) {
        this.settings = settings;
        this.agentSocket = settings.agent() ? authSock.filter(s -> !s.isBlank()).map(Path::of) : Optional.empty();
    }

    Selection select(SshTarget hop) {
        Map<Path, Optional<char[]>> files = new LinkedHashMap<>();
        for (SshIdentity id : settings.identities()) {
            files.putIfAbsent(id.file(), id.passphrase());
        }
        for (Path p : hop.identityFiles()) {
            files.putIfAbsent(p, Optional.empty());
        }
        boolean useDefaults = files.isEmpty() && settings.defaultIdentities();
        List<Identity> identities = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<Path, Optional<char[]>> e : files.entrySet()) {
            offer(e.getKey(), e.getValue(), identities, tried, skipped);
        }
        AgentIdentityRepository agent = agent(tried, skipped);
        if (useDefaults) {
            for (String name : DEFAULT_FILES) {
                Path p = settings.home().resolve(".ssh").resolve(name);
                if (Files.exists(p)) {
                    offer(p, Optional.empty(), identities, tried, skipped);
                }
            }
        }
        return new Selection(new Combined(identities, agent), List.copyOf(tried), List.copyOf(skipped));
    }

    private void offer(Path file, Optional<char[]> passphrase, List<Identity> into, List<String> tried,
            List<String> skipped) {
        Loaded loaded = cache.computeIfAbsent(file, f -> load(f, passphrase));
        passphrase.ifPresent(p -> Arrays.fill(p, '\0'));
        if (loaded instanceof Usable u) {
            into.add(u.identity());
            tried.add(file.toString());
        } else {
            skipped.add(file + " (" + ((Unusable) loaded).why() + ")");
        }
    }

    private static Loaded load(Path file, Optional<char[]> passphrase) {
        if (!Files.isReadable(file)) {
            return new Unusable(Files.exists(file) ? "not readable" : "missing");
        }
        byte[] secret = passphrase.map(Identities::utf8).orElse(null);
        try {
            JSch loader = new JSch();
            loader.setInstanceLogger(JschLogger.INSTANCE);
            loader.addIdentity(file.toString(), secret);
            Vector<Identity> all = loader.getIdentityRepository().getIdentities();
            if (all.isEmpty()) {
                return new Unusable("not a private key");
            }
            Identity identity = all.get(0);
            if (identity.isEncrypted()) {
                return new Unusable("encrypted and no passphrase given");
            }
            return new Usable(identity);
        } catch (JSchException e) {
            LOG.debug("cannot load identity {}: {}", file, e.getMessage());
            return new Unusable(secret == null ? "unreadable: " + e.getMessage() : "wrong passphrase or unreadable");
        } finally {
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[bytes.remaining()];
        bytes.get(out);
        if (bytes.hasArray()) {
            Arrays.fill(bytes.array(), (byte) 0);
        }
        Arrays.fill(chars, '\0');
        return out;
    }

    private AgentIdentityRepository agent(List<String> tried, List<String> skipped) {
        if (agentSocket.isEmpty()) {
            return null;
        }
        try {
            AgentIdentityRepository repo = new AgentIdentityRepository(
                    new SSHAgentConnector(new UnixDomainSocketFactory(), agentSocket.get()));
            tried.add("ssh-agent at " + agentSocket.get());
            return repo;
        } catch (AgentProxyException e) {
            skipped.add("ssh-agent at " + agentSocket.get() + " (" + e.getMessage() + ")");
            return null;
        }
    }

    /** File keys first, then the agent's, as one repository for a JSch session. */
    private static final class Combined implements IdentityRepository {
        private final List<Identity> files;
        private final AgentIdentityRepository agent;

        Combined(List<Identity> files, AgentIdentityRepository agent) {
            this.files = List.copyOf(files);
            this.agent = agent;
        }

        @Override
        public String getName() {
            return "crossgen";
        }

        @Override
        public int getStatus() {
            return RUNNING;
        }

        @Override
        public Vector<Identity> getIdentities() {
            Vector<Identity> all = new Vector<>(files);
            if (agent != null) {
                try {
                    all.addAll(agent.getIdentities());
                } catch (RuntimeException e) {
                    LOG.debug("ssh-agent unavailable: {}", e.toString());
                }
            }
            return all;
        }

        @Override
        public boolean add(byte[] identity) {
            return false;
        }

        @Override
        public boolean remove(byte[] blob) {
            return false;
        }

        @Override
        public void removeAll() {
            // the shared keys stay loaded for the provider's other connections
        }
    }
}
