package io.captiond.normalise;

/**
 * Edits an EXIF (TIFF) block in place, keeping its length: sets Orientation to 1 once the pixels
 * are upright, and blanks the GPS directory (entries and the values they point at) when location
 * must not travel into the dataset. Hand-written because metadata-extractor only reads, and
 * rewriting EXIF through a writer would drop maker notes that cameras put at fixed offsets.
 */
public final class ExifPatcher {

    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TAG_GPS_IFD = 0x8825;
    private static final int[] TYPE_SIZES = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8};

    private ExifPatcher() {
    }

    /** What a patch did. */
    public record Result(boolean orientationReset, boolean gpsRemoved) {
    }

    /**
     * Patches the TIFF structure starting at {@code tiff} in {@code b} (just after "Exif\0\0").
     *
     * @throws IllegalArgumentException when the block is not a TIFF structure captiond can walk
     */
    public static Result patch(byte[] b, int tiff, int end, boolean resetOrientation, boolean removeGps) {
        if (tiff + 8 > end) {
            throw new IllegalArgumentException("EXIF block too short");
        }
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            throw new IllegalArgumentException("EXIF block has no TIFF byte order mark");
        }
        Reader r = new Reader(b, tiff, end, little);
        int ifd0 = r.u32(4);
        int count = r.u16(ifd0);
        boolean orientation = false;
        boolean gps = false;
        for (int i = 0; i < count; i++) {
            int entry = ifd0 + 2 + i * 12;
            int tag = r.u16(entry);
            if (tag == TAG_ORIENTATION && resetOrientation && r.u16(entry + 8) != 1) {
                r.put16(entry + 8, 1);
                orientation = true;
            } else if (tag == TAG_GPS_IFD && removeGps) {
                blankDirectory(r, r.u32(entry + 8));
                gps = true;
            }
        }
        return new Result(orientation, gps);
    }

    private static void blankDirectory(Reader r, int ifd) {
        int count = r.u16(ifd);
        for (int i = 0; i < count; i++) {
            int entry = ifd + 2 + i * 12;
            int type = r.u16(entry + 2);
            long size = (long) r.u32(entry + 4) * (type > 0 && type < TYPE_SIZES.length ? TYPE_SIZES[type] : 1);
            if (size > 4) {
                r.zero(r.u32(entry + 8), (int) Math.min(size, Integer.MAX_VALUE));
            }
            r.zero(entry, 12);
        }
        r.put16(ifd, 0);
    }

    /** Bounds-checked access to TIFF offsets, which count from the byte order mark. */
    private record Reader(byte[] b, int base, int end, boolean little) {

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
                throw new IllegalArgumentException("EXIF offset out of range");
            }
            return (int) v;
        }

        void put16(int off, int v) {
            int at = check(off, 2);
            b[little ? at : at + 1] = (byte) v;
            b[little ? at + 1 : at] = (byte) (v >> 8);
        }

        void zero(int off, int len) {
            int at = check(off, len);
            java.util.Arrays.fill(b, at, at + len, (byte) 0);
        }

        private int check(int off, int len) {
            long at = (long) base + off;
            if (off < 0 || len < 0 || at + len > end) {
                throw new IllegalArgumentException("EXIF offset points outside its block");
            }
            return (int) at;
        }
    }
}
