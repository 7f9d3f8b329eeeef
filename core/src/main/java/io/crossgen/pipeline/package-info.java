/**
 * The engine: named steps run in order over a set of hosts, with deferred cleanups, timeouts, cancellation,
 * a plan mode and a run report.
 *
 * <p>A {@link io.crossgen.pipeline.Pipeline} is an ordered list of {@link io.crossgen.pipeline.Step}s. A
 * {@link io.crossgen.pipeline.PipelineRunner} runs it: each step gets a {@link io.crossgen.pipeline.StepContext}
 * to run commands on a host by {@link io.crossgen.pipeline.Role}, to pass typed values to later steps through
 * {@link io.crossgen.pipeline.Key}s and to register {@link io.crossgen.pipeline.Cleanup}s, which run in reverse
 * order whatever happens. {@link io.crossgen.pipeline.Plan} runs the same steps against recording connections
 * and prints what would run; {@link io.crossgen.pipeline.RunReport} says what did, and can be resumed from.
 */
package io.crossgen.pipeline;
