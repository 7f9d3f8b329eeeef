package io.crossgen.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Random definitions (fixed seeds, so failures repeat) survive write then read unchanged in both formats. */
class CodecRoundTripPropertyTest {
    private static final int CASES = 2000;
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    private static final String[] VALUE_PIECES = {"a", "Z", "7", "0", " ", "\t", ",", "=", ":", "\"", "'", "#", "/",
        "\\", "$", "{", "}", "[", "]", "-", "&", "*", "!", "|", ">", "%", "@", "`", "?", "é", "日", "\uD83D\uDE00",
        "\u00A0", "~", ".", "\u0007", "755", "0755", "yes", "no", "null", "true", "False", "1e3", "0x1F", ".inf",
        "- x", "a: b", "/install/", "/opt/xcat/share/xcat/", "dud:", "rpm:", "s:", "http://", "--arg "};
    private static final String[] SPECIAL_VALUES = {"755", "0755", "8.10", "yes", "No", "null", "Null", "~", "true",
        "1e3", ".nan", "-", "- x", "a: b", "#x", "[a]", "{a}", "&a", "*a", "!x", "%x", "@x", "`x", "|", ">", "? x",
        "'", "a, b", "/a,/b", "/a,/b,", ",/a", "a,,b", "=", "A=1,B=2", "x #y", "\u0007"};

    private static String name(Random random) {
        while (true) {
            int length = 1 + random.nextInt(20);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < length; i++) {
                b.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
            }
            String name = b.toString();
            if (!name.contains("default")) {
                return name;
            }
        }
    }

    private static String attribute(Random random) {
        if (random.nextInt(3) > 0) {
            Attribute[] known = Attribute.values();
            return known[random.nextInt(known.length)].xcatName();
        }
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
        StringBuilder b = new StringBuilder().append(chars.charAt(random.nextInt(52)));
        for (int i = random.nextInt(12); i > 0; i--) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        String name = b.toString();
        return name.equals("objtype") || name.equals("imagename") ? "x" + name : name;
    }

    private static String value(Random random, Predicate<String> acceptable) {
        while (true) {
            String value;
            if (random.nextInt(6) == 0) {
                value = SPECIAL_VALUES[random.nextInt(SPECIAL_VALUES.length)];
            } else {
                StringBuilder b = new StringBuilder();
                for (int i = 1 + random.nextInt(8); i > 0; i--) {
                    b.append(VALUE_PIECES[random.nextInt(VALUE_PIECES.length)]);
                }
                value = b.toString();
            }
            if (acceptable.test(value)) {
                return value;
            }
        }
    }

    private static List<OsImage> images(Random random, Predicate<String> acceptable) {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            names.add(name(random));
        }
        List<OsImage> images = new ArrayList<>();
        for (String name : names) {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = random.nextInt(13); i > 0; i--) {
                attributes.put(attribute(random), value(random, acceptable));
            }
            images.add(OsImage.of(name, attributes));
        }
        return images;
    }

    /** What the stanza format can carry: what mkdef -z reads back unchanged. */
    private static boolean stanzaSafe(String v) {
        return !v.isEmpty() && !StanzaCodec.isSpace(v.charAt(0)) && !StanzaCodec.isSpace(v.charAt(v.length() - 1))
                && !v.startsWith("\"") && !v.endsWith("\"") && !v.endsWith(":");
    }

    @Test
    void randomDefinitionsSurviveStanzaWriteThenRead() {
        Random random = new Random(20240817L);
        for (int i = 0; i < CASES; i++) {
            List<OsImage> images = images(random, CodecRoundTripPropertyTest::stanzaSafe);
            String text = StanzaCodec.write(images);
            List<OsImage> back = StanzaCodec.read(text, "case " + i);
            assertEquals(images, back, () -> "case " + images + "\n" + text);
            assertEquals(text, StanzaCodec.write(back));
        }
    }

    @Test
    void randomDefinitionsSurviveYamlWriteThenRead() {
        Random random = new Random(19700101L);
        for (int i = 0; i < CASES; i++) {
            List<OsImage> images = images(random, v -> !v.isEmpty());
            String text = YamlCodec.write(images);
            List<OsImage> back = YamlCodec.read(text, "case " + i);
            assertEquals(images, back, () -> "case " + images + "\n" + text);
            assertEquals(List.copyOf(images.get(0).attributes().keySet()),
                    List.copyOf(back.get(0).attributes().keySet()));
        }
    }

    @Test
    void stanzaThenYamlThenStanzaIsTheSameText() {
        Random random = new Random(42L);
        for (int i = 0; i < CASES / 4; i++) {
            List<OsImage> images = images(random, CodecRoundTripPropertyTest::stanzaSafe);
            String stanza = StanzaCodec.write(images);
            assertEquals(stanza, StanzaCodec.write(YamlCodec.read(YamlCodec.write(StanzaCodec.read(stanza)))));
        }
    }
}
