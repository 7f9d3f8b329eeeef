package io.crossgen.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTest {

    @Test
    void wholeOutputReadsBackAsItWas() {
        Output o = Output.of("a\r\nb\n");
        assertFalse(o.isTruncated());
        assertEquals(5, o.totalBytes());
        assertEquals(List.of("a", "b"), o.lines());
        assertEquals(List.of("b"), o.lastLines(1));
        assertEquals(Output.empty(), Output.of(""));
        assertEquals(List.of(), Output.empty().lines());
    }

    @Test
    void truncatedOutputShowsAMarkerWithTheDroppedBytes() {
        Output o = Output.truncated("head\n", "tail\n", 1000);
        assertTrue(o.isTruncated());
        assertEquals("head\n[... 990 bytes not kept ...]\ntail\n", o.text());
        assertEquals(List.of("head", "[... 990 bytes not kept ...]", "tail"), o.lines());
        assertEquals("x\n[... 8 bytes not kept ...]\ny", Output.truncated("x", "y", 10).text());
    }

    @Test
    void truncatedRefusesATotalBelowWhatIsKept() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Output.truncated("abc", "def", 5));
        assertEquals("total 5 bytes is less than the 6 bytes kept", e.getMessage());
    }

    @Test
    void characterBoundaryNeverSplitsAUtf8Sequence() {
        byte[] euro = "a\u20ac".getBytes(StandardCharsets.UTF_8); // 1 + 3 bytes
        assertEquals(4, OutputPump.characterBoundary(euro, 4));
        assertEquals(1, OutputPump.characterBoundary(euro, 3));
        assertEquals(1, OutputPump.characterBoundary(euro, 2));
        assertEquals(1, OutputPump.characterBoundary(euro, 1));
        byte[] ascii = "abc".getBytes(StandardCharsets.UTF_8);
        assertEquals(3, OutputPump.characterBoundary(ascii, 3));
    }
}
