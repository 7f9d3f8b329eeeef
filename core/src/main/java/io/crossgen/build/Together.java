package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import io.crossgen.pipeline.Role;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Commands that need nothing from each other, run at the same time on one host in one round trip
 * ({@code together.sh}): the wall time of the slowest instead of the sum, which matters for xCAT client commands
 * (about a second each on a real MN; xcatd serves each client connection in a process of its own). Each command
 * runs with stdin closed; the round trip counts the xCAT calls of all of them.
 *
 * <pre>{@code
 * List<ExecResult> r = Together.exec(context, BuildRoles.MN, List.of(SitePaths.READ, lsdef));
 * }</pre>
 */
final class Together {
    private static final String SCRIPT = Script.load("together.sh");
    private static final Pattern HEADER = Pattern.compile(
            "@crossgen-together (\\d+) exit=(\\d+) stdout=(\\d+) stderr=(\\d+)");

    private Together() {
    }

    /** The one command that runs {@code commands} at once. @throws IllegalArgumentException when one is not plain */
    static Command command(List<Command> commands) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "crossgen-together"));
        int calls = 0;
        boolean procedure = false;
        for (Command c : commands) {
            if (c.workingDirectory().isPresent() || !c.environment().isEmpty() || !c.stdin().equals(Stdin.none())) {
                throw new IllegalArgumentException("together.sh runs plain argv commands, not " + c);
            }
            argv.add(Integer.toString(c.argv().size()));
            argv.addAll(c.argv());
            calls += c.xcatCalls();
            procedure |= c.procedure();
        }
        // a console shows the commands themselves, as a shell line that runs them at once
        Command together = Command.of(argv).asXcatCalls(calls).withDisplay(commands.stream().map(Command::toString)
                .collect(Collectors.joining(" & ")));
        return procedure ? together.asProcedure() : together;
    }

    /**
     * Runs the commands at once on the host of {@code role} and returns each one's result, in order (each with the
     * round trip's duration); a single command runs as itself. In a dry run each answers {@code exited(0)} with
     * empty output, as a recorded command does.
     *
     * @throws ExecException when the round trip itself fails or its answer cannot be read
     */
    static List<ExecResult> exec(StepContext context, Role role, List<Command> commands) throws InterruptedException {
        if (commands.size() == 1) {
            return List.of(context.exec(role, commands.get(0)));
        }
        ExecResult r = context.exec(role, command(commands));
        if (context.planning()) {
            List<ExecResult> out = new ArrayList<>();
            for (Command c : commands) {
                out.add(new ExecResult(r.host(), c, Exit.exited(0), r.duration(), Output.empty(), Output.empty()));
            }
            return out;
        }
        if (!r.isSuccess() || r.stdout().isTruncated()) {
            throw new ExecException(r);
        }
        return split(r, commands);
    }

    /** Each command's result from together.sh's answer. @throws ExecException when the answer is not complete */
    static List<ExecResult> split(ExecResult r, List<Command> commands) {
        String[] lines = r.stdout().text().split("\n", -1);
        List<ExecResult> out = new ArrayList<>();
        int at = 0;
        for (Command c : commands) {
            Matcher m = at < lines.length ? HEADER.matcher(lines[at]) : null;
            if (m == null || !m.matches() || Integer.parseInt(m.group(1)) != out.size() + 1) {
                throw new ExecException(r);
            }
            int outLines = Integer.parseInt(m.group(3));
            int errLines = Integer.parseInt(m.group(4));
            int start = at + 1;
            if (start + outLines + errLines > lines.length) {
                throw new ExecException(r);
            }
            out.add(new ExecResult(r.host(), c, Exit.exited(Integer.parseInt(m.group(2))), r.duration(),
                    text(lines, start, outLines), text(lines, start + outLines, errLines)));
            at = start + outLines + errLines;
        }
        return out;
    }

    private static Output text(String[] lines, int from, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            b.append(lines[i]).append('\n');
        }
        return Output.of(b.toString());
    }
}
