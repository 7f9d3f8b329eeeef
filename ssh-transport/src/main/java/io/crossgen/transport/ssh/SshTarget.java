package io.crossgen.transport.ssh;

import io.crossgen.transport.Host;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One hop to connect to, fully resolved from a host URI (or a ProxyJump entry), the settings and ssh_config.
 *
 * @param alias the name as written (URI host or ProxyJump entry); what ssh_config {@code Host} matched
 * @param hostname where to connect ({@code HostName} applied)
 * @param port the TCP port
 * @param user the login user
 * @param identityFiles key files named by ssh_config or the URI, in order
 * @param jumps the hops to go through first, outermost first
 * @param knownHostsName the name looked up in known_hosts: {@code HostKeyAlias}, else {@code host} or
 *     {@code [host]:port}
 * @param knownHosts the known_hosts file
 * @param pin the pinned fingerprint, when any
 */
record SshTarget(String alias, String hostname, int port, String user, List<Path> identityFiles,
        List<SshTarget> jumps, String knownHostsName, Path knownHosts, Optional<String> pin) {

    private static final int MAX_JUMPS = 8;

    SshTarget {
        identityFiles = List.copyOf(identityFiles);
        jumps = List.copyOf(jumps);
    }

    /** {@code user@host:port} of this hop. */
    String label() {
        return user + "@" + hostname + ":" + port;
    }

    /**
     * Resolves a host URI. The URI wins over ssh_config, ssh_config over the settings' defaults.
     *
     * @throws IllegalArgumentException when a ProxyJump entry is malformed, or no user can be found
     */
    static SshTarget resolve(Host host, SshSettings settings, SshConfigFile config) {
        Map<String, String> o = host.options();
        Optional<String> jump = Optional.ofNullable(o.get("jump"));
        List<Path> extra = new ArrayList<>();
        Optional.ofNullable(o.get("identity")).ifPresent(v -> {
            for (String f : v.split(",")) {
                extra.add(expand(f, settings, host.hostname(), "", ""));
            }
        });
        Path knownHosts = Optional.ofNullable(o.get("knownHosts")).map(Path::of).orElse(settings.knownHosts());
        Optional<String> pin = Optional.ofNullable(o.get("fingerprint")).map(SshSettings::checkFingerprint);
        return resolve(host.hostname(), host.user(), host.port(), jump, extra, knownHosts, pin, settings, config, 0);
    }

    private static SshTarget resolve(String alias, Optional<String> user, OptionalInt port, Optional<String> jump,
            List<Path> extraIdentities, Path knownHosts, Optional<String> pin, SshSettings settings,
            SshConfigFile config, int depth) {
        if (depth > MAX_JUMPS) {
            throw new IllegalArgumentException("ProxyJump chain to " + alias + " is longer than " + MAX_JUMPS
                    + " hops (a loop in ssh_config?)");
        }
        Map<String, List<String>> c = config.lookup(alias);
        String hostname = first(c, "hostname").map(h -> h.replace("%h", alias).replace("%%", "%")).orElse(alias);
        int p = port.isPresent() ? port.getAsInt() : first(c, "port").map(v -> parsePort(v, alias)).orElse(22);
        String u = user.or(() -> first(c, "user")).or(settings::defaultUser).orElseThrow(() ->
                new IllegalArgumentException("no user to log in to " + alias + " as: name one in the URI"
                        + " (ssh://user@host), in ssh_config or in SshSettings.defaultUser"));
        List<Path> identities = new ArrayList<>(extraIdentities);
        for (String f : c.getOrDefault("identityfile", List.of())) {
            Path path = expand(f, settings, hostname, u, Integer.toString(p));
            if (!identities.contains(path)) {
                identities.add(path);
            }
        }
        List<SshTarget> jumps = new ArrayList<>();
        String jumpSpec = jump.or(() -> first(c, "proxyjump")).orElse("none");
        if (!jumpSpec.equalsIgnoreCase("none")) {
            for (String spec : jumpSpec.split(",")) {
                SshTarget hop = parseJump(spec.strip(), settings, config, depth);
                jumps.addAll(hop.jumps());
                jumps.add(hop.withoutJumps());
            }
        }
        String knownName = first(c, "hostkeyalias").orElse(KnownHostsFile.hostName(hostname, p));
        Optional<String> pinned = pin.or(() -> Optional.ofNullable(settings.pins().get(alias)))
                .or(() -> Optional.ofNullable(settings.pins().get(hostname)));
        return new SshTarget(alias, hostname, p, u, identities, jumps, knownName, knownHosts, pinned);
    }

    private static SshTarget parseJump(String spec, SshSettings settings, SshConfigFile config, int depth) {
        String s = spec.startsWith("ssh://") ? spec.substring(6) : spec;
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty ProxyJump entry in '" + spec + "'");
        }
        Optional<String> user = Optional.empty();
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            user = Optional.of(s.substring(0, at));
            s = s.substring(at + 1);
        }
        OptionalInt port = OptionalInt.empty();
        String name = s;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("ProxyJump entry '" + spec + "' has an unclosed '['");
            }
            name = s.substring(1, close);
            if (s.length() > close + 1) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("ProxyJump entry '" + spec + "' is malformed");
                }
                port = OptionalInt.of(parsePort(s.substring(close + 2), spec));
            }
        } else if (s.indexOf(':') >= 0) {
            name = s.substring(0, s.indexOf(':'));
            port = OptionalInt.of(parsePort(s.substring(s.indexOf(':') + 1), spec));
        }
        return resolve(name, user, port, Optional.empty(), List.of(), settings.knownHosts(), Optional.empty(),
                settings, config, depth + 1);
    }

    private SshTarget withoutJumps() {
        return new SshTarget(alias, hostname, port, user, identityFiles, List.of(), knownHostsName, knownHosts, pin);
    }

    private static Optional<String> first(Map<String, List<String>> c, String key) {
        List<String> values = c.get(key);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static int parsePort(String value, String where) {
        try {
            int p = Integer.parseInt(value.strip());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("port '" + value + "' of " + where + " is not a number in 1..65535");
    }

    /** Expands {@code ~}, {@code %d}, {@code %h}, {@code %u}, {@code %r}, {@code %p} and {@code %%}. */
    static Path expand(String file, SshSettings settings, String host, String user, String port) {
        String home = settings.home().toString();
        String f = file.strip();
        if (f.equals("~")) {
            f = home;
        } else if (f.startsWith("~/")) {
            f = home + f.substring(1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < f.length(); i++) {
            char ch = f.charAt(i);
            if (ch == '%' && i + 1 < f.length()) {
                char t = f.charAt(++i);
                switch (t) {
                    case 'd': out.append(home); break;
                    case 'h': out.append(host); break;
                    case 'u': out.append(System.getProperty("user.name", "")); break;
                    case 'r': out.append(user); break;
                    case 'p': out.append(port); break;
                    case '%': out.append('%'); break;
                    default: out.append('%').append(t);
                }
            } else {
                out.append(ch);
            }
        }
        return Path.of(out.toString()).toAbsolutePath().normalize();
    }
}
