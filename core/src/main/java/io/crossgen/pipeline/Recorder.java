package io.crossgen.pipeline;

import io.crossgen.command.Command;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What one step (all its attempts) or one cleanup did, gathered for the report and the plan. */
final class Recorder {
    private final List<RunReport.CommandRecord> commands = new ArrayList<>();
    private int dropped;
    private final Set<Host> hosts = new LinkedHashSet<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Plan.Entry> entries = new ArrayList<>();
    private int roundTrips;
    private int xcatCalls;

    /**
     * A command started on a host: one round trip (one exec channel or process), and as many xCAT client calls as
     * the command says ({@link Command#xcatCalls()}). Counted when it starts, whatever its end.
     */
    synchronized void started(Command command) {
        roundTrips++;
        xcatCalls += command.xcatCalls();
    }

    synchronized void command(ExecResult r) {
        List<String> tail = r.stderr().lastLines(RunReport.STDERR_TAIL_LINES);
        command(r.host(), r.command().argv(), r.exit(), r.duration(), tail);
    }

    synchronized void command(Host host, List<String> argv, Exit exit, Duration took, List<String> tail) {
        hosts.add(host);
        if (commands.size() < RunReport.MAX_COMMANDS_PER_STEP) {
            commands.add(new RunReport.CommandRecord(host, RunReport.bound(argv), exit, took, RunReport.bound(tail)));
        } else {
            dropped++;
        }
    }

    synchronized void plan(Plan.Entry entry) {
        entries.add(entry);
    }

    synchronized void warn(String text) {
        warnings.add(text);
        entries.add(new Plan.Note(text, true));
    }

    synchronized void note(String text) {
        notes.add(text);
        entries.add(new Plan.Note(text, false));
    }

    synchronized List<RunReport.CommandRecord> commands() {
        return List.copyOf(commands);
    }

    synchronized int dropped() {
        return dropped;
    }

    synchronized int roundTrips() {
        return roundTrips;
    }

    synchronized int xcatCalls() {
        return xcatCalls;
    }

    synchronized List<Host> hosts() {
        return List.copyOf(hosts);
    }

    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    synchronized List<Plan.Entry> entries() {
        return List.copyOf(entries);
    }
}
