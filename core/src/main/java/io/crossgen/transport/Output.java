package io.crossgen.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What a command printed on one stream, kept within a bound: all of it when it is short, otherwise its head
 * and its tail with a marker between them.
 *
 * <p>A command that prints a gigabyte costs {@link Exec#withCaptureLimit(int)} bytes of heap, not a gigabyte.
 * Listeners still see every line as it arrives. Bytes are decoded as UTF-8 (malformed input becomes
 * U+FFFD); {@link #totalBytes()} always counts the bytes the command really printed.
 *
 * <pre>{@code
 * Output out = result.stdout();
 * if (out.isTruncated()) {
 *     log.warn("{} bytes printed, only head and tail kept", out.totalBytes());
 * }
 * List<String> last = out.lastLines(10);
 * }</pre>
 *
 * <p>Pitfall: the tail of a truncated output starts at a line boundary (its first, partial line is dropped),
 * so {@link #text()} never shows half a line after the marker.
 */
public final class Output {
    private static final Output EMPTY = new Output("", "", 0, 0);

    private final String head;
    private final String tail;
    private final long totalBytes;
    private final long droppedBytes;

    private Output(String head, String tail, long totalBytes, long droppedBytes) {
        this.head = head;
        this.tail = tail;
        this.totalBytes = totalBytes;
        this.droppedBytes = droppedBytes;
    }

    /** Nothing printed. */
    public static Output empty() {
        return EMPTY;
    }

    /** Output that was kept whole, e.g. for a test double. */
    public static Output of(String text) {
        return text.isEmpty() ? EMPTY : new Output(text, "", utf8Length(text), 0);
    }

    /**
     * Output of which only the head and the tail were kept, out of {@code totalBytes} printed.
     *
     * @throws IllegalArgumentException when {@code totalBytes} is smaller than head and tail together
     */
    public static Output truncated(String head, String tail, long totalBytes) {
        long kept = utf8Length(Objects.requireNonNull(head, "head")) + utf8Length(Objects.requireNonNull(tail, "tail"));
        if (totalBytes < kept) {
            throw new IllegalArgumentException("total " + totalBytes + " bytes is less than the " + kept
                    + " bytes kept");
        }
        return new Output(head, tail, totalBytes, totalBytes - kept);
    }

    /** Output kept whole whose decoded text may not re-encode to {@code totalBytes} (malformed UTF-8). */
    static Output whole(String text, long totalBytes) {
        return totalBytes == 0 ? EMPTY : new Output(text, "", totalBytes, 0);
    }

    /** Output of which {@code droppedBytes} between head and tail were not kept. */
    static Output cut(String head, String tail, long totalBytes, long droppedBytes) {
        return droppedBytes == 0 ? whole(head + tail, totalBytes) : new Output(head, tail, totalBytes, droppedBytes);
    }

    /** Whether part of the output was dropped. */
    public boolean isTruncated() {
        return droppedBytes > 0;
    }

    /** How many bytes the command printed on this stream in all. */
    public long totalBytes() {
        return totalBytes;
    }

    /**
     * The text: all of it, or head, a line {@code [... N bytes not kept ...]}, and tail when truncated.
     */
    public String text() {
        if (!isTruncated()) {
            return head + tail;
        }
        String sep = head.endsWith("\n") || head.isEmpty() ? "" : "\n";
        return head + sep + "[... " + droppedBytes + " bytes not kept ...]\n" + tail;
    }

    /** {@link #text()} split into lines without terminators ({@code \n} or {@code \r\n}); no trailing empty line. */
    public List<String> lines() {
        String t = text();
        if (t.isEmpty()) {
            return List.of();
        }
        String[] lines = t.split("\r?\n", -1);
        int count = t.endsWith("\n") ? lines.length - 1 : lines.length;
        return List.of(lines).subList(0, count);
    }

    /** The last {@code n} lines, for error messages. */
    public List<String> lastLines(int n) {
        List<String> all = lines();
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    private static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Output other && text().equals(other.text()) && totalBytes == other.totalBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(text(), totalBytes);
    }

    @Override
    public String toString() {
        return text();
    }
}
