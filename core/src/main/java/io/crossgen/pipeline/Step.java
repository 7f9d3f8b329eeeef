package io.crossgen.pipeline;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One unit of work in a {@link Pipeline}: a name and what it does with a {@link StepContext}.
 *
 * <p>A step does all its remote work through the context ({@link StepContext#exec}, the context's connections),
 * so the same code serves the real run and the dry run: in a dry run the context records every command instead
 * of running it and answers with success and no output ({@link StepContext#planning()} tells a step when it
 * must assume a value it would otherwise read from a command's output). Plan and run cannot drift apart.
 *
 * <p>Contract: a step is stateless and reusable (per-run state lives in the context); it throws a
 * {@link io.crossgen.CrossgenException} on failure and {@link InterruptedException} when interrupted; it
 * defers the undoing of anything it changes ({@link StepContext#defer}) right after changing it.
 *
 * <p>Needs: a step that declares {@link #needs()} starts as soon as the steps it names are done (or skipped in
 * the pipeline, or done in the run a resumed run resumes), while other steps run; a step that declares nothing
 * keeps its place in the pipeline's order (see {@link #needs()}).
 *
 * <pre>{@code
 * Step arch = Step.of("check-arch", context -> {
 *     String machine = context.check(Role.of("builder"), Command.of("uname", "-m")).stdout().text().strip();
 *     context.put(ARCH, machine);
 * });
 * }</pre>
 */
public interface Step {

    /** A unique name within the pipeline: lower-case words joined by dashes, e.g. {@code mount-install}. */
    String name();

    /**
     * Does the work.
     *
     * @throws InterruptedException when interrupted; deferred cleanups still run
     */
    void run(StepContext context) throws InterruptedException;

    /**
     * One line saying what the step does for the person reading a plan (e.g. "copy the osimage definition under
     * the new name"); empty when it has none to add to its name.
     */
    default String intent() {
        return "";
    }

    /**
     * Whether running the step again after a failure is safe (it changes nothing, or makes the same change).
     * Only such steps are retried. Default: no.
     */
    default boolean repeatable() {
        return false;
    }

    /** This step's own time limit, when it needs another than the runner's default. */
    default Optional<Duration> timeout() {
        return Optional.empty();
    }

    /**
     * The names of the steps that must be done before this one starts, or empty when the step declares none.
     *
     * <p>A step that declares none (the default) keeps its place in the pipeline's order: it starts once every
     * step before it is done, and every step after it waits for it, so a pipeline of such steps runs strictly one
     * step after another. A step that declares a set (possibly empty) waits for those steps only and may run at
     * the same time as any other: declare every step whose values ({@link StepContext#require}) or effects on a
     * host it relies on, not only the nearest. A name of a step that is not in the pipeline (removed, or left out
     * of a preset) is ignored. Needs that form a cycle fail {@link Pipeline.Builder#build()}.
     */
    default Optional<Set<String>> needs() {
        return Optional.empty();
    }

    /**
     * This step declaring that it needs the named steps done before it starts ({@link #needs()}), e.g.
     * {@code Step.of("list-rootimg", body).needing("generate")}; everything else is this step's.
     *
     * <p>Pitfall: the result is another object; code that recognises a step by its class (e.g.
     * {@code instanceof CopyDefinition}) no longer does.
     */
    default Step needing(String... steps) {
        Set<String> names = new LinkedHashSet<>(List.of(steps));
        Step self = this;
        return new Step() {
            @Override
            public String name() {
                return self.name();
            }

            @Override
            public void run(StepContext context) throws InterruptedException {
                self.run(context);
            }

            @Override
            public String intent() {
                return self.intent();
            }

            @Override
            public boolean repeatable() {
                return self.repeatable();
            }

            @Override
            public Optional<Duration> timeout() {
                return self.timeout();
            }

            @Override
            public Optional<Set<String>> needs() {
                return Optional.of(Set.copyOf(names));
            }

            @Override
            public String toString() {
                return self + " needing " + names;
            }
        };
    }

    /** What a step does, as a lambda. */
    @FunctionalInterface
    interface Body {
        void run(StepContext context) throws InterruptedException;
    }

    /** A step made of a name and a lambda; not repeatable, no timeout of its own. */
    static Step of(String name, Body body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run(StepContext context) throws InterruptedException {
                body.run(context);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
