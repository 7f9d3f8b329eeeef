package io.crossgen.pipeline;

import io.crossgen.command.Command;
import io.crossgen.command.Shell;
import io.crossgen.command.Stdin;
import io.crossgen.transport.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The dry run of a pipeline: every command each step (and each cleanup) would run, per host, in order,
 * with the notes and warnings of the steps; nothing has touched a host.
 *
 * <p>A plan comes from {@link PipelineRunner#plan}, which runs every step with a context in planning mode (see
 * {@link StepContext#planning()}), so the plan is made by the same code as the run: with every command
 * succeeding silently, a run executes exactly the commands of the plan. Cleanups appear after the steps, in
 * the order they would run (last deferred first).
 *
 * <p>{@link #toScript()} prints it as an annotated shell script a person can read, or run by hand step by step
 * (each command on a remote host as an {@code ssh} line, quoted once by {@link Shell}); {@link #toJson()} as
 * JSON for tools.
 *
 * <pre>{@code
 * Plan plan = runner.plan(pipeline);
 * plan.print(System.out);
 * plan.commands(Host.parse("ssh://root@node01"));   // what node01 would run, in order
 * }</pre>
 *
 * <p>Pitfall: a command's stdin given as bytes is shown in the script as a here-document when it is UTF-8 text;
 * do not plan pipelines that feed secrets through stdin into a script you share.
 */
public final class Plan {
    /** One thing in a section of the plan: a command to run, or a note. */
    public sealed interface Entry permits Invocation, Note {
    }

    /**
     * A command to run on the host that plays a role.
     *
     * @param role the role
     * @param host the host that plays it
     * @param command the command
     */
    public record Invocation(Role role, Host host, Command command) implements Entry {
        public Invocation {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(command, "command");
        }
    }

    /**
     * A comment: what a step noted ({@link StepContext#note}), warned about, or why it does not run.
     *
     * @param text the comment
     * @param warning whether the step warned
     */
    public record Note(String text, boolean warning) implements Entry {
        public Note {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The entries of one step, or of one cleanup.
     *
     * @param step the step (for a cleanup: the step that deferred it)
     * @param number the step's position from 1, or the cleanup's position among the cleanups
     * @param of how many steps, or how many cleanups
     * @param cleanup the cleanup's description, for a cleanup
     * @param entries the commands and notes in order
     * @param intent the step's {@link Step#intent()} (empty for a cleanup, or when the step has none)
     * @param needs the nearest steps that must be done before this one starts ({@link Pipeline#needs}); empty for
     *     a cleanup
     */
    public record Section(String step, int number, int of, Optional<String> cleanup, List<Entry> entries,
                          String intent, List<String> needs) {
        public Section {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(cleanup, "cleanup");
            Objects.requireNonNull(intent, "intent");
            entries = List.copyOf(entries);
            needs = List.copyOf(needs);
        }

        /** A section that needs no other. */
        public Section(String step, int number, int of, Optional<String> cleanup, List<Entry> entries,
                       String intent) {
            this(step, number, of, cleanup, entries, intent, List.of());
        }

        /** A section without an intent, that needs no other. */
        public Section(String step, int number, int of, Optional<String> cleanup, List<Entry> entries) {
            this(step, number, of, cleanup, entries, "");
        }

        /** The commands of this section. */
        public List<Invocation> invocations() {
            return entries.stream().filter(Invocation.class::isInstance).map(Invocation.class::cast)
                    .collect(Collectors.toUnmodifiableList());
        }

        /** How many commands this section starts on hosts: one round trip each. */
        public int roundTrips() {
            return invocations().size();
        }

        /** How many xCAT client commands this section runs ({@link Command#xcatCalls()} of its commands). */
        public int xcatCalls() {
            return invocations().stream().mapToInt(i -> i.command().xcatCalls()).sum();
        }
    }

    private final String pipeline;
    private final Map<Role, Host> hosts;
    private final List<Section> sections;

    /** A plan; made by {@link PipelineRunner#plan}, public for tests. */
    public Plan(String pipeline, Map<Role, Host> hosts, List<Section> sections) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        this.sections = List.copyOf(sections);
    }

    /** The pipeline's name. */
    public String pipeline() {
        return pipeline;
    }

    /** The hosts by role, as configured in the runner. */
    public Map<Role, Host> hosts() {
        return hosts;
    }

    /** The steps' sections in order, then the cleanups' sections in the order they would run. */
    public List<Section> sections() {
        return sections;
    }

    /**
     * The steps in groups that may run at the same time, in the order the groups start: a step is in the group
     * after the last group of the steps it {@link Section#needs() needs}, so no step of a group needs another of
     * it. A real run starts each step as soon as its own needs are done, so a step may also start while the
     * group before is still running; with {@link PipelineRunner.Builder#parallelism} 1 every group runs one
     * step after another.
     */
    public List<List<String>> together() {
        Map<String, Integer> level = new LinkedHashMap<>();
        List<List<String>> groups = new ArrayList<>();
        for (Section s : sections) {
            if (s.cleanup().isPresent()) {
                continue;
            }
            int k = s.needs().stream().filter(level::containsKey).mapToInt(n -> level.get(n) + 1).max().orElse(0);
            level.put(s.step(), k);
            while (groups.size() <= k) {
                groups.add(new ArrayList<>());
            }
            groups.get(k).add(s.step());
        }
        return groups.stream().map(List::copyOf).toList();
    }

    /** Every command, in order. */
    public List<Invocation> invocations() {
        return sections.stream().flatMap(s -> s.invocations().stream()).collect(Collectors.toUnmodifiableList());
    }

    /** The commands {@code host} would run, in order. */
    public List<Command> commands(Host host) {
        return invocations().stream().filter(i -> i.host().equals(host)).map(Invocation::command)
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * Writes {@link #toSummary()} to {@code out}.
     *
     * @throws UncheckedIOException when {@code out} fails
     */
    public void print(Appendable out) {
        try {
            out.append(toSummary());
            if (out instanceof java.io.Flushable f) {
                f.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not print the plan of " + pipeline, e);
        }
    }

    /**
     * The plan for a person: which steps run at once, per step its number, name, the numbers of the steps it
     * comes after, hosts and intent, the commands of xCAT's procedure
     * verbatim ({@link Command#procedure()}), and the step's notes (one line each); then the cleanups in the
     * order they would run. crossgen's own plumbing (helper scripts, manifests, probes) is left out; it is in
     * {@link #toScript()} and {@link #toJson()}.
     */
    public String toSummary() {
        return PlanText.summary(this);
    }

    /**
     * The plan as a POSIX shell script a person can read and run: a header, a function per host that runs a
     * command there over {@code ssh} ({@code on_mn lsdef ...}), each of crossgen's helper scripts defined once
     * at the top in a here-document and run by name ({@code on_mn sh -c "$crossgen_lock" crossgen-lock ARGS}),
     * then per section a comment naming the step and the hosts, its notes as comments, and its commands.
     */
    public String toScript() {
        return PlanText.script(this);
    }

    /**
     * The plan as JSON: pipeline, hosts by role, the steps that may run at once ({@code together}, see
     * {@link #together()}), and sections with their needs and commands (argv, folder, env, stdin).
     */
    public String toJson() {
        return JsonCodec.write(this);
    }

    /** {@code Plan[seed: 9 steps, 23 commands on 2 hosts]}. */
    @Override
    public String toString() {
        long used = invocations().stream().map(Invocation::host).distinct().count();
        return "Plan[" + pipeline + ": " + stepCount() + " steps, " + invocations().size() + " commands on " + used
                + (used == 1 ? " host]" : " hosts]");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Plan p && pipeline.equals(p.pipeline) && hosts.equals(p.hosts)
                && sections.equals(p.sections);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pipeline, hosts, sections);
    }

    long stepCount() {
        return sections.stream().filter(x -> x.cleanup().isEmpty()).count();
    }
}
