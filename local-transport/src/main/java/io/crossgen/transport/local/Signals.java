package io.crossgen.transport.local;

import io.crossgen.transport.Exit;

/** Reads the JVM's exit value of a local process (128+N when signal N killed it) as an {@link Exit}. */
final class Signals {
    /** Linux names of signals 1..31 whose default action ends the process; null where it does not. */
    private static final String[] FATAL = {
        null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", null /* CHLD */, null /* CONT */, null /* STOP */, null /* TSTP */,
        null /* TTIN */, null /* TTOU */, null /* URG */, "XCPU", "XFSZ", "VTALRM", "PROF", null /* WINCH */, "IO",
        "PWR", "SYS",
    };

    private Signals() {
    }

    static Exit exitOf(int exitValue) {
        int n = exitValue - 128;
        if (n > 0 && n < FATAL.length && FATAL[n] != null) {
            return Exit.signalled(FATAL[n]);
        }
        return Exit.exited(exitValue);
    }
}
