package io.crossgen.pipeline;

/**
 * Work deferred by a step with {@link StepContext#defer}, run after the pipeline whatever happened.
 *
 * <p>Cleanups run in reverse order of deferral (last deferred, first run; between steps that ran at once, the
 * later step's in the plan's order first: {@link PipelineRunner}), after the last step, also when a
 * step failed, timed out, was interrupted or the run was cancelled. A cleanup gets a context of its own to run
 * commands with; its failure is recorded beside the original failure and never hides it.
 *
 * <pre>{@code
 * context.defer("unmount /install", c -> c.exec(Role.of("builder"), Command.of("umount", "/install")));
 * }</pre>
 */
@FunctionalInterface
public interface Cleanup {

    /**
     * Undoes what a step did.
     *
     * @throws InterruptedException when interrupted (the remaining cleanups still run)
     */
    void run(StepContext context) throws InterruptedException;
}
