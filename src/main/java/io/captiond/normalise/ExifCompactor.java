package io.captiond.normalise;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Rebuilds an EXIF (TIFF) block with its standard directories (IFD0, Exif, GPS, Interoperability,
 * IFD1 and its thumbnail) and without the vendor's MakerNote, laid out afresh with no gaps. Some
 * phones (Xiaomi) write 100 KB+ of proprietary data into EXIF while the real EXIF is a few KB; one
 * JPEG APP1 segment holds 64 KB, so without this the whole block would be lost. Hand-written:
 * metadata-extractor only reads, and Commons Imaging's writer is an extra dependency for 100 lines.
 */
final class ExifCompactor {

    private static final int TAG_MAKER_NOTE = 0x927C;
    private static final int TAG_THUMBNAIL_OFFSET = 0x0201;
    private static final int TAG_THUMBNAIL_LENGTH = 0x0202;
    private static final int[] SUB_IFDS = {0x8769, 0x8825, 0xA005};
    private static final int[] TYPE_SIZES = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8};
    private static final int MAX_DEPTH = 4;

    private final TiffBlock in;
    private final ByteBuffer out;

    private ExifCompactor(TiffBlock in, int capacity) {
        this.in = in;
        this.out = ByteBuffer.allocate(capacity).order(in.little() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    }

    /**
     * The TIFF block at {@code b[offset, offset + length)} without its MakerNote.
     *
     * @throws IllegalArgumentException when the block is not a TIFF structure captiond can walk
     */
    static byte[] withoutMakerNote(byte[] b, int offset, int length) {
        TiffBlock in = TiffBlock.at(b, offset, offset + length);
        ExifCompactor c = new ExifCompactor(in, length + 64);
        c.out.put(in.little() ? (byte) 'I' : (byte) 'M').put(in.little() ? (byte) 'I' : (byte) 'M').putShort((short) 42).putInt(8);
        c.copyIfd(in.u32(4), 4, 0, true);
        return Arrays.copyOf(c.out.array(), c.out.position());
    }

    /** Copies the IFD at source offset {@code ifd} to the end of the output and points {@code pointerAt} at it. */
    private void copyIfd(int ifd, int pointerAt, int depth, boolean followNext) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("EXIF directories nested too deep");
        }
        int count = in.u16(ifd);
        int kept = 0;
        for (int i = 0; i < count; i++) {
            kept += in.u16(ifd + 2 + i * 12) == TAG_MAKER_NOTE ? 0 : 1;
        }
        int at = out.position();
        out.putInt(pointerAt, at);
        out.putShort((short) kept);
        int entries = out.position();
        out.position(entries + kept * 12 + 4);
        out.putInt(entries + kept * 12, 0); // no next IFD unless copied below
        int[] thumbnail = new int[2];
        int thumbnailEntry = -1;
        int slot = entries;
        for (int i = 0; i < count; i++) {
            int e = ifd + 2 + i * 12;
            int tag = in.u16(e);
            if (tag == TAG_MAKER_NOTE) {
                continue;
            }
            int type = in.u16(e + 2);
            int n = in.u32(e + 4);
            out.putShort(slot, (short) tag).putShort(slot + 2, (short) type).putInt(slot + 4, n);
            long size = (long) n * (type > 0 && type < TYPE_SIZES.length ? TYPE_SIZES[type] : 1);
            if (isSubIfd(tag)) {
                int end = out.position();
                copyIfd(in.u32(e + 8), slot + 8, depth + 1, false);
                if (out.position() == end) {
                    out.putInt(slot + 8, 0);
                }
            } else if (size > 4) {
                if (size > in.end() - in.base()) {
                    throw new IllegalArgumentException("EXIF value larger than its block");
                }
                align();
                out.putInt(slot + 8, out.position());
                copy(in.u32(e + 8), (int) size);
            } else {
                for (int k = 0; k < 4; k++) {
                    out.put(slot + 8 + k, in.b()[in.base() + e + 8 + k]);
                }
            }
            if (tag == TAG_THUMBNAIL_OFFSET) {
                thumbnail[0] = in.u32(e + 8);
                thumbnailEntry = slot;
            } else if (tag == TAG_THUMBNAIL_LENGTH) {
                thumbnail[1] = in.u32(e + 8);
            }
            slot += 12;
        }
        if (thumbnailEntry >= 0 && thumbnail[1] > 0) {
            out.putInt(thumbnailEntry + 8, out.position());
            copy(thumbnail[0], thumbnail[1]);
        }
        int next = in.u32(ifd + 2 + count * 12);
        if (followNext && next != 0) { // IFD1: the thumbnail's directory
            align();
            copyIfd(next, entries + kept * 12, depth + 1, false);
        }
    }

    private void copy(int from, int length) {
        in.u16(from); // bounds: the start
        if (length > 0) {
            in.u16(from + length - 2 >= from ? from + length - 2 : from); // bounds: the end
        }
        out.put(in.b(), in.base() + from, length);
    }

    private void align() {
        if ((out.position() & 1) != 0) {
            out.put((byte) 0);
        }
    }

    private static boolean isSubIfd(int tag) {
        for (int t : SUB_IFDS) {
            if (t == tag) {
                return true;
            }
        }
        return false;
    }
}
