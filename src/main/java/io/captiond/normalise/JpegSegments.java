package io.captiond.normalise;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The marker segments of a JPEG header (everything before the scan data), so that EXIF and ICC
 * segments can be carried from a source to a re-encoded image byte for byte. Hand-written: ImageIO
 * rewrites metadata through its own tree and loses or reorders segments it does not model.
 */
public final class JpegSegments {

    /** One header segment: its marker and where its bytes (marker included) sit in the file. */
    public record Segment(int marker, int offset, int length) {

        public byte[] bytes(byte[] jpeg) {
            return java.util.Arrays.copyOfRange(jpeg, offset, offset + length);
        }

        /** The payload after the two length bytes. */
        public int payloadOffset() {
            return offset + 4;
        }

        public int payloadLength() {
            return length - 4;
        }
    }

    private JpegSegments() {
    }

    /** The segments between SOI and the first SOS; empty when {@code jpeg} is not a JPEG. */
    public static List<Segment> header(byte[] jpeg) {
        List<Segment> segments = new ArrayList<>();
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            return segments;
        }
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) {
                break;
            }
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int length = 2 + (((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF));
            if (length < 4 || pos + length > jpeg.length) {
                break;
            }
            segments.add(new Segment(marker, pos, length));
            pos += length;
        }
        return segments;
    }

    /**
     * Width and height from the frame header (SOFn) among {@code header}, or null when there is
     * none: read straight from the bytes, no ImageIO reader is needed for two numbers.
     */
    public static int[] frameSize(byte[] jpeg, List<Segment> header) {
        for (Segment s : header) {
            int m = s.marker();
            boolean sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
            if (sof && s.payloadLength() >= 5) {
                int p = s.payloadOffset();
                int height = (jpeg[p + 1] & 0xFF) << 8 | (jpeg[p + 2] & 0xFF);
                int width = (jpeg[p + 3] & 0xFF) << 8 | (jpeg[p + 4] & 0xFF);
                return new int[] {width, height};
            }
        }
        return null;
    }

    /**
     * The frame's sampling factors, {H, V} per component, from the frame header (SOFn) among
     * {@code header}, or null when there is none. {2,2},{1,1},{1,1} is 4:2:0; all {1,1} is 4:4:4.
     */
    public static int[][] samplingFactors(byte[] jpeg, List<Segment> header) {
        for (Segment s : header) {
            int m = s.marker();
            boolean sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
            if (sof && s.payloadLength() >= 6) {
                int p = s.payloadOffset();
                int n = jpeg[p + 5] & 0xFF;
                if (s.payloadLength() < 6 + 3 * n) {
                    return null;
                }
                int[][] factors = new int[n][];
                for (int i = 0; i < n; i++) {
                    int hv = jpeg[p + 6 + 3 * i + 1] & 0xFF;
                    factors[i] = new int[] {hv >> 4, hv & 0x0F};
                }
                return factors;
            }
        }
        return null;
    }

    public static boolean isExif(byte[] jpeg, Segment s) {
        return s.marker() == 0xE1 && startsWith(jpeg, s.payloadOffset(), "Exif\0\0");
    }

    /** APP2 "MPF\0": the index of an MPO's frames. */
    public static boolean isMpf(byte[] jpeg, Segment s) {
        return s.marker() == 0xE2 && startsWith(jpeg, s.payloadOffset(), "MPF\0");
    }

    public static boolean isIcc(byte[] jpeg, Segment s) {
        return s.marker() == 0xE2 && startsWith(jpeg, s.payloadOffset(), "ICC_PROFILE\0");
    }

    /**
     * Returns {@code encoded} (a fresh JPEG from ImageIO) with its JFIF/APP segments replaced by
     * {@code carried}, the EXIF and ICC segments of the source (already patched).
     */
    public static byte[] withSegments(byte[] encoded, List<byte[]> carried) {
        List<Segment> own = header(encoded);
        int skipTo = 2;
        for (Segment s : own) {
            if (s.marker() >= 0xE0 && s.marker() <= 0xEF) {
                if (s.offset() == skipTo) {
                    skipTo = s.offset() + s.length();
                    continue;
                }
            }
            break;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + 70_000);
        out.write(0xFF);
        out.write(0xD8);
        carried.forEach(out::writeBytes);
        out.write(encoded, skipTo, encoded.length - skipTo);
        return out.toByteArray();
    }

    /** A copy of {@code jpeg} with {@code segment} inserted after SOI (and after a leading JFIF APP0). */
    public static byte[] withInserted(byte[] jpeg, byte[] segment) {
        List<Segment> own = header(jpeg);
        int at = !own.isEmpty() && own.get(0).marker() == 0xE0 ? own.get(0).offset() + own.get(0).length() : 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + segment.length);
        out.write(jpeg, 0, at);
        out.writeBytes(segment);
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    /** A copy of {@code jpeg} without the header segments in {@code drop}. */
    public static byte[] without(byte[] jpeg, List<Segment> drop) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
        int pos = 0;
        for (Segment s : drop) {
            out.write(jpeg, pos, s.offset() - pos);
            pos = s.offset() + s.length();
        }
        out.write(jpeg, pos, jpeg.length - pos);
        return out.toByteArray();
    }

    /**
     * An EXIF block that did not fit one segment and was spread over several APP1 segments (libheif
     * 1.15 does this with 100 KB+ EXIF): the "Exif" segment and the APP1 continuations after it.
     * Readers see a truncated EXIF and a stray segment, so such a block is dropped; empty when none.
     */
    public static List<Segment> splitExif(byte[] jpeg, List<Segment> header) {
        for (int i = 0; i < header.size(); i++) {
            Segment s = header.get(i);
            if (isExif(jpeg, s)) {
                List<Segment> parts = new ArrayList<>(List.of(s));
                for (int j = i + 1; j < header.size() && header.get(j).marker() == 0xE1
                        && !isExif(jpeg, header.get(j)) && !startsWith(jpeg, header.get(j).payloadOffset(), "http://"); j++) {
                    parts.add(header.get(j));
                }
                return parts.size() > 1 ? parts : List.of();
            }
        }
        return List.of();
    }

    /** Most bytes a marker segment's payload can hold: its 16-bit length counts itself. */
    public static final int MAX_PAYLOAD = 65535 - 2;

    /**
     * An APP1 EXIF segment around a TIFF block, or null when it would not fit in one segment
     * (cameras that write 100 KB+ maker notes exist; JPEG has no standard way to split EXIF).
     */
    public static byte[] exifSegment(byte[] tiff, int offset, int length) {
        if (6 + length > MAX_PAYLOAD) {
            return null;
        }
        return segment(0xE1, "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), tiff, offset, length);
    }

    /** An ICC profile as APP2 "ICC_PROFILE" segments (chunked when it is over 64 KB). */
    public static List<byte[]> iccSegments(byte[] icc) {
        int chunk = MAX_PAYLOAD - 14;
        int count = (icc.length + chunk - 1) / chunk;
        List<byte[]> segments = new ArrayList<>();
        for (int i = 0; i < count && count < 256; i++) {
            ByteArrayOutputStream prefix = new ByteArrayOutputStream(14);
            prefix.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
            prefix.write(i + 1); // sequence number, then the number of chunks
            prefix.write(count);
            int from = i * chunk;
            segments.add(segment(0xE2, prefix.toByteArray(), icc, from, Math.min(chunk, icc.length - from)));
        }
        return segments;
    }

    /** Marker, length, {@code prefix}, then {@code data[offset, offset + length)}. */
    private static byte[] segment(int marker, byte[] prefix, byte[] data, int offset, int length) {
        int payload = prefix.length + length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload + 4);
        out.write(0xFF);
        out.write(marker);
        out.write((payload + 2) >> 8);
        out.write((payload + 2) & 0xFF);
        out.writeBytes(prefix);
        out.write(data, offset, length);
        return out.toByteArray();
    }

    /** True when the bytes after the last segment end with an EOI marker (trailing padding allowed). */
    public static boolean endsWithEoi(byte[] tail) {
        for (int i = tail.length - 2; i >= 0 && i >= tail.length - 4096; i--) {
            if ((tail[i] & 0xFF) == 0xFF && (tail[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
            if (tail[i + 1] != 0 && (tail[i + 1] & 0xFF) != 0xFF) {
                return false; // padding is zero or 0xFF bytes only
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] b, int at, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
        if (at + p.length > b.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (b[at + i] != p[i]) {
                return false;
            }
        }
        return true;
    }
}
