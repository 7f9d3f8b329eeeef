package io.crossgen.transport;

import io.crossgen.CrossgenException;
import java.util.List;

/**
 * A command ran but did not succeed: it exited non-zero, was killed by a signal, timed out, or its status was
 * lost. The {@link #result()} carries host, argv, exit, duration and the bounded output.
 *
 * <p>The message reads {@code node01: `ls /nope` failed with exit 2: ls: cannot access '/nope': No such file
 * or directory}: the host, the command (cut at {@value #MAX_COMMAND_CHARS} characters), the exit, and the last
 * {@value #STDERR_LINES} lines of stderr (or of stdout when stderr is empty).
 *
 * <p>Not a {@link TransportException} on purpose: the host was reached and the command ran; its exit is the
 * host's answer, and retrying it as if the network had failed would repeat what the host refused. See
 * {@link TransportException} for the line between the two.
 */
public class ExecException extends CrossgenException {
    private static final long serialVersionUID = 1L;
    static final int MAX_COMMAND_CHARS = 300;
    static final int STDERR_LINES = 10;

    private final transient ExecResult result;

    public ExecException(ExecResult result) {
        super(describe(result));
        this.result = result;
    }

    /** The finished command. */
    public ExecResult result() {
        return result;
    }

    private static String describe(ExecResult r) {
        String cmd = r.command().toString();
        if (cmd.length() > MAX_COMMAND_CHARS) {
            cmd = cmd.substring(0, MAX_COMMAND_CHARS) + "...";
        }
        List<String> tail = r.stderr().lastLines(STDERR_LINES);
        String which = "stderr";
        if (tail.isEmpty()) {
            tail = r.stdout().lastLines(STDERR_LINES);
            which = "stdout";
        }
        String msg = r.host().label() + ": `" + cmd + "` failed with " + r.exit().describe();
        return tail.isEmpty() ? msg : msg + "; last " + which + ":\n  " + String.join("\n  ", tail);
    }
}
