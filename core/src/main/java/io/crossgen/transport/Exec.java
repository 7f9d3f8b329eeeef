package io.crossgen.transport;

import io.crossgen.command.Command;
import io.crossgen.command.Stdin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command to its end on a {@link Connection}, with a timeout, live output and bounded capture.
 *
 * <p>Built once, for every transport, on top of {@link Connection#start}: stdout and stderr are drained
 * concurrently (so nothing deadlocks on a full pipe) into an {@link OutputListener} line by line and into
 * head-and-tail buffers of bounded size; stdin is fed from {@link Command#stdin()} and closed, or closed at
 * once when there is none; the wait is bounded by the timeout, after which the process tree is cancelled and
 * the result says {@link Exit.TimedOut}.
 *
 * <pre>{@code
 * ExecResult r = Exec.on(connection, Duration.ofMinutes(2))
 *         .withListener((stream, line) -> log.info("{}: {}", stream, line))
 *         .run(Command.of("uname", "-m"));
 * String arch = r.requireSuccess().stdout().text().strip();
 * }</pre>
 *
 * <p>Interruption: when the calling thread is interrupted, the process is cancelled and
 * {@link InterruptedException} is thrown. An {@code Exec} is an immutable value; the {@code with*} methods
 * return copies and one instance may run commands from several threads.
 */
public final class Exec {
    /** Longest piece of a line handed to a listener; longer lines arrive in pieces. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** Default bytes kept per stream (half head, half tail). */
    public static final int DEFAULT_CAPTURE_BYTES = 1024 * 1024;
    /** How long to wait, after the exit, for the output streams to reach their end. */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(Exec.class);

    private final Connection connection;
    private final Duration timeout;
    private final OutputListener listener;
    private final int captureBytes;

    private Exec(Connection connection, Duration timeout, OutputListener listener, int captureBytes) {
        this.connection = connection;
        this.timeout = timeout;
        this.listener = listener;
        this.captureBytes = captureBytes;
    }

    /**
     * An {@code Exec} that runs commands on {@code connection}, each for at most {@code timeout}.
     *
     * @throws IllegalArgumentException when the timeout is zero or negative
     */
    public static Exec on(Connection connection, Duration timeout) {
        return new Exec(Objects.requireNonNull(connection, "connection"), Timeouts.positive("timeout", timeout), OutputListener.NONE,
                DEFAULT_CAPTURE_BYTES);
    }

    /** A copy with another timeout. */
    public Exec withTimeout(Duration limit) {
        return new Exec(connection, Timeouts.positive("timeout", limit), listener, captureBytes);
    }

    /** A copy that hands every output line to {@code lines}. */
    public Exec withListener(OutputListener lines) {
        return new Exec(connection, timeout, Objects.requireNonNull(lines, "listener"), captureBytes);
    }

    /** A copy that keeps at most {@code bytes} of each stream (half from the start, half from the end). */
    public Exec withCaptureLimit(int bytes) {
        if (bytes < 2) {
            throw new IllegalArgumentException("capture limit must be at least 2 bytes, not " + bytes);
        }
        return new Exec(connection, timeout, listener, bytes);
    }

    /** The host the commands run on. */
    Host host() {
        return connection.host();
    }

    /** The timeout each command gets. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs the command to its end.
     *
     * <p>When {@link Command#stdin()} cannot be read (a missing local file, a failing stream), the process is
     * cancelled before its input is closed, so it never mistakes a cut input for a complete one, and a
     * {@link TransportException.Io} is thrown.
     *
     * @return the result, whatever the exit; see {@link #check} to fail on a non-zero exit
     * @throws TransportException when the command cannot be started, its input cannot be read, or its streams
     *     fail
     * @throws InterruptedException when interrupted; the process tree has been cancelled before this is thrown,
     *     and the thread's interrupt flag is cleared, as usual for {@code InterruptedException}
     */
    public ExecResult run(Command command) throws InterruptedException {
        return run(command, null);
    }

    /**
     * Runs the command, writing its stdout as raw bytes to {@code stdoutSink} (besides the bounded capture).
     * A failing sink cancels the process and fails the run with {@link TransportException.Io}.
     */
    ExecResult run(Command command, OutputStream stdoutSink) throws InterruptedException {
        Host host = connection.host();
        long started = System.nanoTime();
        LOG.debug("{}: running {}", host.label(), command);
        try (RemoteProcess process = connection.start(command)) {
            Feeder feeder = Feeder.start(process, command.stdin(), host);
            OutputPump out = OutputPump.start(process.stdout(), StdStream.STDOUT, listener, captureBytes, host,
                    stdoutSink, process::cancel);
            OutputPump err = OutputPump.start(process.stderr(), StdStream.STDERR, listener, captureBytes, host);
            Exit exit;
            try {
                Optional<Exit> ended = process.waitFor(timeout);
                if (ended.isPresent()) {
                    exit = ended.get();
                } else {
                    LOG.warn("{}: {} did not end within {}; cancelling it", host.label(), command.program(), timeout);
                    process.cancel();
                    exit = Exit.timedOut(timeout);
                }
                awaitEnd(out, host);
                awaitEnd(err, host);
            } catch (InterruptedException e) {
                process.cancel();
                out.stop();
                err.stop();
                throw e;
            } finally {
                feeder.stop();
            }
            out.stop();
            err.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (feeder.sourceFailure != null) {
                throw new TransportException.Io(host, "could not read the input of `" + brief(command) + "`: "
                        + feeder.sourceFailure.getMessage(), feeder.sourceFailure);
            }
            if (out.sinkFailure() != null) {
                throw new TransportException.Io(host, "could not take the output of `" + brief(command) + "`: "
                        + out.sinkFailure().getMessage(), out.sinkFailure());
            }
            ExecResult result = new ExecResult(host, command, exit, took, out.output(), err.output());
            LOG.debug("{}: {} ended with {} after {} ms", host.label(), command.program(), exit.describe(),
                    took.toMillis());
            return result;
        }
    }

    /**
     * Runs the command and requires success.
     *
     * @throws ExecException when the command exits non-zero, is killed, times out or loses its status
     * @throws TransportException when the command cannot be started or its streams fail
     * @throws InterruptedException when interrupted; the process has been cancelled
     */
    public ExecResult check(Command command) throws InterruptedException {
        return run(command).requireSuccess();
    }

    private static void awaitEnd(OutputPump pump, Host host) throws InterruptedException {
        if (!pump.awaitEnd(DRAIN_GRACE)) {
            LOG.warn("{}: output still open {} after the exit (a background process holds it?); not reading on",
                    host.label(), DRAIN_GRACE);
        }
    }

    static String brief(Command command) {
        String text = command.toString();
        return text.length() > ExecException.MAX_COMMAND_CHARS
                ? text.substring(0, ExecException.MAX_COMMAND_CHARS) + "..." : text;
    }

    /** Copies {@link Command#stdin()} into the process on its own thread. */
    private static final class Feeder implements Runnable {
        private final RemoteProcess process;
        private final Stdin stdin;
        private final Host host;
        private final Thread thread;
        private volatile IOException sourceFailure;

        private Feeder(RemoteProcess process, Stdin stdin, Host host) {
            this.process = process;
            this.stdin = stdin;
            this.host = host;
            this.thread = new Thread(this, "crossgen-stdin-" + host.label());
            this.thread.setDaemon(true);
        }

        static Feeder start(RemoteProcess process, Stdin stdin, Host host) {
            Feeder f = new Feeder(process, stdin, host);
            if (stdin instanceof Stdin.None) {
                closeQuietly(process.stdin(), host);
            } else {
                f.thread.start();
            }
            return f;
        }

        @Override
        public void run() {
            OutputStream to = process.stdin();
            InputStream in;
            try {
                in = stdin.open();
            } catch (IOException e) {
                failSource(e, to);
                return;
            }
            byte[] buf = new byte[64 * 1024];
            try (in) {
                while (true) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        failSource(e, to);
                        return;
                    }
                    if (n < 0) {
                        break;
                    }
                    to.write(buf, 0, n);
                }
                to.close();
            } catch (IOException e) {
                // The process ended (or closed its input) before reading all of it; its exit tells the story.
                LOG.debug("{}: stdin not fully written: {}", host.label(), e.toString());
                closeQuietly(to, host);
            }
        }

        private void failSource(IOException e, OutputStream to) {
            sourceFailure = e;
            process.cancel(); // before closing stdin: a cut input must not look like a complete one
            closeQuietly(to, host);
        }

        void stop() {
            if (thread.isAlive()) {
                thread.interrupt();
            }
        }
    }

    private static void closeQuietly(OutputStream sink, Host host) {
        try {
            sink.close();
        } catch (IOException e) {
            LOG.debug("{}: closing stdin failed: {}", host.label(), e.toString());
        }
    }

}
