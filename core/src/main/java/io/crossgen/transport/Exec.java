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
        return new Exec(Objects.requireNonNull(connection, "connection"), checkTimeout(timeout), OutputListener.NONE,
                DEFAULT_CAPTURE_BYTES);
    }

    /** A copy with another timeout. */
    public Exec withTimeout(Duration limit) {
        return new Exec(connection, checkTimeout(limit), listener, captureBytes);
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

    /** The timeout each command gets. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs the command to its end.
     *
     * @return the result, whatever the exit; see {@link #check} to fail on a non-zero exit
     * @throws TransportException when the command cannot be started or its streams fail
     * @throws InterruptedException when interrupted; the process has been cancelled
     */
    public ExecResult run(Command command) throws InterruptedException {
        Host host = connection.host();
        long started = System.nanoTime();
        LOG.debug("{}: running {}", host.label(), command);
        try (RemoteProcess process = connection.start(command)) {
            Thread feeder = feed(process, command.stdin(), host);
            OutputPump out = OutputPump.start(process.stdout(), StdStream.STDOUT, listener, captureBytes, host);
            OutputPump err = OutputPump.start(process.stderr(), StdStream.STDERR, listener, captureBytes, host);
            Exit exit;
            try {
                Optional<Exit> ended = process.waitFor(timeout);
                if (ended.isPresent()) {
                    exit = ended.get();
                } else {
                    LOG.warn("{}: {} did not end within {}; cancelling it", host.label(), command, timeout);
                    process.cancel();
                    exit = Exit.timedOut(timeout);
                }
                out.awaitEnd(DRAIN_GRACE);
                err.awaitEnd(DRAIN_GRACE);
            } catch (InterruptedException e) {
                process.cancel();
                out.stop();
                err.stop();
                throw e;
            } finally {
                if (feeder != null) {
                    feeder.interrupt();
                }
            }
            // An exit known before the streams ended is still an exit; streams that never ended are cut off.
            out.stop();
            err.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
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

    private static Thread feed(RemoteProcess process, Stdin stdin, Host host) {
        OutputStream sink = process.stdin();
        if (stdin instanceof Stdin.None) {
            closeQuietly(sink, host);
            return null;
        }
        Thread t = new Thread(() -> {
            try (InputStream in = stdin.open(); OutputStream to = sink) {
                in.transferTo(to);
            } catch (IOException e) {
                // The process may have ended without reading all of its input; its exit tells the story.
                LOG.debug("{}: stdin not fully written: {}", host.label(), e.toString());
            }
        }, "crossgen-stdin-" + host.label());
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(OutputStream sink, Host host) {
        try {
            sink.close();
        } catch (IOException e) {
            LOG.debug("{}: closing stdin failed: {}", host.label(), e.toString());
        }
    }

    private static Duration checkTimeout(Duration limit) {
        Objects.requireNonNull(limit, "timeout");
        if (limit.isZero() || limit.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, not " + limit);
        }
        return limit;
    }
}
