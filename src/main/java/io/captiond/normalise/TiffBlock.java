package io.captiond.normalise;

/**
 * Bounds-checked access to a TIFF-style structure (EXIF, an MPO's MP index) inside a byte array:
 * offsets count from its byte order mark, and every read or write outside {@code [base, end)}
 * throws {@link IllegalArgumentException} instead of trusting the file.
 */
record TiffBlock(byte[] b, int base, int end, boolean little) {

    /** The block whose byte order mark ("II" or "MM") is at {@code base}. */
    static TiffBlock at(byte[] b, int base, int end) {
        if (base < 0 || base + 8 > end || end > b.length) {
            throw new IllegalArgumentException("TIFF block too short");
        }
        if (b[base] == 'I' && b[base + 1] == 'I') {
            return new TiffBlock(b, base, end, true);
        }
        if (b[base] == 'M' && b[base + 1] == 'M') {
            return new TiffBlock(b, base, end, false);
        }
        throw new IllegalArgumentException("no TIFF byte order mark");
    }

    int u16(int off) {
        int at = check(off, 2);
        return little ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 : (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    int u32(int off) {
        int at = check(off, 4);
        long v = little
                ? (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24
                : (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("TIFF offset out of range");
        }
        return (int) v;
    }

    void put16(int off, int v) {
        int at = check(off, 2);
        b[little ? at : at + 1] = (byte) v;
        b[little ? at + 1 : at] = (byte) (v >> 8);
    }

    void put32(int off, int v) {
        int at = check(off, 4);
        for (int i = 0; i < 4; i++) {
            b[little ? at + i : at + 3 - i] = (byte) (v >> (8 * i));
        }
    }

    void zero(int off, int len) {
        int at = check(off, len);
        java.util.Arrays.fill(b, at, at + len, (byte) 0);
    }

    private int check(int off, int len) {
        long at = (long) base + off;
        if (off < 0 || len < 0 || at + len > end) {
            throw new IllegalArgumentException("offset points outside its block");
        }
        return (int) at;
    }
}
