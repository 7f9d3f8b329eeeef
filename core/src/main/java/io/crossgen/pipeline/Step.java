package io.crossgen.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
