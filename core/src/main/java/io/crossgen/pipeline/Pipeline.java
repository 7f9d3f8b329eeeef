package io.crossgen.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A named, ordered, immutable list of {@link Step}s, and what each needs done before it starts
 * ({@link Step#needs()}, {@link #needs(String)}): the order of reports and resumes, while steps that need nothing
 * from each other may run at the same time.
 *
 * <p>Built with a {@link Builder}; {@link #toBuilder()} starts a variant, in which steps can be inserted
 * before or after a named step, replaced, removed, or skipped (kept in the pipeline, reported
 * {@link StepStatus#SKIPPED}, never run). Step names are unique: the builder refuses a second step of the same
 * name. A pipeline holds no run state, so one pipeline runs any number of times, also at once.
 *
 * <pre>{@code
 * Pipeline seed = Pipeline.builder("seed")
 *         .step(copyDefinition)
 *         .step(mountInstall)
 *         .step(generate)
 *         .build();
 * Pipeline noMount = seed.toBuilder().remove("mount-install").build();
 * Pipeline extra = seed.toBuilder().after("generate", Step.of("list-rootimg", c -> ...)).build();
 * seed;   // Pipeline[seed: copy-definition → mount-install → generate]
 * }</pre>
 */
public final class Pipeline {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** The note of a step a resumed run did not run again: {@code done in run <id>}. */
    static final String DONE_IN_RUN = "done in run ";

    private final String name;
    private final List<Step> steps;
    private final Set<String> skipped;
    private final StepGraph graph;

    private Pipeline(Builder b) {
        this.name = b.name;
        this.steps = List.copyOf(b.steps);
        this.skipped = Collections.unmodifiableSet(new LinkedHashSet<>(b.skipped));
        this.graph = new StepGraph(name, steps);
    }

    /**
     * An empty builder for a pipeline of the given name.
     *
     * @throws IllegalArgumentException when the name is blank or holds characters other than letters, digits,
     *     dot, dash and underscore
     */
    public static Builder builder(String name) {
        return new Builder(checkName(name, "pipeline name"));
    }

    /** A builder holding this pipeline's name, steps and skips, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.steps.addAll(steps);
        b.skipped.addAll(skipped);
        return b;
    }

    /** The name, used in reports, plans and logs. */
    public String name() {
        return name;
    }

    /** The steps in order, skipped ones included. */
    public List<Step> steps() {
        return steps;
    }

    /** The step of the given name. */
    public Optional<Step> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }

    /** The names of the steps in order. */
    public List<String> stepNames() {
        return steps.stream().map(Step::name).collect(Collectors.toUnmodifiableList());
    }

    /**
     * The nearest steps that must be done before the named step starts, in pipeline order: those it declares
     * ({@link Step#needs()}) that are in this pipeline, or, when it declares none, the steps before it; a step
     * that one of the others needs in turn is left out (it is done before them).
     *
     * @throws IllegalArgumentException when there is no such step
     */
    public List<String> needs(String stepName) {
        if (step(stepName).isEmpty()) {
            throw new IllegalArgumentException("pipeline '" + name + "' has no step named '" + stepName + "'");
        }
        return graph.needs(stepName);
    }

    StepGraph graph() {
        return graph;
    }

    /** Whether the step of that name is kept but not run. */
    public boolean isSkipped(String stepName) {
        return skipped.contains(stepName);
    }

    /**
     * Whether run {@code previous} finished the named step, so that a resume may start after it: the step is
     * {@link StepStatus#DONE} there, or {@link StepStatus#SKIPPED} because this pipeline skips it or because that
     * run resumed after it ({@code done in run <id>}).
     */
    public boolean doneIn(RunReport previous, String stepName) {
        return previous.step(stepName).filter(s -> s.status() == StepStatus.DONE || s.status() == StepStatus.SKIPPED
                && (isSkipped(stepName) || s.notes().stream().anyMatch(n -> n.startsWith(DONE_IN_RUN)))).isPresent();
    }

    /** {@code Pipeline[seed: copy-definition → (skipped) mount-install → generate]}. */
    @Override
    public String toString() {
        return "Pipeline[" + name + ": " + steps.stream()
                .map(s -> skipped.contains(s.name()) ? "(skipped) " + s.name() : s.name())
                .collect(Collectors.joining(" → ")) + "]";
    }

    private static String checkName(String text, String what) {
        Objects.requireNonNull(text, what);
        if (!NAME.matcher(text).matches()) {
            throw new IllegalArgumentException(what + " '" + text
                    + "' must be a word of letters, digits, '.', '-' or '_'");
        }
        return text;
    }

    /**
     * Assembles a {@link Pipeline}. Every method that names a step fails at once, naming the pipeline and its
     * steps, when there is no such step; adding a step whose name is taken fails likewise.
     */
    public static final class Builder {
        private final String name;
        private final List<Step> steps = new ArrayList<>();
        private final Set<String> skipped = new LinkedHashSet<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Appends a step.
         *
         * @throws IllegalArgumentException when a step of the same name is already there
         */
        public Builder step(Step step) {
            steps.add(checkNew(step));
            return this;
        }

        /** Appends steps in order; see {@link #step(Step)}. */
        public Builder steps(List<? extends Step> more) {
            more.forEach(this::step);
            return this;
        }

        /** Inserts {@code step} right before the step named {@code existing}. */
        public Builder before(String existing, Step step) {
            int at = indexOf(existing);
            steps.add(at, checkNew(step));
            return this;
        }

        /** Inserts {@code step} right after the step named {@code existing}. */
        public Builder after(String existing, Step step) {
            int at = indexOf(existing);
            steps.add(at + 1, checkNew(step));
            return this;
        }

        /** Puts {@code step} in the place of the step named {@code existing}; the names may differ. */
        public Builder replace(String existing, Step step) {
            int at = indexOf(existing);
            Objects.requireNonNull(step, "step");
            Step old = steps.remove(at);
            try {
                steps.add(at, checkNew(step));
            } catch (IllegalArgumentException e) {
                steps.add(at, old);
                throw e;
            }
            skipped.remove(existing);
            return this;
        }

        /** Takes the step named {@code existing} out of the pipeline. */
        public Builder remove(String existing) {
            steps.remove(indexOf(existing));
            skipped.remove(existing);
            return this;
        }

        /** Keeps the step named {@code existing} but never runs it; reports show it {@code SKIPPED}. */
        public Builder skip(String existing) {
            indexOf(existing);
            skipped.add(existing);
            return this;
        }

        /** Runs a step again that {@link #skip} had marked. */
        public Builder unskip(String existing) {
            indexOf(existing);
            skipped.remove(existing);
            return this;
        }

        /**
         * The pipeline; an empty one is allowed (it runs nothing).
         *
         * @throws PipelineException when the steps' {@link Step#needs() needs} form a cycle (the message names its
         *     steps)
         */
        public Pipeline build() {
            return new Pipeline(this);
        }

        private Step checkNew(Step step) {
            Objects.requireNonNull(step, "step");
            String stepName = Objects.requireNonNull(step.name(), "step name of " + step.getClass().getName());
            checkName(stepName, "step name");
            for (Step s : steps) {
                if (s.name().equals(stepName)) {
                    throw new IllegalArgumentException("pipeline '" + name + "' already has a step named '"
                            + stepName + "'");
                }
            }
            return step;
        }

        private int indexOf(String existing) {
            Objects.requireNonNull(existing, "step name");
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).name().equals(existing)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("pipeline '" + name + "' has no step named '" + existing
                    + "' (steps: " + (steps.isEmpty() ? "none" : steps.stream().map(Step::name)
                    .collect(Collectors.joining(", "))) + ")");
        }
    }
}
