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

    public static boolean isExif(byte[] jpeg, Segment s) {
        return s.marker() == 0xE1 && startsWith(jpeg, s.payloadOffset(), "Exif\0\0");
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
