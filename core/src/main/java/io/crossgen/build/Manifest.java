package io.crossgen.build;

import io.crossgen.command.Command;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a set of folders on one host holds, as one {@code find -printf} line per entry, and the difference
 * between two such listings: what to copy and what vanished.
 *
 * <p>One command per host lists every folder ({@link #command}); a folder that does not exist lists nothing.
 * Files compare by size, whole-second modification time and mode (tar keeps whole seconds), or by SHA-256 when
 * asked; symbolic links by target; folders by mode only (their times change with their contents).
 * Package-private: {@link CopyNetboot} uses it.
 */
final class Manifest {
    /** Lists the folders named as arguments; {@code $1} is {@code sums} or {@code nosums}. */
    static final String SCRIPT = Script.load("manifest.sh");

    /** One entry: path, type letter of find's {@code %y}, size, modification second, octal mode, link target. */
    record Entry(String path, char type, long size, long mtime, String mode, String link, Optional<String> sha256) {

        boolean sameAs(Entry other, boolean sums) {
            if (type != other.type || !mode.equals(other.mode)) {
                return false;
            }
            switch (type) {
                case 'l':
                    return link.equals(other.link);
                case 'f':
                    if (sums && sha256.isPresent() && other.sha256.isPresent()) {
                        return sha256.equals(other.sha256) && size == other.size;
                    }
                    return size == other.size && mtime == other.mtime;
                default:
                    return true;
            }
        }
    }

    private final Map<String, Entry> entries;
    private final List<String> unreadable;

    private Manifest(Map<String, Entry> entries, List<String> unreadable) {
        this.entries = Collections.unmodifiableMap(entries);
        this.unreadable = List.copyOf(unreadable);
    }

    /** The listing command for the given folders. */
    static Command command(List<String> folders, boolean sums) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "crossgen-manifest", sums ? "sums" : "nosums"));
        argv.addAll(folders);
        return Command.of(argv);
    }

    /** Parses the listing; lines it cannot read (a path with a tab or a line break) are kept aside. */
    static Manifest parse(String text) {
        Map<String, Entry> entries = new TreeMap<>();
        Map<String, String> sums = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f[0].equals("H") && f.length == 2) {
                int sep = f[1].indexOf("  ");
                if (sep == 64) {
                    sums.put(f[1].substring(sep + 2), f[1].substring(0, sep));
                    continue;
                }
            } else if (f[0].equals("E") && f.length == 7 && f[2].length() == 1) {
                try {
                    long size = Long.parseLong(f[3]);
                    String t = f[4];
                    int dot = t.indexOf('.');
                    long mtime = Long.parseLong(dot < 0 ? t : t.substring(0, dot));
                    entries.put(f[1], new Entry(f[1], f[2].charAt(0), size, mtime, f[5], f[6], Optional.empty()));
                    continue;
                } catch (NumberFormatException e) {
                    // falls through to the unreadable lines
                }
            }
            bad.add(line);
        }
        sums.forEach((path, sum) -> {
            Entry e = entries.get(path);
            if (e != null) {
                entries.put(path, new Entry(e.path(), e.type(), e.size(), e.mtime(), e.mode(), e.link(),
                        Optional.of(sum)));
            }
        });
        return new Manifest(entries, bad);
    }

    Map<String, Entry> entries() {
        return entries;
    }

    List<String> unreadable() {
        return unreadable;
    }

    /** The total size of the regular files among {@code paths}. */
    long bytes(List<String> paths) {
        long total = 0;
        for (String p : paths) {
            Entry e = entries.get(p);
            if (e != null && e.type() == 'f') {
                total += e.size();
            }
        }
        return total;
    }

    /**
     * What makes {@code target} like {@code this}.
     *
     * @return the paths to copy (missing or different in the target, in sorted order, folders before what they
     *     hold), the paths to remove first (of another type in the target), and the paths that exist only in the
     *     target
     */
    Diff diff(Manifest target, boolean sums) {
        List<String> copy = new ArrayList<>();
        List<String> replace = new ArrayList<>();
        List<String> vanished = new ArrayList<>();
        for (Entry e : entries.values()) {
            Entry there = target.entries.get(e.path());
            if (there == null) {
                copy.add(e.path());
            } else if (!e.sameAs(there, sums)) {
                copy.add(e.path());
                if (there.type() != e.type()) {
                    replace.add(e.path());
                }
            }
        }
        for (Entry e : target.entries.values()) {
            if (!entries.containsKey(e.path()) && !underAny(e.path(), vanished)) {
                vanished.add(e.path());
            }
        }
        return new Diff(copy, replace, vanished);
    }

    private static boolean underAny(String path, List<String> parents) {
        for (String p : parents) {
            if (path.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    /** See {@link #diff}. */
    record Diff(List<String> copy, List<String> replace, List<String> vanished) {
        Diff {
            copy = List.copyOf(copy);
            replace = List.copyOf(replace);
            vanished = List.copyOf(vanished);
        }

        boolean isEmpty() {
            return copy.isEmpty() && vanished.isEmpty();
        }
    }
}
