package io.crossgen.build;

import io.crossgen.command.Command;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code #INCLUDE:file#} directives of xCAT package lists, resolved as the builder's genimage resolves them
 * ({@code imgutils.pm}, XCAT.md section 4): {@code $VAR} and {@code ${VAR}} substituted from the image's
 * {@code environvar}, and a relative path taken against the folder of the <em>top-level</em> list named in the
 * osimage (not of the nested list that holds the directive). Package-private: {@link CopyExternalFiles} uses it.
 */
final class PackageLists {
    private static final Pattern INCLUDE = Pattern.compile("^\\s*#INCLUDE:([^#]*)#");
    private static final Pattern VAR = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))");
    static final String MARK = "#crossgen-file ";
    static final String MISSING = "#crossgen-missing";

    /** Prints each file named as an argument after a marker line, or a missing-marker when it cannot be read. */
    static final String READ_SCRIPT = "for f in \"$@\"; do printf '\\n" + MARK + "%s\\n' \"$f\"; "
            + "if [ -f \"$f\" ] && [ -r \"$f\" ]; then cat -- \"$f\"; else echo '" + MISSING + "'; fi; done";

    private PackageLists() {
    }

    /** The command that prints the given files, one marker line before each. */
    static Command readCommand(List<String> files) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", READ_SCRIPT, "crossgen-read"));
        argv.addAll(files);
        return Command.of(argv);
    }

    /** The files of {@link #READ_SCRIPT}'s output, by path; a missing file maps to empty. */
    static Map<String, Optional<String>> parseRead(String text) {
        Map<String, Optional<String>> files = new LinkedHashMap<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        boolean missing = false;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith(MARK)) {
                if (current != null) {
                    files.put(current, missing ? Optional.empty() : Optional.of(trimLastBreak(body)));
                }
                current = line.substring(MARK.length());
                body.setLength(0);
                missing = false;
            } else if (current != null) {
                if (line.equals(MISSING) && body.length() == 0) {
                    missing = true;
                } else {
                    body.append(line).append('\n');
                }
            }
        }
        if (current != null) {
            files.put(current, missing ? Optional.empty() : Optional.of(trimLastBreak(body)));
        }
        return files;
    }

    private static String trimLastBreak(StringBuilder body) {
        // The marker of the next file starts with a line break of its own.
        String s = body.toString();
        return s.endsWith("\n\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** The raw targets of the {@code #INCLUDE:...#} lines of a list, in order. */
    static List<String> includes(String content) {
        List<String> found = new ArrayList<>();
        for (String line : content.split("\n")) {
            Matcher m = INCLUDE.matcher(line);
            if (m.find()) {
                String target = m.group(1).strip();
                if (!target.isEmpty()) {
                    found.add(target);
                }
            }
        }
        return found;
    }

    /** {@code K=V,K=V} of {@code environvar} as a map (later keys win). */
    static Map<String, String> environment(Optional<String> environvar) {
        Map<String, String> env = new LinkedHashMap<>();
        environvar.ifPresent(v -> {
            for (String pair : v.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    env.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
            }
        });
        return env;
    }

    /**
     * An include target with its variables substituted and made absolute against {@code topDir}.
     *
     * @param unknown receives the names of variables with no value (left as written)
     */
    static String resolve(String target, String topDir, Map<String, String> env, Set<String> unknown) {
        Matcher m = VAR.matcher(target);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = env.get(name);
            if (value == null) {
                unknown.add(name);
                value = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String path = out.toString();
        if (!path.startsWith("/")) {
            path = (topDir.endsWith("/") ? topDir : topDir + "/") + path;
        }
        return normalize(path);
    }

    /** Removes {@code .} and {@code ..} segments and doubled slashes of an absolute path. */
    static String normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** The folder of a path: {@code /a/b/c.pkglist} gives {@code /a/b}. */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** The distinct values of {@code list}, order kept. */
    static List<String> distinct(List<String> list) {
        return List.copyOf(new LinkedHashSet<>(list));
    }
}
