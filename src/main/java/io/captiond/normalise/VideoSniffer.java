package io.captiond.normalise;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Recognises video containers from their first bytes: ISO-BMFF (MP4, QuickTime MOV), Matroska and
 * WebM (EBML), AVI (RIFF). ffprobe has the final word; this only decides which path a file takes.
 */
final class VideoSniffer {

    /** Major brands of video files; a HEIF image never carries one of these as its major brand. */
    private static final Set<String> MP4_BRANDS = Set.of("isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42",
            "avc1", "M4V ", "M4VH", "M4VP", "3gp4", "3gp5", "3gp6", "3g2a", "mmp4", "dash", "MSNV", "XAVC", "f4v ");
    /** Atoms a QuickTime file without an ftyp box (older cameras) starts with. */
    private static final Set<String> QUICKTIME_ATOMS = Set.of("moov", "mdat", "wide", "free", "skip", "pnot");

    private VideoSniffer() {
    }

    /** The video type of an ISO-BMFF file from its ftyp box, or null when it is not a video. */
    static ImageType isobmffVideo(byte[] b) {
        String major = ascii(b, 8, 4);
        if (major.equals("qt  ")) {
            return ImageType.MOV;
        }
        return MP4_BRANDS.contains(major) ? ImageType.MP4 : null;
    }

    /** Matroska/WebM, AVI or an ftyp-less QuickTime file; null otherwise. */
    static ImageType sniff(byte[] b) {
        if (b.length >= 4 && (b[0] & 0xFF) == 0x1A && (b[1] & 0xFF) == 0x45 && (b[2] & 0xFF) == 0xDF
                && (b[3] & 0xFF) == 0xA3) {
            return ascii(b, 0, Math.min(b.length, 64)).contains("webm") ? ImageType.WEBM : ImageType.MKV;
        }
        if (b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("AVI ")) {
            return ImageType.AVI;
        }
        if (b.length >= 8 && QUICKTIME_ATOMS.contains(ascii(b, 4, 4))) {
            return ImageType.MOV;
        }
        return null;
    }

    private static String ascii(byte[] b, int at, int len) {
        return new String(b, at, Math.min(len, Math.max(0, b.length - at)), StandardCharsets.ISO_8859_1);
    }
}
