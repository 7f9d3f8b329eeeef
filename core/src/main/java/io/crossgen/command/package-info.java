/**
 * The xCAT commands crossgen runs, as values: argv lists that {@link io.crossgen.command.Shell} quotes, never
 * strings put together by hand.
 *
 * <p>{@link io.crossgen.command.Command} is one command line with its folder, environment, stdin and timeout.
 * {@link io.crossgen.command.GenimageCommand} is the per-family {@code ./genimage ...} line: predicted from an
 * osimage definition, or read from what {@code genimage --dryrun} printed on the management node, and compared
 * with {@link io.crossgen.command.GenimageDiff}. {@link io.crossgen.command.PackimageCommand} and
 * {@link io.crossgen.command.LiteimgCommand} finish an image and read xCAT's answer to them.
 */
package io.crossgen.command;
