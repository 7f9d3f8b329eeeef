package io.crossgen.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Drains one output stream on its own thread into a listener (line by line) and a bounded capture. */
final class OutputPump implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

    private final InputStream in;
    private final StdStream stream;
    private final OutputListener listener;
    private final Host host;
    private final byte[] head;
    private final byte[] tail;
    private int headLength;
    private long total;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile boolean listenerFailed;

    private OutputPump(InputStream in, StdStream stream, OutputListener listener, int captureBytes, Host host) {
        this.in = in;
        this.stream = stream;
        this.listener = listener;
        this.host = host;
        this.head = new byte[captureBytes / 2];
        this.tail = new byte[captureBytes - captureBytes / 2];
        this.thread = new Thread(this, "crossgen-" + stream.name().toLowerCase() + "-" + host.label());
        this.thread.setDaemon(true);
    }

    static OutputPump start(InputStream in, StdStream stream, OutputListener listener, int captureBytes, Host host) {
        OutputPump pump = new OutputPump(in, stream, listener, captureBytes, host);
        pump.thread.start();
        return pump;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) != -1) {
                capture(buf, n);
                split(buf, n);
            }
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                LOG.debug("{}: {} closed: {}", host.label(), stream, e.toString());
            }
        } finally {
            synchronized (this) {
                if (line.size() > 0) {
                    emit();
                }
            }
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
        long past = total + off - headLength; // bytes already past the head
        int skip = Math.max(0, (n - off) - tail.length); // older bytes of this chunk that would be overwritten
        past += skip;
        off += skip;
        while (off < n) {
            int pos = (int) (past % tail.length);
            int len = Math.min(n - off, tail.length - pos);
            System.arraycopy(buf, off, tail, pos, len);
            off += len;
            past += len;
        }
        total += n;
    }

    private void split(byte[] buf, int n) {
        int from = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                line.write(buf, from, i - from);
                emit();
                from = i + 1;
            } else if (line.size() + (i - from + 1) >= Exec.MAX_LINE_BYTES) {
                line.write(buf, from, i - from + 1);
                emit();
                from = i + 1;
            }
        }
        line.write(buf, from, n - from);
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            listener.onLine(stream, text);
        } catch (RuntimeException e) {
            if (!listenerFailed) {
                listenerFailed = true;
                LOG.warn("{}: output listener failed; its later failures are not logged", host.label(), e);
            }
        }
    }

    /** Waits for the end of the stream, at most {@code grace}. */
    void awaitEnd(Duration grace) throws InterruptedException {
        thread.join(TimeUnit.NANOSECONDS.toMillis(grace.toNanos()) + 1);
    }

    /** Stops reading: closes the stream, which ends the thread. */
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

    /** What was captured so far. */
    synchronized Output output() {
        String h = new String(head, 0, headLength, StandardCharsets.UTF_8);
        long past = total - headLength;
        if (past <= 0) {
            return Output.of(h);
        }
        int kept = (int) Math.min(past, tail.length);
        byte[] t = new byte[kept];
        long first = past - kept;
        for (int i = 0; i < kept; i++) {
            t[i] = tail[(int) ((first + i) % tail.length)];
        }
        if (past <= tail.length) {
            // Nothing was dropped: head and tail meet.
            byte[] all = new byte[headLength + kept];
            System.arraycopy(head, 0, all, 0, headLength);
            System.arraycopy(t, 0, all, headLength, kept);
            return Output.of(new String(all, StandardCharsets.UTF_8));
        }
        return Output.truncated(h, dropPartialLine(new String(t, StandardCharsets.UTF_8)), total);
    }

    private static String dropPartialLine(String tailText) {
        int nl = tailText.indexOf('\n');
        return nl >= 0 && nl < tailText.length() - 1 ? tailText.substring(nl + 1) : tailText;
    }
}
