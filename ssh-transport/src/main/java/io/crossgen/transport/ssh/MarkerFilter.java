package io.crossgen.transport.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Takes the wrapper's one marker line ({@code crossgen-pgid:TOKEN:PID}) out of a process's stderr, so stderr
 * reaches the caller byte for byte, and hands the process group id to whoever needs to cancel.
 *
 * <p>Lines before the marker (a login shell's rc files may print some) pass through unchanged; the marker is
 * recognised by its per-process random token, so no program output can forge it. After the marker, or after
 * {@link #SCAN_LIMIT} bytes without one, bytes pass straight through. When the stream ends without a marker
 * the group id completes empty.
 */
final class MarkerFilter extends OutputStream {
    static final int SCAN_LIMIT = 256 * 1024;

    private final OutputStream out;
    private final String prefix;
    private final CompletableFuture<OptionalLong> pgid;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean scanning = true;
    private long scanned;

    MarkerFilter(OutputStream out, String token, CompletableFuture<OptionalLong> pgid) {
        this.out = out;
        this.prefix = "crossgen-pgid:" + token + ":";
        this.pgid = pgid;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (!scanning) {
            out.write(b, off, len);
            return;
        }
        int end = off + len;
        int from = off;
        for (int i = off; i < end && scanning; i++) {
            if (b[i] == '\n') {
                line.write(b, from, i + 1 - from);
                from = i + 1;
                endOfLine();
            }
        }
        if (!scanning) {
            out.write(b, from, end - from);
            return;
        }
        line.write(b, from, end - from);
        scanned += len;
        if (scanned > SCAN_LIMIT) {
            giveUp();
        }
    }

    private void endOfLine() throws IOException {
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.startsWith(prefix) && text.endsWith("\n")) {
            String digits = text.substring(prefix.length(), text.length() - 1);
            try {
                pgid.complete(OptionalLong.of(Long.parseLong(digits)));
                scanning = false;
                line.reset();
                return;
            } catch (NumberFormatException e) {
                // not ours after all: pass it through
            }
        }
        line.writeTo(out);
        line.reset();
    }

    private void giveUp() throws IOException {
        scanning = false;
        line.writeTo(out);
        line.reset();
        pgid.complete(OptionalLong.empty());
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (scanning) {
            giveUp();
        }
        out.close();
    }
}
