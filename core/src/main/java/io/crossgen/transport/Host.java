package io.crossgen.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A host that commands run on, named by a URI whose scheme picks the transport.
 *
 * <ul>
 *   <li>{@code local:} — this machine, through local processes;</li>
 *   <li>{@code ssh://[user@]host[:port]} — a remote host over SSH;</li>
 *   <li>any other scheme for which a {@link TransportProvider} is registered.</li>
 * </ul>
 *
 * <p>Query parameters carry per-host options for the transport, e.g. {@code ssh://admin@node01?sudo=true}
 * runs every command through {@code sudo -n}. Passwords are refused in the URI (they would end up in logs);
 * use keys or an agent.
 *
 * <pre>{@code
 * Host mn = Host.parse("local:");
 * Host builder = Host.parse("ssh://root@p9node01:2222");
 * builder.hostname();   // "p9node01"
 * }</pre>
 */
public final class Host {
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");
    private static final Pattern OPTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    private final String scheme;
    private final Optional<String> user;
    private final String hostname;
    private final OptionalInt port;
    private final Map<String, String> options;

    private Host(String scheme, Optional<String> user, String hostname, OptionalInt port, Map<String, String> options) {
        this.scheme = scheme;
        this.user = user;
        this.hostname = hostname;
        this.port = port;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** This machine: {@code local:}. */
    public static Host local() {
        return parse("local:");
    }

    /**
     * Parses a host URI.
     *
     * @throws IllegalArgumentException naming the URI and what is wrong with it: no scheme, no host name for
     *     a hierarchical scheme, a password, a port out of range, a malformed or repeated option, a
     *     {@code sudo} option that is not {@code true} or {@code false}
     */
    public static Host parse(String text) {
        Objects.requireNonNull(text, "host URI");
        String trimmed = text.strip();
        if (trimmed.endsWith(":") && SCHEME.matcher(trimmed.substring(0, trimmed.length() - 1)).matches()) {
            return new Host(trimmed.substring(0, trimmed.length() - 1), Optional.empty(), "localhost",
                    OptionalInt.empty(), Map.of());
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw invalid(text, e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw invalid(text, "no scheme; write local: or ssh://[user@]host[:port]");
        }
        if (!SCHEME.matcher(scheme).matches()) {
            throw invalid(text, "the scheme must be lower case (" + scheme + ")");
        }
        if (uri.isOpaque()) {
            // local: or local:name — no authority. Options may follow a '?'.
            String ssp = uri.getRawSchemeSpecificPart();
            int q = ssp.indexOf('?');
            String name = q < 0 ? ssp : ssp.substring(0, q);
            Map<String, String> options = q < 0 ? Map.of() : parseOptions(text, ssp.substring(q + 1));
            return new Host(scheme, Optional.empty(), name.isEmpty() ? "localhost" : decode(name),
                    OptionalInt.empty(), options);
        }
        if (uri.getHost() == null) {
            throw invalid(text, "no host name");
        }
        String userInfo = uri.getUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            throw invalid(redact(text), "a password does not belong in a host URI; use a key or an agent");
        }
        if (userInfo != null && userInfo.isEmpty()) {
            throw invalid(text, "an empty user name before '@'");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw invalid(text, "a host URI has no path (" + uri.getRawPath() + ")");
        }
        if (uri.getRawFragment() != null) {
            throw invalid(text, "a host URI has no fragment");
        }
        OptionalInt port = OptionalInt.empty();
        if (uri.getPort() != -1) {
            if (uri.getPort() < 1 || uri.getPort() > 65535) {
                throw invalid(text, "port " + uri.getPort() + " is outside 1..65535");
            }
            port = OptionalInt.of(uri.getPort());
        } else if (uri.getRawAuthority().endsWith(":")) {
            throw invalid(text, "an empty port after ':'");
        }
        Map<String, String> options = uri.getRawQuery() == null ? Map.of() : parseOptions(text, uri.getRawQuery());
        return new Host(scheme, Optional.ofNullable(userInfo), uri.getHost(), port, options);
    }

    private static Map<String, String> parseOptions(String text, String query) {
        Map<String, String> options = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return options;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "true" : decode(pair.substring(eq + 1));
            if (!OPTION_NAME.matcher(name).matches()) {
                throw invalid(text, "option name '" + name + "' is not a word");
            }
            if (options.put(name, value) != null) {
                throw invalid(text, "option '" + name + "' is given twice");
            }
        }
        String sudo = options.get("sudo");
        if (sudo != null && !sudo.equals("true") && !sudo.equals("false")) {
            throw invalid(text, "option sudo must be true or false, not '" + sudo + "'");
        }
        return options;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String text) {
        return text.replaceAll("(//[^:/@]*):[^@/]*@", "$1:***@");
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid host URI '" + text + "': " + why);
    }

    /** The URI scheme, which names the transport: {@code local}, {@code ssh}, ... */
    public String scheme() {
        return scheme;
    }

    /** The user to log in as, when the URI names one. */
    public Optional<String> user() {
        return user;
    }

    /** The host name or address; {@code localhost} for {@code local:}. */
    public String hostname() {
        return hostname;
    }

    /** The port, when the URI names one; transports pick their default otherwise. */
    public OptionalInt port() {
        return port;
    }

    /** The query parameters, in order, decoded. A parameter without a value reads {@code true}. */
    public Map<String, String> options() {
        return options;
    }

    /** One option's value. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** Whether commands on this host run through {@code sudo -n} ({@code ?sudo=true}). */
    public boolean sudo() {
        return "true".equals(options.get("sudo"));
    }

    /** A copy with one option set (replacing any of the same name). */
    public Host withOption(String name, String value) {
        if (!OPTION_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("option name '" + name + "' is not a word");
        }
        Map<String, String> copy = new LinkedHashMap<>(options);
        copy.put(name, value);
        return parse(new Host(scheme, user, hostname, port, copy).toString());
    }

    /** A short label for messages and logs: {@code root@node01:2222}, or {@code local} for this machine. */
    public String label() {
        if (scheme.equals("local")) {
            return hostname.equals("localhost") ? "local" : "local:" + hostname;
        }
        return user.map(u -> u + "@").orElse("") + hostname + (port.isPresent() ? ":" + port.getAsInt() : "");
    }

    /** The URI, which never holds a secret. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(scheme).append(':');
        if (scheme.equals("local")) {
            if (!hostname.equals("localhost")) {
                s.append(hostname);
            }
        } else {
            s.append("//").append(label());
        }
        if (!options.isEmpty()) {
            s.append('?');
            String sep = "";
            for (Map.Entry<String, String> e : options.entrySet()) {
                s.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
                sep = "&";
            }
        }
        return s.toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Host h && scheme.equals(h.scheme) && user.equals(h.user) && hostname.equals(h.hostname)
                && port.equals(h.port) && options.equals(h.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, user, hostname, port, options);
    }
}
