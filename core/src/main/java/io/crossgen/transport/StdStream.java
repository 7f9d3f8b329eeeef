package io.crossgen.transport;

/** Which output stream of a process a line came from. */
public enum StdStream {
    STDOUT,
    STDERR
}
