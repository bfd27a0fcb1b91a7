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
        TiffBlock r = TiffBlock.at(b, tiff, end);
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

    private static void blankDirectory(TiffBlock r, int ifd) {
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
}
