package io.crossgen.transport.ssh;

import com.jcraft.jsch.ChannelExec;
import io.crossgen.transport.Exit;
import io.crossgen.transport.RemoteProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command running in one exec channel of a shared SSH session.
 *
 * <p>The exit is read only once the channel is closed, which JSch records after it has delivered all data
 * and closed both streams; JSch's exit status {@code -1} (none came back) becomes {@link Exit.Unknown}, an
 * {@code exit-signal} becomes {@link Exit.Signalled}. Cancelling asks the host to signal the whole process
 * group (see {@link SshConnection} for how the group is made and found), then closes the channel.
 */
final class SshProcess implements RemoteProcess {
    private static final Logger LOG = LoggerFactory.getLogger(SshProcess.class);
    /** How long cancel waits for the marker, the kill command, and the channel to close, each. */
    private static final Duration CANCEL_STEP = Duration.ofSeconds(15);

    private final SshConnection connection;
    private final ChannelExec channel;
    private final ChannelPipe stdout;
    private final ChannelPipe stderr;
    private final OutputStream stdin;
    private final CompletableFuture<OptionalLong> pgid;
    private final String label;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Exit exit;

    SshProcess(SshConnection connection, ChannelExec channel, ChannelPipe stdout, ChannelPipe stderr,
            OutputStream stdin, CompletableFuture<OptionalLong> pgid, String label) {
        this.connection = connection;
        this.channel = channel;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdin = new FlushingOutputStream(stdin);
        this.pgid = pgid;
        this.label = label;
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return stdout.source();
    }

    @Override
    public InputStream stderr() {
        return stderr.source();
    }

    @Override
    public Optional<Exit> waitFor(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!channel.isClosed()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            // Woken when JSch closes stderr, which it does on channel close; re-checked every 50 ms anyway.
            stderr.awaitWriterClosed(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
        return Optional.of(ended());
    }

    /** The exit of a closed channel, computed once. */
    private synchronized Exit ended() {
        if (exit == null) {
            String signal = channel.getExitSignal();
            int status = channel.getExitStatus();
            if (signal != null && !signal.isEmpty()) {
                exit = Exit.signalled(signal);
            } else if (status != -1) {
                exit = Exit.exited(status);
            } else if (cancelled.get()) {
                exit = Exit.unknown("cancelled; the channel closed without an exit status");
            } else if (!SessionChain.alive(channel)) {
                exit = Exit.unknown("the SSH session was lost while the command ran");
            } else {
                exit = Exit.unknown("the channel closed without an exit status");
            }
            release();
        }
        return exit;
    }

    @Override
    public void cancel() {
        if (channel.isClosed() || !cancelled.compareAndSet(false, true)) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            try {
                channel.sendSignal("TERM");
            } catch (Exception e) {
                LOG.debug("{}: signal request failed: {}", label, e.toString());
            }
            OptionalLong group = OptionalLong.empty();
            try {
                group = pgid.get(CANCEL_STEP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.debug("{}: no process group id came back: {}", label, e.toString());
            }
            if (group.isPresent()) {
                connection.killGroup(group.getAsLong(), CANCEL_STEP);
            } else {
                LOG.warn("{}: process group unknown; closing the channel, which may leave the remote process"
                        + " running", label);
            }
            waitFor(CANCEL_STEP);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            channel.disconnect();
            if (channel.isClosed()) {
                ended();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (!channel.isClosed()) {
            cancel();
        }
        channel.disconnect();
        ended();
        try {
            stdout.source().close();
            stderr.source().close();
            stdin.close();
        } catch (IOException e) {
            LOG.debug("{}: closing stdin: {}", label, e.toString());
        }
        release();
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            connection.release(this);
        }
    }

    /** JSch's channel stream sends only on flush; a caller streaming input expects each write to go out. */
    private static final class FlushingOutputStream extends OutputStream {
        private final OutputStream out;
        private boolean closed;

        FlushingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stdin closed");
            }
            out.write(b, off, len);
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            if (!closed) {
                closed = true;
                out.close();
            }
        }
    }
}
