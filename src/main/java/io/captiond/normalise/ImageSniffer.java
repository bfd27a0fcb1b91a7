package io.captiond.normalise;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds an image's real type from its magic bytes. An MPO is a JPEG whose first frame carries an
 * APP2 "MPF" segment before the image data, so JPEGs have their header segments walked.
 */
public final class ImageSniffer {

    /** Enough for any JPEG header segments we look at (EXIF is at most one 64 KB segment). */
    private static final int HEAD = 256 * 1024;

    private ImageSniffer() {
    }

    public static ImageType sniff(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        }
        return sniff(head);
    }

    public static ImageType sniff(byte[] b) {
        if (b.length >= 3 && u(b, 0) == 0xFF && u(b, 1) == 0xD8 && u(b, 2) == 0xFF) {
            return hasMpfSegment(b) ? ImageType.MPO : ImageType.JPEG;
        }
        if (startsWith(b, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
            return ImageType.PNG;
        }
        if (b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
            return ImageType.WEBP;
        }
        if (b.length >= 12 && ascii(b, 4, 4).equals("ftyp")) {
            ImageType video = VideoSniffer.isobmffVideo(b);
            return video != null ? video : isobmffType(b);
        }
        ImageType video = VideoSniffer.sniff(b);
        if (video != null) {
            return video;
        }
        if (b.length >= 6 && (ascii(b, 0, 6).equals("GIF87a") || ascii(b, 0, 6).equals("GIF89a"))) {
            return ImageType.GIF;
        }
        if (b.length >= 4 && (ascii(b, 0, 4).equals("II*\0") || ascii(b, 0, 4).equals("MM\0*"))) {
            return ImageType.TIFF;
        }
        if (b.length >= 2 && ascii(b, 0, 2).equals("BM")) {
            return ImageType.BMP;
        }
        return ImageType.UNKNOWN;
    }

    /** HEIF family: the major brand and the compatible brands of the ftyp box. */
    private static ImageType isobmffType(byte[] b) {
        long boxSize = ((long) u(b, 0) << 24) | (u(b, 1) << 16) | (u(b, 2) << 8) | u(b, 3);
        int end = (int) Math.min(b.length, Math.max(16, Math.min(boxSize, 4096)));
        boolean heif = false;
        boolean avif = false;
        for (int i = 8; i + 4 <= end; i += 4) {
            if (i == 12) {
                continue; // minor version, not a brand
            }
            String brand = ascii(b, i, 4);
            switch (brand) {
                case "avif", "avis" -> avif = true;
                case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "mif2", "miaf" -> heif = true;
                default -> { }
            }
        }
        String major = ascii(b, 8, 4);
        if (major.equals("avif") || major.equals("avis") || (avif && !major.startsWith("he"))) {
            return ImageType.AVIF;
        }
        return heif ? ImageType.HEIF : ImageType.UNKNOWN;
    }

    /** Walks the marker segments before the first SOS looking for APP2 with the "MPF\0" identifier. */
    static boolean hasMpfSegment(byte[] b) {
        int pos = 2;
        while (pos + 4 <= b.length) {
            if (u(b, pos) != 0xFF) {
                return false;
            }
            int marker = u(b, pos + 1);
            if (marker == 0xFF) {
                pos++;
                continue; // fill byte
            }
            if (marker == 0xDA || marker == 0xD9) {
                return false; // image data starts: no MPF in the header
            }
            int length = (u(b, pos + 2) << 8) | u(b, pos + 3);
            if (marker == 0xE2 && pos + 8 <= b.length && ascii(b, pos + 4, 4).equals("MPF\0")) {
                return true;
            }
            pos += 2 + length;
        }
        return false;
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (b.length < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int at, int len) {
        return new String(b, at, Math.min(len, Math.max(0, b.length - at)), StandardCharsets.ISO_8859_1);
    }

    private static int u(byte[] b, int i) {
        return b[i] & 0xFF;
    }
}
