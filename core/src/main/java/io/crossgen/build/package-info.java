/**
 * The cross-build procedure as built-in pipeline steps, and the presets that chain them.
 *
 * <p>The steps follow the manual procedure (copy the osimage definition on the management node, print the
 * genimage command with {@code --dryrun}, mount the MN's {@code /install} on a builder of the image's
 * architecture, copy xCAT's netboot tree and the image's own files there, run genimage on the builder,
 * packimage on the MN), and handle every known trap of it: see each step's documentation.
 *
 * <p>{@link io.crossgen.build.CrossBuild} chains the steps into an ordinary pipeline;
 * {@link io.crossgen.build.BuildMatrix} runs several builds over several builders at once.
 */
package io.crossgen.build;
