package io.crossgen.transport;

/**
 * Counts the entries of a tar stream as it passes, by reading its 512-byte headers (ustar and GNU formats;
 * GNU long-name and pax extension headers are not counted as entries). Gives up, and says so, on a header
 * whose checksum does not match.
 */
final class TarEntryCounter {
    private static final int BLOCK = 512;

    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    private long skip;
    private long entries;
    private boolean broken;

    void accept(byte[] b, int off, int len) {
        while (len > 0 && !broken) {
            if (skip > 0) {
                int n = (int) Math.min(skip, len);
                skip -= n;
                off += n;
                len -= n;
                continue;
            }
            int n = Math.min(BLOCK - headerFill, len);
            System.arraycopy(b, off, header, headerFill, n);
            headerFill += n;
            off += n;
            len -= n;
            if (headerFill == BLOCK) {
                headerFill = 0;
                onHeader();
            }
        }
    }

    /** The entries seen, or -1 when the stream could not be followed. */
    long entries() {
        return broken ? -1 : entries;
    }

    private void onHeader() {
        long sum = 0;
        boolean zero = true;
        for (int i = 0; i < BLOCK; i++) {
            int v = header[i] & 0xFF;
            zero &= v == 0;
            sum += i >= 148 && i < 156 ? ' ' : v;
        }
        if (zero) {
            return; // end-of-archive blocks and record padding
        }
        long stored = octal(148, 8);
        long size = size();
        if (stored != sum || size < 0) {
            broken = true;
            return;
        }
        skip = (size + BLOCK - 1) / BLOCK * BLOCK;
        byte type = header[156];
        if (type != 'L' && type != 'K' && type != 'x' && type != 'g') {
            entries++;
        }
    }

    private long size() {
        if ((header[124] & 0x80) != 0) {
            // GNU base-256: the remaining bytes of the field, big-endian.
            long v = 0;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (header[i] & 0xFF);
            }
            return v;
        }
        return octal(124, 12);
    }

    private long octal(int from, int length) {
        long v = 0;
        boolean digits = false;
        for (int i = from; i < from + length; i++) {
            int c = header[i];
            if (c >= '0' && c <= '7') {
                v = v * 8 + (c - '0');
                digits = true;
            } else if (c == 0 || c == ' ') {
                if (digits) {
                    break;
                }
            } else {
                return -1;
            }
        }
        return v;
    }
}
