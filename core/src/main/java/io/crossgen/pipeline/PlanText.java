package io.crossgen.pipeline;

import io.crossgen.command.Command;
import io.crossgen.command.Shell;
import io.crossgen.command.Stdin;
import io.crossgen.transport.Host;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The two texts of a {@link Plan}: the summary a person reads, and the script a shell runs (every helper script
 * defined once at its top, run by name).
 */
final class PlanText {
    private static final String HEREDOC = "CROSSGEN_EOF";
    private static final int MAX_HEREDOC_BYTES = 64 * 1024;
    /** {@code sh -c 'cd "$1" && shift && exec "$@"' crossgen-in DIR ARGV...}: a command in a working folder. */
    private static final String IN_DIR = "cd \"$1\" && shift && exec \"$@\"";
    /** The {@code quote} function the host functions use (a resource, linted with the script it goes into). */
    private static final String QUOTE = resource("plan-quote.sh");

    private PlanText() {
    }

    private static String resource(String name) {
        try (java.io.InputStream in = PlanText.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the script " + name + " is missing from crossgen-core's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the script " + name + " from crossgen-core's jar", e);
        }
    }

    static String summary(Plan plan) {
        StringBuilder s = new StringBuilder();
        s.append("Plan of ").append(plan.pipeline()).append(": ").append(plan.stepCount()).append(" steps");
        if (!plan.hosts().isEmpty()) {
            s.append(" on ").append(plan.hosts().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        s.append(". Nothing has run.\n");
        s.append("Shown: xCAT's commands verbatim and each step's notes; --script prints every command as a"
                + " runnable script, --json for tools.\n");
        Map<String, Integer> numbers = new LinkedHashMap<>();
        plan.sections().stream().filter(x -> x.cleanup().isEmpty()).forEach(x -> numbers.put(x.step(), x.number()));
        List<String> atOnce = plan.together().stream().filter(g -> g.size() > 1)
                .map(g -> g.stream().map(n -> String.valueOf(numbers.get(n))).collect(Collectors.joining(", ")))
                .toList();
        if (!atOnce.isEmpty()) {
            s.append("Run at once: steps ").append(String.join("; then ", atOnce))
                    .append(" (each starts as soon as the steps it comes after are done).\n");
        }
        boolean cleanups = false;
        for (Plan.Section section : plan.sections()) {
            if (section.cleanup().isPresent()) {
                if (!cleanups) {
                    s.append("\nCleanups, in the order they run (whatever happens):\n");
                    cleanups = true;
                }
                s.append(String.format("%3d. ", section.number())).append(section.cleanup().get())
                        .append(" (").append(section.step()).append(where(section, ", ")).append(")\n");
                continue;
            }
            s.append(String.format("%n%2d. ", section.number())).append(section.step())
                    .append(atOnce.isEmpty() || section.needs().isEmpty() ? "" : section.needs().stream()
                            .map(n -> String.valueOf(numbers.get(n))).collect(Collectors.joining(", ", " (after ", ")")))
                    .append(where(section, " on ")).append(section.intent().isEmpty() ? "" : ": " + section.intent())
                    .append(counts(section)).append('\n');
            boolean hosts = section.invocations().stream().map(Plan.Invocation::host).distinct().count() > 1;
            for (Plan.Entry e : section.entries()) {
                if (e instanceof Plan.Note n) {
                    s.append(n.warning() ? "    warning: " : "    - ").append(n.text().replace("\n", " / "))
                            .append('\n');
                } else if (e instanceof Plan.Invocation i && i.command().procedure()) {
                    s.append("    ").append(hosts ? i.host().label() + " " : "").append("$ ")
                            .append(i.command().display().orElseGet(() -> Shell.render(i.command()))).append('\n');
                }
            }
        }
        return s.toString();
    }

    /** {@code " [5 round trips, 2 xCAT calls]"}, or nothing for a section that runs nothing. */
    private static String counts(Plan.Section section) {
        int trips = section.roundTrips();
        int xcat = section.xcatCalls();
        return trips == 0 ? "" : " [" + trips + (trips == 1 ? " round trip, " : " round trips, ") + xcat
                + (xcat == 1 ? " xCAT call]" : " xCAT calls]");
    }

    private static String where(Plan.Section section, String lead) {
        Set<String> used = new LinkedHashSet<>();
        for (Plan.Invocation i : section.invocations()) {
            used.add(i.role() + " " + i.host().label());
        }
        return used.isEmpty() ? "" : lead + String.join(", ", used);
    }

    static String script(Plan plan) {
        Map<String, String> helpers = new LinkedHashMap<>();
        Map<Role, Host> remote = new LinkedHashMap<>();
        StringBuilder body = new StringBuilder();
        boolean atOnce = plan.together().stream().anyMatch(g -> g.size() > 1);
        for (Plan.Section section : plan.sections()) {
            body.append('\n').append(header(section, atOnce)).append('\n');
            for (Plan.Entry e : section.entries()) {
                if (e instanceof Plan.Note n) {
                    for (String line : n.text().split("\n", -1)) {
                        body.append(n.warning() ? "# WARNING: " : "# ").append(line).append('\n');
                    }
                } else {
                    Plan.Invocation i = (Plan.Invocation) e;
                    if (!i.host().scheme().equals("local")) {
                        remote.putIfAbsent(i.role(), i.host());
                    }
                    appendInvocation(body, i, helpers);
                }
            }
        }
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# shellcheck disable=SC2016,SC2029 # quoted text is for the shell that runs it, remote or not\n");
        s.append("# Plan of pipeline '").append(plan.pipeline()).append("': ").append(plan.stepCount())
                .append(" steps, ").append(plan.invocations().size()).append(" commands. Nothing has run.\n");
        if (!plan.hosts().isEmpty()) {
            s.append("# Hosts: ").append(plan.hosts().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                    .collect(Collectors.joining(", "))).append('\n');
        }
        s.append("# Run the commands one by one and check each exit: a real run stops at the first failure.\n");
        List<String> together = plan.together().stream().filter(g -> g.size() > 1).map(g -> String.join(", ", g))
                .toList();
        if (atOnce) {
            s.append("# A real run runs these steps at once (each as soon as the steps it needs are done); this script"
                    + " runs them one after another: ").append(String.join("; ", together)).append('\n');
        }
        if (!remote.isEmpty()) {
            s.append('\n').append(QUOTE);
            for (Map.Entry<Role, Host> r : remote.entrySet()) {
                s.append("# ").append(function(r.getKey())).append(" ARG...: runs ARG... as one command on ")
                        .append(r.getKey()).append(' ').append(r.getValue().label()).append('\n');
                s.append(function(r.getKey())).append("() { ").append(sshPrefix(r.getValue()))
                        .append(" \"$(quote \"$@\")\"; }\n");
            }
        }
        if (!helpers.isEmpty()) {
            s.append("\n# crossgen's helper scripts, each defined once and run as: sh -c \"$helper\" NAME ARG...\n");
            helpers.forEach((text, variable) -> s.append(variable).append("=$(cat <<'").append(HEREDOC).append("'\n")
                    .append(text.endsWith("\n") ? text : text + "\n").append(HEREDOC).append("\n)\n"));
        }
        return s.append(body).toString();
    }

    private static String function(Role role) {
        return "on_" + role.name().replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** The comment above a section; with {@code needs} (some steps run at once), what the step needs. */
    private static String header(Plan.Section section, boolean needs) {
        String where = where(section, "");
        where = where.isEmpty() ? "" : " (" + where + ")";
        if (section.cleanup().isPresent()) {
            return "# cleanup " + section.number() + "/" + section.of() + ": " + section.cleanup().get()
                    + " (deferred by " + section.step() + ")" + where;
        }
        return "# step " + section.number() + "/" + section.of() + ": " + section.step() + where
                + (section.intent().isEmpty() ? "" : "\n# " + section.intent())
                + (!needs || section.needs().isEmpty() ? "" : "\n# needs: " + String.join(", ", section.needs()));
    }

    /**
     * The command as words of the script: each {@code sh -c TEXT NAME ARG...} with TEXT a helper defined once
     * ({@code "$name"}), a working folder through the {@code crossgen-in} helper, environment through
     * {@code env}; remote ones behind the host's function.
     */
    private static List<String> words(Plan.Invocation i, Map<String, String> helpers) {
        Command c = i.command();
        List<String> words = new ArrayList<>();
        if (!i.host().scheme().equals("local")) {
            words.add(function(i.role()));
        }
        c.workingDirectory().ifPresent(dir -> {
            words.addAll(List.of("sh", "-c", helper(IN_DIR, "crossgen-in", helpers), "crossgen-in", Shell.quote(dir)));
        });
        if (!c.environment().isEmpty()) {
            words.add("env");
            c.environment().forEach((k, v) -> words.add(Shell.quote(k + "=" + v)));
        }
        List<String> argv = c.argv();
        for (int k = 0; k < argv.size(); k++) {
            // the text of every `sh -c TEXT NAME`, also of one a script runs (together.sh), as a helper variable
            boolean script = k >= 2 && k + 1 < argv.size() && argv.get(k - 2).equals("sh")
                    && argv.get(k - 1).equals("-c");
            words.add(script ? helper(argv.get(k), argv.get(k + 1), helpers)
                    : words.isEmpty() ? Shell.join(List.of(argv.get(k))) : Shell.quote(argv.get(k)));
        }
        return words;
    }

    /** {@code "$variable"} of the helper with this text, defined on first use and named after {@code name}. */
    private static String helper(String text, String name, Map<String, String> helpers) {
        String variable = helpers.get(text);
        if (variable == null) {
            String base = name.replaceAll("[^A-Za-z0-9_]", "_");
            variable = base;
            for (int n = 2; helpers.containsValue(variable); n++) {
                variable = base + "_" + n;
            }
            helpers.put(text, variable);
        }
        return "\"$" + variable + "\"";
    }

    private static void appendInvocation(StringBuilder s, Plan.Invocation i, Map<String, String> helpers) {
        String shown = String.join(" ", words(i, helpers));
        Stdin in = i.command().stdin();
        if (in instanceof Stdin.None) {
            s.append(shown).append('\n');
        } else if (in instanceof Stdin.LocalFile f) {
            s.append(shown).append(" < ").append(Shell.quote(f.path().toString())).append('\n');
        } else if (in instanceof Stdin.Bytes b) {
            byte[] content = b.content();
            Optional<String> text = heredocText(content);
            if (text.isPresent()) {
                if (!text.get().endsWith("\n")) {
                    s.append("# stdin: ").append(content.length)
                            .append(" bytes without a final newline (the here-document adds one)\n");
                }
                s.append(shown).append(" <<'").append(HEREDOC).append("'\n").append(text.get());
                if (!text.get().endsWith("\n")) {
                    s.append('\n');
                }
                s.append(HEREDOC).append('\n');
            } else {
                s.append("# stdin: ").append(content.length).append(" bytes of binary data, not shown\n");
                s.append(shown).append('\n');
            }
        } else {
            s.append("# stdin: a stream produced by crossgen, not shown\n").append(shown).append('\n');
        }
    }

    private static String sshPrefix(Host host) {
        StringBuilder ssh = new StringBuilder("ssh");
        host.port().ifPresent(p -> ssh.append(" -p ").append(p));
        ssh.append(' ').append(Shell.quote(host.user().map(u -> u + "@").orElse("") + host.hostname()));
        return ssh.toString();
    }

    private static Optional<String> heredocText(byte[] content) {
        if (content.length > MAX_HEREDOC_BYTES) {
            return Optional.empty();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        if (text.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        for (String line : text.split("\n", -1)) {
            if (line.equals(HEREDOC)) {
                return Optional.empty();
            }
        }
        return Optional.of(text);
    }
}
