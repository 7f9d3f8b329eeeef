package io.crossgen.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads and writes reports and plans as JSON, field by field on Jackson's tree model, so the format is explicit
 * and needs no annotations on the public values: durations and instants as ISO-8601 text, hosts as their URI,
 * exits as {@code {"kind": "exited", "code": 0}}.
 */
final class JsonCodec {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonCodec() {
    }

    static String write(RunReport r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("runId", r.runId());
        o.put("pipeline", r.pipeline());
        o.put("started", r.started().toString());
        o.put("duration", r.duration().toString());
        o.put("outcome", r.outcome().name());
        ArrayNode steps = o.putArray("steps");
        for (RunReport.StepReport s : r.steps()) {
            ObjectNode n = steps.addObject();
            n.put("name", s.name());
            n.put("status", s.status().name());
            n.put("duration", s.duration().toString());
            n.put("attempts", s.attempts());
            ArrayNode hosts = n.putArray("hosts");
            s.hosts().forEach(h -> hosts.add(h.toString()));
            commands(n.putArray("commands"), s.commands());
            n.put("commandsDropped", s.commandsDropped());
            strings(n.putArray("warnings"), s.warnings());
            strings(n.putArray("notes"), s.notes());
            s.failure().ifPresent(f -> failure(n.putObject("failure"), f));
            n.put("roundTrips", s.roundTrips());
            n.put("xcatCalls", s.xcatCalls());
        }
        ArrayNode cleanups = o.putArray("cleanups");
        for (RunReport.CleanupReport c : r.cleanups()) {
            ObjectNode n = cleanups.addObject();
            n.put("step", c.step());
            n.put("description", c.description());
            n.put("status", c.status().name());
            n.put("duration", c.duration().toString());
            commands(n.putArray("commands"), c.commands());
            c.failure().ifPresent(f -> failure(n.putObject("failure"), f));
            n.put("roundTrips", c.roundTrips());
            n.put("xcatCalls", c.xcatCalls());
        }
        r.failure().ifPresent(f -> failure(o.putObject("failure"), f));
        ArrayNode values = o.putArray("values");
        for (RunReport.SavedValue v : r.values()) {
            ObjectNode n = values.addObject();
            n.put("key", v.key());
            n.put("type", v.type());
            n.put("step", v.step());
            v.json().ifPresent(j -> n.put("json", j));
        }
        return text(o);
    }

    static RunReport readReport(String json) {
        JsonNode o;
        try {
            o = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PipelineException("not a run report: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new PipelineException("not a run report: expected a JSON object");
        }
        try {
            List<RunReport.StepReport> steps = list(o, "steps", n -> new RunReport.StepReport(
                    str(n, "name"), StepStatus.valueOf(str(n, "status")), Duration.parse(str(n, "duration")),
                    req(n, "attempts").asInt(), list(n, "hosts", h -> Host.parse(h.asText())),
                    list(n, "commands", JsonCodec::command), req(n, "commandsDropped").asInt(),
                    list(n, "warnings", JsonNode::asText), list(n, "notes", JsonNode::asText),
                    opt(n, "failure").map(JsonCodec::failure), count(n, "roundTrips"), count(n, "xcatCalls")));
            List<RunReport.CleanupReport> cleanups = list(o, "cleanups", n -> new RunReport.CleanupReport(
                    str(n, "step"), str(n, "description"), StepStatus.valueOf(str(n, "status")),
                    Duration.parse(str(n, "duration")), list(n, "commands", JsonCodec::command),
                    opt(n, "failure").map(JsonCodec::failure), count(n, "roundTrips"), count(n, "xcatCalls")));
            List<RunReport.SavedValue> values = list(o, "values", n -> new RunReport.SavedValue(str(n, "key"),
                    str(n, "type"), str(n, "step"), opt(n, "json").map(JsonNode::asText)));
            return new RunReport(str(o, "runId"), str(o, "pipeline"), Instant.parse(str(o, "started")),
                    Duration.parse(str(o, "duration")), RunReport.Outcome.valueOf(str(o, "outcome")), steps,
                    cleanups, opt(o, "failure").map(JsonCodec::failure), values);
        } catch (RuntimeException e) {
            if (e instanceof PipelineException) {
                throw e;
            }
            throw new PipelineException("not a run report: " + e.getMessage(), e);
        }
    }

    static String write(Plan plan) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("pipeline", plan.pipeline());
        ObjectNode hosts = o.putObject("hosts");
        plan.hosts().forEach((role, host) -> hosts.put(role.name(), host.toString()));
        ArrayNode together = o.putArray("together");
        plan.together().forEach(group -> strings(together.addArray(), group));
        ArrayNode sections = o.putArray("sections");
        for (Plan.Section s : plan.sections()) {
            ObjectNode n = sections.addObject();
            n.put("step", s.step());
            n.put("number", s.number());
            n.put("of", s.of());
            s.cleanup().ifPresent(c -> n.put("cleanup", c));
            if (s.cleanup().isEmpty()) {
                strings(n.putArray("needs"), s.needs());
            }
            n.put("roundTrips", s.roundTrips());
            n.put("xcatCalls", s.xcatCalls());
            ArrayNode entries = n.putArray("entries");
            for (Plan.Entry e : s.entries()) {
                ObjectNode x = entries.addObject();
                if (e instanceof Plan.Note note) {
                    x.put(note.warning() ? "warning" : "note", note.text());
                } else {
                    Plan.Invocation i = (Plan.Invocation) e;
                    x.put("role", i.role().name());
                    x.put("host", i.host().toString());
                    Command c = i.command();
                    strings(x.putArray("argv"), c.argv());
                    c.workingDirectory().ifPresent(d -> x.put("workingDirectory", d));
                    if (!c.environment().isEmpty()) {
                        ObjectNode env = x.putObject("environment");
                        c.environment().forEach(env::put);
                    }
                    if (!(c.stdin() instanceof Stdin.None)) {
                        x.put("stdin", c.stdin().toString());
                    }
                    if (c.xcatCalls() > 0) {
                        x.put("xcatCalls", c.xcatCalls());
                    }
                }
            }
        }
        return text(o);
    }

