package io.crossgen.transport.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A bounded, growable byte pipe between JSch's session thread (which writes a channel's data into
 * {@link #sink()}) and the caller's reader ({@link #source()}).
 *
 * <p>Replaces JSch's {@code getInputStream()}, built on {@link java.io.PipedInputStream}, whose pitfalls
 * matter here: a 32 KiB buffer by default, "write end dead" / "read end dead" failures that depend on which
 * threads are still alive, and one-second polling. Pitfall that remains: JSch has one thread per session, so
 * when a pipe is full that thread waits, and every channel of the session waits with it. The pipe therefore
 * grows up to {@link #MAX_CAPACITY} before it blocks, and once the reader is closed it discards data instead
 * of blocking. Callers must drain both streams of every process ({@code Exec} does).
 */
final class ChannelPipe {
    static final int INITIAL_CAPACITY = 64 * 1024;
    static final int MAX_CAPACITY = 8 * 1024 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int head;
    private int count;
    private boolean writerClosed;
    private boolean readerClosed;

    private final OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            put(b, off, len);
        }

        @Override
        public void close() {
            closeWriter();
        }
    };

    private final InputStream source = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return take(b, off, len);
        }

        @Override
        public int available() {
            return withLock(() -> count);
        }

        @Override
        public void close() {
            closeReader();
        }
    };

    /** Where JSch writes. Closing it is end of stream for the reader. */
    OutputStream sink() {
        return sink;
    }

    /** What the caller reads. */
    InputStream source() {
        return source;
    }

    /** Whether the writer closed (end of stream reached or the channel went away). */
    boolean writerClosed() {
        return withLock(() -> writerClosed);
    }

    /**
     * Waits until the writer closed, at most {@code nanos}; returns early on new data too. JSch closes a
     * channel's extended-data stream only when the channel closes, which makes this the close notification
     * JSch does not otherwise offer.
     */
    void awaitWriterClosed(long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (!writerClosed && nanos > 0) {
                readable.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    private void put(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            while (len > 0) {
                if (readerClosed) {
                    return; // nobody will read: drop, never stall the session
                }
                if (writerClosed) {
                    throw new IOException("pipe closed");
                }
                if (count == buf.length && buf.length < MAX_CAPACITY) {
                    grow(Math.min(MAX_CAPACITY, Math.max(buf.length * 2, count + len)));
                }
                if (count == buf.length) {
                    try {
                        writable.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while the reader was behind");
                    }
                    continue;
                }
                int tail = (head + count) % buf.length;
                int n = Math.min(len, Math.min(buf.length - count, buf.length - tail));
                System.arraycopy(b, off, buf, tail, n);
                count += n;
                off += n;
                len -= n;
                readable.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void grow(int capacity) {
        byte[] bigger = new byte[capacity];
        int first = Math.min(count, buf.length - head);
        System.arraycopy(buf, head, bigger, 0, first);
        System.arraycopy(buf, 0, bigger, first, count - first);
        buf = bigger;
        head = 0;
    }

    private int take(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (count == 0) {
                if (writerClosed || readerClosed) {
                    return -1;
                }
                try {
                    readable.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading");
                }
            }
            int n = Math.min(len, Math.min(count, buf.length - head));
            System.arraycopy(buf, head, b, off, n);
            head = (head + n) % buf.length;
            count -= n;
            if (count == 0) {
                head = 0;
            }
            writable.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    private void closeWriter() {
        withLockDo(() -> {
            writerClosed = true;
            readable.signalAll();
        });
    }

    private void closeReader() {
        withLockDo(() -> {
            readerClosed = true;
            count = 0;
            head = 0;
            writable.signalAll();
            readable.signalAll();
        });
    }

    private <T> T withLock(Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private void withLockDo(Runnable body) {
        withLock(() -> {
            body.run();
            return null;
        });
    }
}
