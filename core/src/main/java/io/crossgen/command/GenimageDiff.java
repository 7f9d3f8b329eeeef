package io.crossgen.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The differences between two {@link GenimageCommand}s, option by option; empty when they are equal.
 *
 * <p>{@link #toString()} prints one line per difference, ready for a log warning:
 * <pre>
 * 2 differences between predicted and dry-run genimage:
 *   --pkglist: /a.pkglist (predicted) vs /a.pkglist,/b.pkglist (dry-run)
 *   -n: (unset) (predicted) vs tg3 (dry-run)
 * </pre>
 *
 * @param thisLabel what the left-hand command is, e.g. {@code predicted}
 * @param otherLabel what the right-hand command is, e.g. {@code dry-run}
 * @param entries one per differing option, in command order
 */
public record GenimageDiff(String thisLabel, String otherLabel, List<Entry> entries) {

    /** Placeholder for an option that one side does not set. */
    public static final String UNSET = "(unset)";

    public GenimageDiff {
        Objects.requireNonNull(thisLabel, "thisLabel");
        Objects.requireNonNull(otherLabel, "otherLabel");
        entries = List.copyOf(entries);
    }

    /**
     * One differing item.
     *
     * @param option the option as written ({@code --pkglist}), or {@code family}, {@code xcatRoot},
     *     {@code image name}, {@code extra arguments}
     * @param thisValue the value on this side, {@link #UNSET} when unset; flags read {@code set}
     * @param otherValue the value on the other side, likewise
     */
    public record Entry(String option, String thisValue, String otherValue) {
        public Entry {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(thisValue, "thisValue");
            Objects.requireNonNull(otherValue, "otherValue");
        }
    }

    /** Whether the two commands are equal. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** A copy with other names for the two sides. */
    public GenimageDiff withLabels(String thisSide, String otherSide) {
        return new GenimageDiff(thisSide, otherSide, entries);
    }

    /** {@code no differences}, or a count line followed by one indented line per difference. */
    @Override
    public String toString() {
        if (entries.isEmpty()) {
            return "no differences between " + thisLabel + " and " + otherLabel + " genimage";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(entries.size()).append(entries.size() == 1 ? " difference" : " differences")
                .append(" between ").append(thisLabel).append(" and ").append(otherLabel).append(" genimage:");
        for (Entry e : entries) {
            sb.append("\n  ").append(e.option()).append(": ").append(e.thisValue()).append(" (").append(thisLabel)
                    .append(") vs ").append(e.otherValue()).append(" (").append(otherLabel).append(')');
        }
        return sb.toString();
    }

    /** What differs between two commands, labelled {@code this} and {@code other}: see {@link GenimageCommand#diff}. */
    static GenimageDiff between(GenimageCommand mine, GenimageCommand theirs) {
        List<Entry> entries = new ArrayList<>();
        compare(entries, "family", mine.family(), theirs.family());
        compare(entries, "xcatRoot", mine.xcatRoot(), theirs.xcatRoot());
        for (GenimageOption o : GenimageOption.values()) {
            compare(entries, o.spelling(), show(o, mine.options().get(o)), show(o, theirs.options().get(o)));
        }
        compare(entries, "extra arguments", words(mine.extraArgs()), words(theirs.extraArgs()));
        compare(entries, "image name", mine.imageName().orElse(UNSET), theirs.imageName().orElse(UNSET));
        return new GenimageDiff("this", "other", entries);
    }

    private static void compare(List<Entry> entries, String what, String mine, String theirs) {
        if (!mine.equals(theirs)) {
            entries.add(new Entry(what, mine, theirs));
        }
    }

    private static String show(GenimageOption o, List<String> value) {
        if (value == null) {
            return UNSET;
        }
        return o.kind() == GenimageOption.Kind.FLAG ? "set" : String.join(",", value);
    }

    private static String words(List<String> words) {
        return words.isEmpty() ? UNSET : String.join(" ", words);
    }
}