    private static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private static void strings(ArrayNode a, List<String> items) {
        items.forEach(a::add);
    }

    private static void commands(ArrayNode a, List<RunReport.CommandRecord> commands) {
        for (RunReport.CommandRecord c : commands) {
            ObjectNode n = a.addObject();
            n.put("host", c.host().toString());
            strings(n.putArray("argv"), c.argv());
            exit(n.putObject("exit"), c.exit());
            n.put("duration", c.duration().toString());
            strings(n.putArray("stderrTail"), c.stderrTail());
        }
    }

    private static RunReport.CommandRecord command(JsonNode n) {
        return new RunReport.CommandRecord(Host.parse(str(n, "host")), list(n, "argv", JsonNode::asText),
                exit(req(n, "exit")), Duration.parse(str(n, "duration")), list(n, "stderrTail", JsonNode::asText));
    }

    private static void failure(ObjectNode n, RunReport.Failure f) {
        n.put("step", f.step());
        f.cleanup().ifPresent(c -> n.put("cleanup", c));
        f.host().ifPresent(h -> n.put("host", h.toString()));
        strings(n.putArray("argv"), f.argv());
        f.exit().ifPresent(e -> exit(n.putObject("exit"), e));
        strings(n.putArray("stderrTail"), f.stderrTail());
        n.put("message", f.message());
        n.put("type", f.type());
    }

    private static RunReport.Failure failure(JsonNode n) {
        return new RunReport.Failure(str(n, "step"), opt(n, "cleanup").map(JsonNode::asText),
                opt(n, "host").map(h -> Host.parse(h.asText())), list(n, "argv", JsonNode::asText),
                opt(n, "exit").map(JsonCodec::exit), list(n, "stderrTail", JsonNode::asText), str(n, "message"),
                str(n, "type"));
    }

    private static void exit(ObjectNode n, Exit exit) {
        if (exit instanceof Exit.Exited e) {
            n.put("kind", "exited").put("code", e.code());
        } else if (exit instanceof Exit.Signalled s) {
            n.put("kind", "signalled").put("signal", s.signal());
        } else if (exit instanceof Exit.TimedOut t) {
            n.put("kind", "timedOut").put("limit", t.limit().toString());
        } else {
            n.put("kind", "unknown").put("reason", ((Exit.Unknown) exit).reason());
        }
    }

    private static Exit exit(JsonNode n) {
        String kind = str(n, "kind");
        switch (kind) {
            case "exited":
                return Exit.exited(req(n, "code").asInt());
            case "signalled":
                return Exit.signalled(str(n, "signal"));
            case "timedOut":
                return Exit.timedOut(Duration.parse(str(n, "limit")));
            case "unknown":
                return Exit.unknown(str(n, "reason"));
            default:
                throw new PipelineException("not a run report: unknown exit kind '" + kind + "'");
        }
    }

    private static JsonNode req(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new PipelineException("not a run report: field '" + field + "' is missing");
        }
        return v;
    }

    private static String str(JsonNode n, String field) {
        return req(n, field).asText();
    }

    private static Optional<JsonNode> opt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    /** A count that a report written by an older crossgen lacks: read as 0. */
    private static int count(JsonNode n, String field) {
        return opt(n, field).map(JsonNode::asInt).orElse(0);
    }

    private static <T> List<T> list(JsonNode n, String field, Function<JsonNode, T> item) {
        JsonNode a = req(n, field);
        if (!a.isArray()) {
            throw new PipelineException("not a run report: field '" + field + "' is not an array");
        }
        List<T> out = new ArrayList<>(a.size());
        a.forEach(x -> out.add(item.apply(x)));
        return out;
    }
}
