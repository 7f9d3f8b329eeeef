package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.testing.CommandMatcher;
import io.crossgen.testing.RecordedCommand;
import io.crossgen.testing.ScriptedTransport;
import java.util.List;
import java.util.stream.Collectors;

/** Order checks across hosts, on the global sequence of a {@link ScriptedTransport}'s commands. */
final class Recorded {

    /** One expected command: on which host, which command. */
    record On(String host, CommandMatcher matcher) {
        @Override
        public String toString() {
            return host + ": " + matcher.describe();
        }
    }

    private Recorded() {
    }

    static On on(String host, CommandMatcher matcher) {
        return new On(host, matcher);
    }

    /**
     * Asserts that the commands ran in this order, across hosts (others may come between).
     *
     * @throws AssertionError naming the first one not found after the previous one, with every command
     */
    static void assertRanInOrder(ScriptedTransport hosts, On... expected) {
        List<RecordedCommand> all = hosts.commands();
        int from = 0;
        for (On e : expected) {
            int found = -1;
            for (int i = from; i < all.size(); i++) {
                RecordedCommand r = all.get(i);
                if (r.host().hostname().equals(e.host()) && e.matcher().matches(r.command())) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                throw new AssertionError("expected " + e + " after command " + from + ", but the hosts ran:\n"
                        + listing(all));
            }
            from = found + 1;
        }
    }

    /** Every recorded command on one line each, {@code #3 node01: uname -m}, shell scripts cut short. */
    static String listing(List<RecordedCommand> all) {
        return all.stream().map(r -> "  #" + r.sequence() + " " + r.host().hostname() + ": " + brief(r.command()))
                .collect(Collectors.joining("\n"));
    }

    private static String brief(Command c) {
        String s = c.toString();
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    /** The offset argument of a {@code crossgen-follow} command. */
    static long followOffset(Command follow) {
        List<String> argv = follow.argv();
        int at = argv.indexOf("crossgen-follow");
        if (at < 0 || at + 2 >= argv.size()) {
            throw new AssertionError("not a follow command: " + follow);
        }
        return Long.parseLong(argv.get(at + 2));
    }

    /** The follow commands a host received, in order. */
    static List<Command> follows(ScriptedTransport hosts, String host) {
        return hosts.commands(host).stream().filter(c -> c.argv().contains("crossgen-follow")).toList();
    }
}
