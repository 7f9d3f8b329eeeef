package io.crossgen.testing;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exit;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteProcess;
import io.crossgen.transport.TransportException;
import io.crossgen.transport.TransportProvider;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A transport for unit tests: it runs nothing, records every command per host, and answers from rules.
 *
 * <p>It serves the URI scheme {@code scripted} (hosts such as {@code scripted://builder}; the host name is
 * what rules and assertions name), or a scheme of your choice ({@code new ScriptedTransport("ssh")} stands in
 * for real SSH hosts). Give it to a run through {@code Transports.of(transport)} or
 * {@code Transports.discover().with(transport)}.
 *
 * <ul>
 *   <li><b>Rules</b> — {@link #on(String, CommandMatcher)} adds a rule; rules are tried in the order they were
 *   added and the first that matches (and is not used up) answers. A rule answers with one {@link Reply}
 *   every time, or a sequence ({@link Rule#thenReply}, the last one repeating), and can be limited to a number
 *   of uses ({@link Rule#once()}, {@link Rule#times(int)}).</li>
 *   <li><b>Commands run together</b> — crossgen's {@code together.sh} ({@code sh -c SCRIPT crossgen-together
 *   ...}) is recorded, and so is each command it runs, answered by the rules as if it ran alone.</li>
 *   <li><b>Default</b> — a command no rule matches gets {@link #defaultReply} ({@link Reply#success()}: exit 0,
 *   no output), or, in {@link #strict()} mode, an {@link AssertionError} from {@code start} whose message names
 *   the command and lists the rules; {@link #assertNoUnexpectedCommands()} repeats it afterwards.</li>
 *   <li><b>Faults</b> — slow commands, commands that hang until cancelled, signals, dropped connections, lost
 *   exit statuses: see {@link Reply}. Hosts can refuse connections: {@link #refuseConnections(String)}.</li>
 *   <li><b>Records</b> — {@link #commands(String)}, {@link #commands()}, the stdin bytes each command received
 *   ({@link RecordedCommand#stdin()}), and assertions that throw {@link AssertionError} with the commands that
 *   did run: {@link #assertRan}, {@link #assertRanInOrder}, {@link #assertNotRan}.</li>
 * </ul>
 *
 * <p>A command that was given stdin ends only after its stdin is closed (as {@code cat} would), so the
 * recorded bytes are complete once the command has ended. Thread-safe: commands may run from several threads.
 *
 * <pre>{@code
 * ScriptedTransport hosts = new ScriptedTransport().strict();
 * hosts.on("builder", CommandMatcher.argv("uname", "-m")).reply(0, "ppc64le\n");
 * hosts.on("builder", CommandMatcher.program("mount")).reply(Reply.exit(32).withStderr("access denied\n")).once();
 * hosts.on("builder", CommandMatcher.program("mount")).reply(0);
 * hosts.on("builder", CommandMatcher.program("umount")).reply(0);
 *
 * RunReport report = PipelineRunner.builder()
 *         .transports(Transports.of(hosts))
 *         .host(Role.of("builder"), ScriptedTransport.host("builder"))
 *         .build()
 *         .run(myPipeline);
 *
 * hosts.assertRanInOrder("builder", CommandMatcher.program("mount"), CommandMatcher.program("umount"));
 * hosts.assertNotRan("builder", "reboot");
 * }</pre>
 */
public final class ScriptedTransport implements TransportProvider {
    private static final String TOGETHER = "crossgen-together";
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");

    private final String scheme;
    private final List<Rule> rules = new ArrayList<>();
    private final List<RecordedCommand> recorded = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();
    private final Set<String> refused = new HashSet<>();
    private final Map<String, Integer> connects = new HashMap<>();
    private final List<ScriptedConnection> open = new ArrayList<>();
    private Reply defaultReply = Reply.success();
    private boolean strict;

    /** A transport for the scheme {@code scripted}, lenient, with no rules. */
    public ScriptedTransport() {
        this("scripted");
    }

    /** A transport for the given scheme, e.g. {@code ssh} to stand in for real SSH hosts. */
    public ScriptedTransport(String scheme) {
        Objects.requireNonNull(scheme, "scheme");
        if (!SCHEME.matcher(scheme).matches()) {
            throw new IllegalArgumentException("scheme '" + scheme + "' must be lower case ([a-z][a-z0-9+.-]*)");
        }
        this.scheme = scheme;
    }

    /** The host {@code scripted://name}. */
    public static Host host(String name) {
        return Host.parse("scripted://" + name);
    }

    @Override
    public String scheme() {
        return scheme;
    }

    /** Fails every command no rule matches, instead of answering with the default reply. */
    public synchronized ScriptedTransport strict() {
        strict = true;
        return this;
    }

    /** What a command no rule matches gets in lenient mode. */
    public synchronized ScriptedTransport defaultReply(Reply reply) {
        defaultReply = Objects.requireNonNull(reply, "reply");
        return this;
    }

    /** Makes connecting to {@code host} fail with {@link TransportException.Connect}. */
    public synchronized ScriptedTransport refuseConnections(String host) {
        refused.add(Objects.requireNonNull(host, "host"));
        return this;
    }

    /** A rule for commands on any host; answers {@link Reply#success()} until given a reply. */
    public Rule on(CommandMatcher matcher) {
        return addRule(Optional.empty(), matcher);
    }

    /** A rule for commands on the host named {@code host} (the host name of its URI). */
    public Rule on(String host, CommandMatcher matcher) {
        return addRule(Optional.of(Objects.requireNonNull(host, "host")), matcher);
    }

    /** A rule for commands on {@code host} whose argv is exactly {@code argv}. */
    public Rule on(String host, String... argv) {
        return on(host, CommandMatcher.argv(argv));
    }

    private synchronized Rule addRule(Optional<String> host, CommandMatcher matcher) {
        Rule rule = new Rule(this, rules.size() + 1, host, Objects.requireNonNull(matcher, "matcher"));
        rules.add(rule);
        return rule;
    }

    @Override
    public Connection connect(Host host) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while connecting to " + host.label());
        }
        synchronized (this) {
            connects.merge(host.hostname(), 1, Integer::sum);
            if (refused.contains(host.hostname())) {
                throw new TransportException.Connect(host, "connection refused (scripted)", null);
            }
            ScriptedConnection c = new ScriptedConnection(this, host);
            open.add(c);
            return c;
        }
    }

    /** Every command received, in order, on every host. */
    public synchronized List<RecordedCommand> commands() {
        return List.copyOf(recorded);
    }

    /** The commands received on the host named {@code host}, in order. */
    public synchronized List<Command> commands(String host) {
        return recorded.stream().filter(r -> r.host().hostname().equals(host)).map(RecordedCommand::command)
                .collect(Collectors.toUnmodifiableList());
    }

    /** The records of the commands received on the host named {@code host}, in order. */
    public synchronized List<RecordedCommand> recorded(String host) {
        return recorded.stream().filter(r -> r.host().hostname().equals(host))
                .collect(Collectors.toUnmodifiableList());
    }

    /** How many times a connection to {@code host} was opened. */
    public synchronized int connectionsOpened(String host) {
        return connects.getOrDefault(host, 0);
    }

    /** How many connections are open now (opened and not yet closed). */
    public synchronized int openConnections() {
        return open.size();
    }

    /** Forgets every command, rule, refusal and connection count; keeps the mode and default reply. */
    public synchronized void reset() {
        rules.clear();
        recorded.clear();
        unexpected.clear();
        refused.clear();
        connects.clear();
    }

    /**
     * Asserts that {@code host} ran a command whose argv is exactly {@code argv}.
     *
     * @throws AssertionError listing the commands the host did run
     */
    public void assertRan(String host, String... argv) {
        assertRan(host, CommandMatcher.argv(argv));
    }

    /**
     * Asserts that {@code host} ran a command that matches.
     *
     * @throws AssertionError listing the commands the host did run
     */
    public void assertRan(String host, CommandMatcher matcher) {
        List<Command> ran = commands(host);
        if (ran.stream().noneMatch(matcher::matches)) {
            throw new AssertionError("expected " + host + " to run " + matcher.describe() + ", but it ran "
                    + listing(ran));
        }
    }

    /**
     * Asserts that {@code host} ran commands matching {@code matchers} in this order (others may come between).
     *
     * @throws AssertionError naming the first matcher not found after the previous one, and listing the commands
     */
    public void assertRanInOrder(String host, CommandMatcher... matchers) {
        List<Command> ran = commands(host);
        int from = 0;
        for (int m = 0; m < matchers.length; m++) {
            int found = -1;
            for (int i = from; i < ran.size(); i++) {
                if (matchers[m].matches(ran.get(i))) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                throw new AssertionError("expected " + host + " to run " + matchers[m].describe()
                        + (m == 0 ? "" : " after " + matchers[m - 1].describe() + " (command " + from + ")")
                        + ", but it ran " + listing(ran));
            }
            from = found + 1;
        }
    }

    /**
     * Asserts that {@code host} ran no command whose argv is exactly {@code argv}.
     *
     * @throws AssertionError naming the offending command
     */
    public void assertNotRan(String host, String... argv) {
        assertNotRan(host, CommandMatcher.argv(argv));
    }

    /**
     * Asserts that {@code host} ran no command that matches.
     *
     * @throws AssertionError naming the offending command
     */
    public void assertNotRan(String host, CommandMatcher matcher) {
        List<Command> ran = commands(host);
        for (int i = 0; i < ran.size(); i++) {
            if (matcher.matches(ran.get(i))) {
                throw new AssertionError("expected " + host + " not to run " + matcher.describe()
                        + ", but command " + (i + 1) + " was `" + ran.get(i) + "`");
            }
        }
    }

    /**
     * Asserts that strict mode refused no command.
     *
     * @throws AssertionError with the first refusal's message and the number of refusals
     */
    public synchronized void assertNoUnexpectedCommands() {
        if (!unexpected.isEmpty()) {
            throw new AssertionError(unexpected.size() + " unexpected command(s); first: " + unexpected.get(0));
        }
    }

    private static String listing(List<Command> ran) {
        if (ran.isEmpty()) {
            return "nothing";
        }
        StringBuilder s = new StringBuilder(ran.size() + " command(s):");
        for (int i = 0; i < ran.size(); i++) {
            s.append("\n  ").append(i + 1).append(". ").append(ran.get(i));
        }
        return s.toString();
    }

    /** Records the command and picks its reply; throws for strict misses. */
    private synchronized Picked receive(Host host, Command command) {
        RecordedCommand record = new RecordedCommand(recorded.size() + 1, host, command);
        recorded.add(record);
        List<String> argv = command.argv();
        if (argv.size() > 4 && argv.get(0).equals("sh") && argv.get(1).equals("-c")
                && argv.get(3).equals(TOGETHER)) {
            return new Picked(record, together(host, argv.subList(4, argv.size())));
        }
        return new Picked(record, pick(host, command));
    }

    /**
     * The reply of crossgen's {@code together.sh} ({@code sh -c SCRIPT crossgen-together N WORDS... N WORDS...}):
     * each command is recorded and answered by the rules as if it ran alone, and the replies are framed as the
     * script frames them; the reply takes as long as the slowest, and a hang or dropped connection of one is the
     * whole one's.
     */
    private Reply together(Host host, List<String> words) {
        StringBuilder out = new StringBuilder();
        Duration delay = Duration.ZERO;
        int k = 0;
        for (int at = 0; at < words.size(); ) {
            int n = Integer.parseInt(words.get(at));
            Command part = Command.of(words.subList(at + 1, at + 1 + n));
            at += 1 + n;
            k++;
            recorded.add(new RecordedCommand(recorded.size() + 1, host, part));
            Reply r = pick(host, part);
            if (r.fault() != Reply.Fault.NONE) {
                return r;
            }
            delay = delay.compareTo(r.delay()) < 0 ? r.delay() : delay;
            int code = r.exitStatus() instanceof Exit.Exited e ? e.code() : 255;
            String o = withLastBreak(r.stdout());
            String e = withLastBreak(r.stderr());
            out.append("@crossgen-together ").append(k).append(" exit=").append(code).append(" stdout=")
                    .append(o.split("\n", -1).length - 1).append(" stderr=").append(e.split("\n", -1).length - 1)
                    .append('\n').append(o).append(e);
        }
        return Reply.of(0, out.toString(), "").withDelay(delay);
    }

    private static String withLastBreak(String text) {
        return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
    }

    private Reply pick(Host host, Command command) {
        for (Rule rule : rules) {
            if (rule.appliesTo(host, command)) {
                Optional<Reply> reply = rule.take();
                if (reply.isPresent()) {
                    return reply.get();
                }
            }
        }
        if (strict) {
            String message = "unexpected command on " + host.label() + ": `" + command + "`; rules:"
                    + (rules.isEmpty() ? " none" : rules.stream().map(r -> "\n  " + r)
                    .collect(Collectors.joining()));
            unexpected.add(message);
            throw new AssertionError(message);
        }
        return defaultReply;
    }

    private synchronized void closed(ScriptedConnection connection) {
        open.remove(connection);
    }

    private record Picked(RecordedCommand record, Reply reply) {
    }

    /**
     * One rule of a {@link ScriptedTransport}: which commands, on which host, get which replies, how often.
     * Configure it right after {@link ScriptedTransport#on}; it is live from then on.
     */
    public static final class Rule {
        private final ScriptedTransport owner;
        private final int number;
        private final Optional<String> host;
        private final CommandMatcher matcher;
        private final List<Reply> replies = new ArrayList<>();
        private int limit = Integer.MAX_VALUE;
        private int used;

        private Rule(ScriptedTransport owner, int number, Optional<String> host, CommandMatcher matcher) {
            this.owner = owner;
            this.number = number;
            this.host = host;
            this.matcher = matcher;
        }

        /** Answers with {@code code}, no output. */
        public Rule reply(int code) {
            return reply(Reply.exit(code));
        }

        /** Answers with {@code code} and {@code stdout}. */
        public Rule reply(int code, String stdout) {
            return reply(Reply.of(code, stdout, ""));
        }

        /** Answers with {@code code}, {@code stdout} and {@code stderr}. */
        public Rule reply(int code, String stdout, String stderr) {
            return reply(Reply.of(code, stdout, stderr));
        }

        /** Answers with {@code reply} (replacing earlier replies of this rule). */
        public Rule reply(Reply reply) {
            synchronized (owner) {
                replies.clear();
                replies.add(Objects.requireNonNull(reply, "reply"));
            }
            return this;
        }

        /** Answers the next use with {@code reply}; the last reply of a sequence repeats. */
        public Rule thenReply(Reply reply) {
            synchronized (owner) {
                replies.add(Objects.requireNonNull(reply, "reply"));
            }
            return this;
        }

        /** Answers one command only; later commands go to later rules. */
        public Rule once() {
            return times(1);
        }

        /** Answers {@code n} commands only. */
        public Rule times(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a rule must answer at least once, not " + n + " times");
            }
            synchronized (owner) {
                limit = n;
            }
            return this;
        }

        /** How many commands this rule answered. */
        public int uses() {
            synchronized (owner) {
                return used;
            }
        }

        private boolean appliesTo(Host on, Command command) {
            return host.map(h -> h.equals(on.hostname())).orElse(true) && matcher.matches(command);
        }

        private Optional<Reply> take() {
            if (used >= limit) {
                return Optional.empty();
            }
            Reply r = replies.isEmpty() ? Reply.success() : replies.get(Math.min(used, replies.size() - 1));
            used++;
            return Optional.of(r);
        }

        /** {@code 2. on builder: program mount -> exit 32 (once, used 0)}. */
        @Override
        public String toString() {
            synchronized (owner) {
                String answers = replies.isEmpty() ? Reply.success().toString()
                        : replies.stream().map(Reply::toString).collect(Collectors.joining(", then "));
                String times = limit == Integer.MAX_VALUE ? "" : limit == 1 ? "once, " : limit + " times, ";
                return number + ". on " + host.orElse("any host") + ": " + matcher.describe() + " -> " + answers
                        + " (" + times + "used " + used + ")";
            }
        }
    }

    private static final class ScriptedConnection implements Connection {
        private final ScriptedTransport owner;
        private final Host host;
        private final List<ScriptedProcess> processes = new ArrayList<>();
        private boolean closed;

        ScriptedConnection(ScriptedTransport owner, Host host) {
            this.owner = owner;
            this.host = host;
        }

        @Override
        public Host host() {
            return host;
        }

        @Override
        public RemoteProcess start(Command command) throws InterruptedException {
            Objects.requireNonNull(command, "command");
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while starting `" + command.program() + "`");
            }
            synchronized (this) {
                if (closed) {
                    throw new TransportException.Connect(host, "connection closed", null);
                }
            }
            Picked picked = owner.receive(host, command);
            if (picked.reply().fault() == Reply.Fault.DROP_CONNECTION) {
                throw new TransportException.Connect(host, "connection dropped (scripted) while starting `"
                        + command.program() + "`", null);
            }
            ScriptedProcess p = new ScriptedProcess(picked.record(), picked.reply(),
                    !(command.stdin() instanceof Stdin.None));
            synchronized (this) {
                processes.add(p);
            }
            return p;
        }

        @Override
        public void close() {
            List<ScriptedProcess> running;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                running = List.copyOf(processes);
            }
            running.forEach(ScriptedProcess::cancel);
            owner.closed(this);
        }
    }

    private static final class ScriptedProcess implements RemoteProcess {
        private final RecordedCommand record;
        private final Reply reply;
        private final long started = System.nanoTime();
        private final CountDownLatch cancelled = new CountDownLatch(1);
        private final CountDownLatch stdinClosed;
        private final OutputStream stdin;

        ScriptedProcess(RecordedCommand record, Reply reply, boolean readsStdin) {
            this.record = record;
            this.reply = reply;
            this.stdinClosed = new CountDownLatch(readsStdin ? 1 : 0);
            this.stdin = new OutputStream() {
                private boolean closed;

                @Override
                public void write(int b) {
                    record.appendStdin(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    record.appendStdin(b, off, len);
                }

                @Override
                public synchronized void close() {
                    if (!closed) {
                        closed = true;
                        stdinClosed.countDown();
                    }
                }
            };
        }

        @Override
        public OutputStream stdin() {
            return stdin;
        }

        @Override
        public InputStream stdout() {
            return new ByteArrayInputStream(reply.stdout().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public InputStream stderr() {
            return new ByteArrayInputStream(reply.stderr().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Optional<Exit> waitFor(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (!stdinClosed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return cancelled.getCount() == 0 ? Optional.of(Exit.signalled("KILL")) : Optional.empty();
            }
            long endsAt = reply.fault() == Reply.Fault.HANG ? Long.MAX_VALUE : started + reply.delay().toNanos();
            long waitUntil = Math.min(deadline, endsAt);
            long left = waitUntil - System.nanoTime();
            if (cancelled.await(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                return Optional.of(Exit.signalled("KILL"));
            }
            if (reply.fault() == Reply.Fault.HANG || System.nanoTime() - endsAt < 0) {
                return Optional.empty();
            }
            return Optional.of(reply.exitStatus());
        }

        @Override
        public void cancel() {
            if (cancelled.getCount() > 0) {
                boolean ended = reply.fault() != Reply.Fault.HANG && stdinClosed.getCount() == 0
                        && System.nanoTime() - (started + reply.delay().toNanos()) >= 0;
                if (!ended) {
                    record.markCancelled();
                }
                cancelled.countDown();
            }
        }

        @Override
        public void close() {
            cancel();
        }
    }
}
