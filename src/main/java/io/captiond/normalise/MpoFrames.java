package io.captiond.normalise;

import java.util.List;

/**
 * Where an MPO's primary frame ends. An MPO (CIPA DC-007: 3D cameras, iPhone gain maps) is several
 * JPEG streams back to back; the first carries an APP2 "MPF" index of every frame's size and
 * offset, offsets counted from the MP header (the byte order mark inside that APP2). The index is
 * the truth: a scan for the first FFD9 would stop inside an EXIF thumbnail. When the index is
 * broken, the frame's markers are walked instead (segments skipped by their lengths, entropy-coded
 * data scanned for the marker that ends it). Hand-written: metadata-extractor reads MPF tags but not
 * the frame boundaries, and ImageIO has no MPO reader.
 */
final class MpoFrames {

    private static final int TAG_NUMBER_OF_IMAGES = 0xB001;
    private static final int TAG_MP_ENTRY = 0xB002;

    private MpoFrames() {
    }

    /**
     * The primary frame: its length from the start of the file, the number of frames in the file,
     * and a note when the MPF index could not be used.
     */
    record Primary(int length, int frames, String note) {
    }

    static Primary primary(byte[] mpo) {
        String problem;
        try {
            return fromIndex(mpo);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            problem = e.getMessage();
        }
        int end = walk(mpo, 0);
        if (end < 0) {
            throw new RejectedInputException("broken MPO: its MPF index is unusable (" + problem
                    + ") and its first frame has no end marker");
        }
        int frames = 1;
        for (int next = nextSoi(mpo, end); next >= 0; next = nextSoi(mpo, end)) {
            end = walk(mpo, next);
            if (end < 0) {
                break;
            }
            frames++;
        }
        return new Primary(walk(mpo, 0), frames, "MPO index unusable (" + problem
                + "): primary frame found by walking its markers");
    }

    private static Primary fromIndex(byte[] b) {
        JpegSegments.Segment mpf = JpegSegments.header(b).stream()
                .filter(s -> s.marker() == 0xE2 && s.payloadLength() >= 12 && b[s.payloadOffset()] == 'M'
                        && b[s.payloadOffset() + 1] == 'P' && b[s.payloadOffset() + 2] == 'F' && b[s.payloadOffset() + 3] == 0)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no APP2 MPF segment"));
        TiffBlock t = TiffBlock.at(b, mpf.payloadOffset() + 4, mpf.offset() + mpf.length());
        int ifd = t.u32(4);
        int count = t.u16(ifd);
        long images = -1;
        int entries = -1;
        for (int i = 0; i < count; i++) {
            int entry = ifd + 2 + i * 12;
            int tag = t.u16(entry);
            if (tag == TAG_NUMBER_OF_IMAGES) {
                images = t.u32(entry + 8);
            } else if (tag == TAG_MP_ENTRY) {
                entries = t.u32(entry + 8);
            }
        }
        if (images < 1 || entries < 0) {
            throw new IllegalArgumentException("no NumberOfImages or MPEntry tag");
        }
        int size = t.u32(entries + 4);
        int offset = t.u32(entries + 8);
        if (offset != 0 || size < 4 || size > b.length) {
            throw new IllegalArgumentException("first MP entry gives size " + size + " at offset " + offset
                    + " in a file of " + b.length + " bytes");
        }
        int end = walk(b, 0);
        if (end < 0 || end > size || !blank(b, end, size)) {
            throw new IllegalArgumentException("first MP entry's " + size + " bytes do not end with its EOI marker");
        }
        for (int i = 1; i < images; i++) {
            long frame = t.base() + (long) t.u32(entries + i * 16 + 8);
            if (frame + 2 > b.length || (b[(int) frame] & 0xFF) != 0xFF || (b[(int) frame + 1] & 0xFF) != 0xD8) {
                throw new IllegalArgumentException("MP entry " + (i + 1) + " does not point at a JPEG frame");
            }
        }
        return new Primary(end, (int) images, null);
    }

    /** True when b[from, to) is padding only (zero or 0xFF bytes). */
    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0 && b[i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    /**
     * Walks one JPEG stream from its SOI at {@code start}; returns the offset just past its EOI, or -1.
     * Header segments (EXIF thumbnails with their own FFD9 included) are skipped by their lengths;
     * in entropy-coded data, FF00 is a stuffed byte and FFD0-FFD7 are restart markers.
     */
    static int walk(byte[] b, int start) {
        if (start + 4 > b.length || (b[start] & 0xFF) != 0xFF || (b[start + 1] & 0xFF) != 0xD8) {
            return -1;
        }
        int pos = start + 2;
        boolean inScan = false;
        while (pos + 1 < b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                if (!inScan) {
                    return -1;
                }
                pos++;
                continue;
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
            } else if (marker == 0x00 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                pos += 2; // stuffed byte, restart marker or TEM: still inside the scan
            } else if (marker == 0xD9) {
                return pos + 2;
            } else {
                if (pos + 4 > b.length) {
                    return -1;
                }
                int length = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
                if (length < 2) {
                    return -1;
                }
                pos += 2 + length;
                inScan = marker == 0xDA;
            }
        }
        return -1;
    }

    private static int nextSoi(byte[] b, int from) {
        for (int i = from; i + 2 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD8 && (b[i + 2] & 0xFF) == 0xFF) {
                return i;
            }
        }
        return -1;
    }

    /** A copy of a JPEG frame without its APP2 MPF segment, whose index points at frames no longer there. */
    static byte[] withoutMpfSegment(byte[] frame) {
        List<JpegSegments.Segment> header = JpegSegments.header(frame);
        for (JpegSegments.Segment s : header) {
            int p = s.payloadOffset();
            if (s.marker() == 0xE2 && s.payloadLength() >= 4 && frame[p] == 'M' && frame[p + 1] == 'P'
                    && frame[p + 2] == 'F' && frame[p + 3] == 0) {
                byte[] out = new byte[frame.length - s.length()];
                System.arraycopy(frame, 0, out, 0, s.offset());
                System.arraycopy(frame, s.offset() + s.length(), out, s.offset(), frame.length - s.offset() - s.length());
                return out;
            }
        }
        return frame;
    }
}
