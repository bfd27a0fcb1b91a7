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

    private static final int TAG_IMAGE_WIDTH = 0x0100;
    private static final int TAG_IMAGE_LENGTH = 0x0101;
    private static final int TAG_EXIF_IFD = 0x8769;
    private static final int TAG_PIXEL_X = 0xA002;
    private static final int TAG_PIXEL_Y = 0xA003;
    private static final int TAG_THUMBNAIL_OFFSET = 0x0201;
    private static final int TAG_THUMBNAIL_LENGTH = 0x0202;

    /**
     * After the pixels were turned: the size tags (IFD0 ImageWidth/ImageLength, EXIF
     * PixelXDimension/PixelYDimension, where present) say the new size, and the IFD1 thumbnail,
     * which still shows the old orientation, is unlinked and its bytes blanked. Returns true when a
     * thumbnail was dropped.
     *
     * @throws IllegalArgumentException when the block is not a TIFF structure captiond can walk
     */
    public static boolean turned(byte[] b, int tiff, int end, int width, int height) {
        TiffBlock r = TiffBlock.at(b, tiff, end);
        int ifd0 = r.u32(4);
        int count = r.u16(ifd0);
        for (int i = 0; i < count; i++) {
            int entry = ifd0 + 2 + i * 12;
            switch (r.u16(entry)) {
                case TAG_IMAGE_WIDTH -> putNumber(r, entry, width);
                case TAG_IMAGE_LENGTH -> putNumber(r, entry, height);
                case TAG_EXIF_IFD -> {
                    int sub = r.u32(entry + 8);
                    int subCount = r.u16(sub);
                    for (int j = 0; j < subCount; j++) {
                        int e = sub + 2 + j * 12;
                        if (r.u16(e) == TAG_PIXEL_X) {
                            putNumber(r, e, width);
                        } else if (r.u16(e) == TAG_PIXEL_Y) {
                            putNumber(r, e, height);
                        }
                    }
                }
                default -> { }
            }
        }
        int next = ifd0 + 2 + count * 12;
        int ifd1 = r.u32(next);
        if (ifd1 == 0) {
            return false;
        }
        r.put32(next, 0);
        try {
            int thumbCount = r.u16(ifd1);
            int offset = -1;
            int length = -1;
            for (int i = 0; i < thumbCount; i++) {
                int entry = ifd1 + 2 + i * 12;
                if (r.u16(entry) == TAG_THUMBNAIL_OFFSET) {
                    offset = r.u32(entry + 8);
                } else if (r.u16(entry) == TAG_THUMBNAIL_LENGTH) {
                    length = r.u32(entry + 8);
                }
            }
            if (offset > 0 && length > 0) {
                r.zero(offset, length);
            }
            blankDirectory(r, ifd1);
        } catch (IllegalArgumentException e) {
            // unlinked is enough: no reader finds a thumbnail that nothing points at
        }
        return true;
    }

    /** A SHORT or LONG value held in the entry itself. */
    private static void putNumber(TiffBlock r, int entry, int value) {
        int type = r.u16(entry + 2);
        if (type == 3 && value <= 0xFFFF) {
            r.put16(entry + 8, value);
        } else if (type == 4) {
            r.put32(entry + 8, value);
        }
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
