package io.crossgen.build;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of the builder's binfmt_misc ({@code /proc/sys/fs/binfmt_misc/NAME}), as the kernel prints it:
 * {@code enabled}/{@code disabled}, {@code interpreter PATH}, {@code flags: POCF}, {@code offset N},
 * {@code magic HEX}, {@code mask HEX} (or {@code extension .EXT}); and whether the interpreter is present on the
 * builder, which {@code binfmt.sh} adds.
 *
 * <p>Which architecture an entry serves is read from its magic and mask, never from its name (qemu-aarch64,
 * qemu-aarch64-static, aarch64 ... all occur): it serves an architecture when the kernel would hand it that
 * architecture's ELF executables, both {@code ET_EXEC} and {@code ET_DYN} (static and PIE binaries).
 */
record BinfmtEntry(String name, boolean enabled, String interpreter, String flags, int offset, byte[] magic,
        byte[] mask, boolean interpreterPresent) {

    /** ELF class (1: 32-bit, 2: 64-bit), data (1: little, 2: big endian) and e_machine per canonical arch. */
    private static final Map<String, int[]> ELF = Map.of(
            "x86_64", new int[] {2, 1, 62},
            "x86", new int[] {1, 1, 3},
            "aarch64", new int[] {2, 1, 183},
            "ppc64le", new int[] {2, 1, 21},
            "ppc64", new int[] {2, 2, 21},
            "s390x", new int[] {2, 2, 22});

    /** Whether this entry is marked by its magic (an {@code extension} entry is not). */
    boolean hasMagic() {
        return magic.length > 0;
    }

    /** Whether the kernel hands this entry the ELF executables of {@code arch} ({@code uname -m} spelling). */
    boolean serves(String arch) {
        int[] elf = ELF.get(TargetOs.canonicalArch(arch));
        if (elf == null || !hasMagic()) {
            return false;
        }
        return matches(header(elf, 2)) && matches(header(elf, 3));
    }

    /** The architectures whose ELF headers this crossgen knows, for messages. */
    static List<String> knownArchs() {
        return List.of("aarch64", "ppc64", "ppc64le", "s390x", "x86", "x86_64");
    }

    private boolean matches(byte[] header) {
        if (offset < 0 || offset + magic.length > header.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            int m = i < mask.length ? mask[i] : 0xff;
            if ((header[offset + i] & m) != (magic[i] & m)) {
                return false;
            }
        }
        return true;
    }

    /** The first 20 bytes of an ELF file of that class, byte order and machine, of type {@code type}. */
    private static byte[] header(int[] elf, int type) {
        byte[] h = new byte[20];
        h[0] = 0x7f;
        h[1] = 'E';
        h[2] = 'L';
        h[3] = 'F';
        h[4] = (byte) elf[0];
        h[5] = (byte) elf[1];
        h[6] = 1;
        boolean little = elf[1] == 1;
        h[little ? 16 : 17] = (byte) type;
        h[little ? 18 : 19] = (byte) (elf[2] & 0xff);
        h[little ? 19 : 18] = (byte) (elf[2] >> 8);
        return h;
    }

    /** Whether the kernel opens the interpreter at registration ({@code F}), so it need not exist in a chroot. */
    boolean fixBinary() {
        return flags.indexOf('F') >= 0;
    }

    /**
     * The entries in {@code binfmt.sh}'s output (lines {@code binfmt NAME TEXT}), in order; other lines are
     * ignored.
     */
    static List<BinfmtEntry> parseAll(String output) {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (!line.startsWith("binfmt ")) {
                continue;
            }
            String rest = line.substring("binfmt ".length());
            int space = rest.indexOf(' ');
            if (space > 0) {
                texts.computeIfAbsent(rest.substring(0, space), k -> new ArrayList<>()).add(rest.substring(space + 1));
            }
        }
        List<BinfmtEntry> entries = new ArrayList<>();
        texts.forEach((name, lines) -> entries.add(parse(name, lines)));
        return entries;
    }

    /** An entry from its lines, as the kernel prints them (plus {@code present yes|no}). */
    static BinfmtEntry parse(String name, List<String> lines) {
        boolean enabled = false;
        String interpreter = "";
        String flags = "";
        int offset = 0;
        byte[] magic = new byte[0];
        byte[] mask = new byte[0];
        boolean present = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.equals("enabled")) {
                enabled = true;
            } else if (line.startsWith("interpreter ")) {
                interpreter = line.substring("interpreter ".length());
            } else if (line.startsWith("flags:")) {
                flags = line.substring("flags:".length()).strip();
            } else if (line.startsWith("offset ")) {
                offset = parseInt(line.substring("offset ".length()));
            } else if (line.startsWith("magic ")) {
                magic = hex(line.substring("magic ".length()));
            } else if (line.startsWith("mask ")) {
                mask = hex(line.substring("mask ".length()));
            } else if (line.equals("present yes")) {
                present = true;
            }
        }
        return new BinfmtEntry(name, enabled, interpreter, flags, offset, magic, mask, present);
    }

    /** The first enabled entry that serves {@code arch}, else the first that serves it at all. */
    static Optional<BinfmtEntry> forArch(List<BinfmtEntry> entries, String arch) {
        List<BinfmtEntry> serving = entries.stream().filter(e -> e.serves(arch)).toList();
        return serving.stream().filter(BinfmtEntry::enabled).findFirst().or(() -> serving.stream().findFirst());
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] hex(String s) {
        try {
            return HexFormat.of().parseHex(s.strip());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    @Override
    public String toString() {
        return "BinfmtEntry[" + name + (enabled ? " enabled" : " disabled") + ", " + interpreter + ", flags " + flags
                + "]";
    }
}
