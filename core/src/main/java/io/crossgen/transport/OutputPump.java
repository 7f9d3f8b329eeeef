package io.crossgen.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one output stream on its own thread into a listener (line by line), a bounded head-and-tail capture,
 * and optionally a raw sink.
 *
 * <p>Lines end at {@code \n}; a {@code \r} just before it is dropped. A line longer than
 * {@link Exec#MAX_LINE_BYTES} is handed over in pieces, cut at a UTF-8 character boundary. A listener that
 * throws is logged once and otherwise ignored: the run goes on and the capture stays complete. When no
 * listener is given, lines are not split at all (no per-line cost for bulk output).
 */
final class OutputPump implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

    private final InputStream in;
    private final StdStream stream;
    private final OutputListener listener;
    private final Host host;
    private final OutputStream sink;
    private final Runnable onSinkFailure;
    private final byte[] head;
    private final byte[] tail;
    private int headLength;
    private long total;
    private final byte[] line;
    private int lineLength;
    private final Thread thread;
    private volatile boolean listenerFailed;
    private volatile IOException sinkFailure;

    private OutputPump(InputStream in, StdStream stream, OutputListener listener, int captureBytes, Host host,
            OutputStream sink, Runnable onSinkFailure) {
        this.in = in;
        this.stream = stream;
        this.listener = listener;
        this.host = host;
        this.sink = sink;
        this.onSinkFailure = onSinkFailure;
        this.head = new byte[captureBytes / 2];
        this.tail = new byte[captureBytes - captureBytes / 2];
        this.line = listener == OutputListener.NONE ? new byte[0] : new byte[Exec.MAX_LINE_BYTES];
        this.thread = new Thread(this, "crossgen-" + stream.name().toLowerCase(java.util.Locale.ROOT) + "-"
                + host.label());
        this.thread.setDaemon(true);
    }

    /** Starts draining {@code in} into {@code listener} and a capture of {@code captureBytes}. */
    static OutputPump start(InputStream in, StdStream stream, OutputListener listener, int captureBytes, Host host) {
        return start(in, stream, listener, captureBytes, host, null, () -> { });
    }

    /**
     * Like {@link #start(InputStream, StdStream, OutputListener, int, Host)}, also writing every byte to
     * {@code sink}; when the sink fails, reading stops and {@code onSinkFailure} runs (on the pump thread).
     */
    static OutputPump start(InputStream in, StdStream stream, OutputListener listener, int captureBytes, Host host,
            OutputStream sink, Runnable onSinkFailure) {
        OutputPump pump = new OutputPump(in, stream, listener, captureBytes, host, sink, onSinkFailure);
        pump.thread.start();
        return pump;
    }

    @Override
    public void run() {
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) != -1) {
                if (sink != null && !write(buf, n)) {
                    return;
                }
                capture(buf, n);
                if (line.length > 0) {
                    split(buf, n);
                }
            }
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                LOG.debug("{}: {} closed: {}", host.label(), stream, e.toString());
            }
        } finally {
            if (lineLength > 0) {
                emit(0, lineLength);
                lineLength = 0;
            }
        }
    }

    private boolean write(byte[] buf, int n) {
        try {
            sink.write(buf, 0, n);
            return true;
        } catch (IOException e) {
            sinkFailure = e;
            onSinkFailure.run();
            return false;
        }
    }

    private synchronized void capture(byte[] buf, int n) {
        int off = 0;
        if (headLength < head.length) {
            int take = Math.min(n, head.length - headLength);
            System.arraycopy(buf, 0, head, headLength, take);
            headLength += take;
            off = take;
        }
        if (tail.length > 0) {
            long past = total + off - headLength; // bytes of the stream already past the head
            int skip = Math.max(0, (n - off) - tail.length); // bytes of this chunk the tail would overwrite anyway
            past += skip;
            off += skip;
            while (off < n) {
                int pos = (int) (past % tail.length);
                int len = Math.min(n - off, tail.length - pos);
                System.arraycopy(buf, off, tail, pos, len);
                off += len;
                past += len;
            }
        }
        total += n;
    }

    private void split(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            byte b = buf[i];
            if (b == '\n') {
                int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                emit(0, end);
                lineLength = 0;
            } else {
                if (lineLength == line.length) {
                    int cut = characterBoundary(line, lineLength);
                    emit(0, cut);
                    System.arraycopy(line, cut, line, 0, lineLength - cut);
                    lineLength -= cut;
                }
                line[lineLength++] = b;
            }
        }
    }

    /** The largest length not above {@code length} that does not end inside a UTF-8 sequence. */
    static int characterBoundary(byte[] bytes, int length) {
        int i = length;
        // Step back over at most 3 continuation bytes to the start of the last character.
        int back = 0;
        while (back < 3 && i - back - 1 >= 0 && (bytes[i - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        int start = i - back - 1;
        if (start < 0) {
            return length;
        }
        int lead = bytes[start] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (need > 1 && back + 1 < need && start > 0) {
            return start; // the last character is incomplete: cut before it
        }
        return length;
    }

    private void emit(int from, int to) {
        String text = new String(line, from, to - from, StandardCharsets.UTF_8);
        try {
            listener.onLine(stream, text);
        } catch (RuntimeException e) {
            if (!listenerFailed) {
                listenerFailed = true;
                LOG.warn("{}: output listener failed on {}; its later failures are not logged", host.label(), stream,
                        e);
            }
        }
    }

    /** Waits for the end of the stream, at most {@code grace}; returns whether it ended. */
    boolean awaitEnd(Duration grace) throws InterruptedException {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(grace.toNanos())));
        return !thread.isAlive();
    }

    /** Stops reading: interrupts the thread and closes the stream. */
    void stop() {
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                in.close();
            } catch (IOException e) {
                LOG.debug("{}: closing {} failed: {}", host.label(), stream, e.toString());
            }
        }
    }

    /** The failure of the raw sink, if it failed. */
    IOException sinkFailure() {
        return sinkFailure;
    }

    /** Bytes read so far. */
    synchronized long total() {
        return total;
    }

    /** What was captured so far. */
    synchronized Output output() {
        long past = total - headLength;
        if (past <= tail.length) {
            // Nothing was dropped: head and tail meet.
            int kept = (int) past;
            byte[] all = Arrays.copyOf(head, headLength + kept);
            copyTail(all, headLength, kept, past);
            return Output.whole(new String(all, StandardCharsets.UTF_8), total);
        }
        byte[] t = new byte[tail.length];
        copyTail(t, 0, tail.length, past);
        int from = 0;
        for (int i = 0; i < t.length - 1; i++) {
            if (t[i] == '\n') {
                from = i + 1;
                break;
            }
        }
        String h = new String(head, 0, headLength, StandardCharsets.UTF_8);
        String tl = new String(t, from, t.length - from, StandardCharsets.UTF_8);
        return Output.cut(h, tl, total, total - headLength - (t.length - from));
    }

    private void copyTail(byte[] to, int at, int kept, long past) {
        long first = past - kept;
        for (int i = 0; i < kept; i++) {
            to[at + i] = tail[(int) ((first + i) % tail.length)];
        }
    }
}
