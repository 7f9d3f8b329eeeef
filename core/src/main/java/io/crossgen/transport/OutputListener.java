package io.crossgen.transport;

/**
 * Receives a running command's output, one line at a time, as it arrives.
 *
 * <p>Lines are decoded as UTF-8 without their line terminator. A line longer than
 * {@link Exec#MAX_LINE_BYTES} bytes is delivered in pieces of at most that size, cut between characters, so a
 * program that prints a gigabyte without a newline cannot exhaust memory. A {@code \r} before the {@code \n} is
 * dropped (CRLF output reads like LF output); a lone {@code \r} stays. A listener that throws is logged once and
 * otherwise ignored: the command runs on and its capture stays complete. Called from reader threads: implementations must be
 * thread-safe and quick.
 */
@FunctionalInterface
public interface OutputListener {

    /** Does nothing. */
    OutputListener NONE = (stream, line) -> { };

    /** One line of output from {@code stream}. */
    void onLine(StdStream stream, String line);
}
