package io.crossgen.transport;

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
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?");

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

    /**
     * Checks a name by which one host reaches another (the management node's name on a builder, say): a host
     * name, an IPv4 address, or an IPv6 address, bare or in brackets.
     *
     * @return {@code name}
     * @throws IllegalArgumentException naming it when it is none of those
     */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "host name");
        boolean bracketed = name.startsWith("[") && name.endsWith("]");
        String bare = bracketed ? name.substring(1, name.length() - 1) : name;
        boolean address = bracketed || bare.contains(":") ? bare.contains(":") && IPV6.matcher(bare).matches()
                : HOSTNAME.matcher(bare).matches();
        if (!address) {
            throw new IllegalArgumentException("'" + name + "' is not a host name or address");
        }
        return name;
    }

    /** This machine: {@code local:}. */
    public static Host local() {
        return parse("local:");
    }

    /**
     * Parses a host URI.
     *
     * <p>Accepted forms: {@code local:} (also {@code local:name} and {@code local:?sudo=true}),
     * {@code scheme://[user@]host[:port][?option=value&...]} with {@code host} a name, an IPv4 address or an
     * IPv6 address in brackets ({@code ssh://[::1]:2222}); {@link #hostname()} then holds the address without
     * brackets. Surrounding white space is ignored.
     *
     * @throws IllegalArgumentException naming the URI (any password replaced by {@code ***}) and what is wrong
     *     with it: no scheme, no host name, a password, a bad port, a path, a malformed or repeated option, a
     *     {@code sudo} option that is not {@code true} or {@code false}
     */
    public static Host parse(String text) {
        Objects.requireNonNull(text, "host URI");
        String trimmed = text.strip();
        int colon = trimmed.indexOf(':');
        if (colon <= 0) {
            throw invalid(text, "no scheme; write local: or ssh://[user@]host[:port]");
        }
        String scheme = trimmed.substring(0, colon);
        if (!SCHEME.matcher(scheme).matches()) {
            if (SCHEME.matcher(scheme.toLowerCase(java.util.Locale.ROOT)).matches()) {
                throw invalid(text, "the scheme must be lower case (" + scheme + ")");
            }
            throw invalid(text, "no scheme; write local: or ssh://[user@]host[:port]");
        }
        String rest = trimmed.substring(colon + 1);
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            throw invalid(text, "a host URI has no fragment");
        }
        int q = rest.indexOf('?');
        String query = q < 0 ? null : rest.substring(q + 1);
        String body = q < 0 ? rest : rest.substring(0, q);
        if (!body.startsWith("//")) {
            // Opaque form: local: or local:name.
            if (body.startsWith("/")) {
                throw invalid(text, "write " + scheme + "://host, with two slashes");
            }
            if (body.isEmpty() && !scheme.equals("local")) {
                throw invalid(text, "no host name; write " + scheme + "://[user@]host[:port]");
            }
            Map<String, String> options = query == null ? Map.of() : parseOptions(text, query);
            return new Host(scheme, Optional.empty(), body.isEmpty() ? "localhost" : decode(text, body),
                    OptionalInt.empty(), options);
        }
        String authority = body.substring(2);
        int slash = authority.indexOf('/');
        if (slash >= 0) {
            String path = authority.substring(slash);
            authority = authority.substring(0, slash);
            if (!path.equals("/")) {
                throw invalid(text, "a host URI has no path (" + path + ")");
            }
        }
        Optional<String> user = Optional.empty();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            if (userInfo.contains(":")) {
                throw invalid(text, "a password does not belong in a host URI; use a key or an agent");
            }
            if (userInfo.isEmpty()) {
                throw invalid(text, "an empty user name before '@'");
            }
            user = Optional.of(decode(text, userInfo));
            authority = authority.substring(at + 1);
        }
        String hostname;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw invalid(text, "an IPv6 address without its closing ']'");
            }
            hostname = authority.substring(1, close);
            if (!IPV6.matcher(hostname).matches()) {
                throw invalid(text, "'" + hostname + "' is not an IPv6 address");
            }
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(text, "unexpected '" + after + "' after the IPv6 address");
                }
                portText = after.substring(1);
            }
        } else {
            int c = authority.lastIndexOf(':');
            hostname = c < 0 ? authority : authority.substring(0, c);
            portText = c < 0 ? null : authority.substring(c + 1);
            if (hostname.isEmpty()) {
                throw invalid(text, "no host name");
            }
            if (!HOSTNAME.matcher(hostname).matches()) {
                throw invalid(text, "'" + hostname + "' is not a host name or address");
            }
        }
        OptionalInt port = OptionalInt.empty();
        if (portText != null) {
            if (portText.isEmpty()) {
                throw invalid(text, "an empty port after ':'");
            }
            if (!portText.matches("[0-9]{1,5}")) {
                throw invalid(text, "port '" + portText + "' is not a number");
            }
            int p = Integer.parseInt(portText);
            if (p < 1 || p > 65535) {
                throw invalid(text, "port " + p + " is outside 1..65535");
            }
            port = OptionalInt.of(p);
        }
        Map<String, String> options = query == null ? Map.of() : parseOptions(text, query);
        return new Host(scheme, user, hostname, port, options);
    }

    private static Map<String, String> parseOptions(String text, String query) {
        Map<String, String> options = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return options;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(text, eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "true" : decode(text, pair.substring(eq + 1));
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

    private static String decode(String text, String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(text, "bad %-escape in '" + s + "'");
        }
    }

    /** Replaces a password in {@code user:password@} by {@code ***}, so no message ever shows it. */
    private static String redact(String text) {
        return text.replaceAll("(//[^:/@\\[]*):[^@/]*@", "$1:***@");
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid host URI '" + redact(text) + "': " + why);
    }

    /** The URI scheme, which names the transport: {@code local}, {@code ssh}, ... */
    public String scheme() {
        return scheme;
    }

    /** The user to log in as, when the URI names one. */
    public Optional<String> user() {
        return user;
    }

    /** The host name or address (an IPv6 address without brackets); {@code localhost} for {@code local:}. */
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
        String name = hostname.indexOf(':') >= 0 ? "[" + hostname + "]" : hostname;
        return user.map(u -> u + "@").orElse("") + name + (port.isPresent() ? ":" + port.getAsInt() : "");
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
            s.append("//").append(user.map(u -> encode(u) + "@").orElse(""));
            s.append(hostname.indexOf(':') >= 0 ? "[" + hostname + "]" : hostname);
            port.ifPresent(p -> s.append(':').append(p));
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
