package io.crossgen.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What a command printed on one stream, kept within a bound: all of it when it is short, otherwise its head
 * and its tail with a marker between them.
 *
 * <p>A command that prints a gigabyte costs {@link Exec#withCaptureLimit(int)} bytes of heap, not a gigabyte.
 * Listeners still see every line as it arrives.
 */
public final class Output {
    private static final Output EMPTY = new Output("", "", 0);

    private final String head;
    private final String tail;
    private final long totalBytes;

    private Output(String head, String tail, long totalBytes) {
        this.head = head;
        this.tail = tail;
        this.totalBytes = totalBytes;
    }

    /** Nothing printed. */
    public static Output empty() {
        return EMPTY;
    }

    /** Output that was kept whole, e.g. for a test double. */
    public static Output of(String text) {
        return text.isEmpty() ? EMPTY : new Output(text, "", text.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Output of which only the head and the tail were kept, out of {@code totalBytes} printed. */
    public static Output truncated(String head, String tail, long totalBytes) {
        return new Output(Objects.requireNonNull(head), Objects.requireNonNull(tail), totalBytes);
    }

    /** Whether part of the output was dropped. */
    public boolean isTruncated() {
        return !tail.isEmpty() || totalBytes > head.getBytes(StandardCharsets.UTF_8).length;
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
            return head;
        }
        long kept = head.getBytes(StandardCharsets.UTF_8).length + tail.getBytes(StandardCharsets.UTF_8).length;
        String sep = head.endsWith("\n") || head.isEmpty() ? "" : "\n";
        return head + sep + "[... " + (totalBytes - kept) + " bytes not kept ...]\n" + tail;
    }

    /** {@link #text()} split into lines without terminators; no trailing empty line. */
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Output other && head.equals(other.head) && tail.equals(other.tail)
                && totalBytes == other.totalBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(head, tail, totalBytes);
    }

    @Override
    public String toString() {
        return text();
    }
}
