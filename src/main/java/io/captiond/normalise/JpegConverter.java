package io.captiond.normalise;

import io.captiond.support.Pixels;

import io.captiond.support.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.springframework.stereotype.Component;

/**
 * JPEG members. Upright JPEGs (orientation 1) pass through byte for byte, unless GPS must be blanked
 * (then only EXIF bytes change, in place). Rotated ones are decoded, made upright and re-encoded
 * at high quality, carrying their EXIF (Orientation reset to 1) and ICC profile across unchanged.
 */
@Component
public class JpegConverter implements ImageConverter {

    static final float QUALITY = 0.95f;
    static final String GPS_REMOVED = "GPS location removed from EXIF";

    private final PixelLimit pixelLimit;
    private final boolean stripGps;
    private final int maxSide;

    public JpegConverter(PixelLimit pixelLimit, io.captiond.config.CaptiondProperties props) {
        this.pixelLimit = pixelLimit;
        this.stripGps = props.normalise().stripGps();
        this.maxSide = props.normalise().maxSide();
    }

    @Override
    public boolean handles(ImageType type) {
        return type == ImageType.JPEG;
    }

    @Override
    public String outputExtension(ImageType type, ExifFacts exif) {
        return "jpg";
    }

    @Override
    public Converted convert(Path source, Path target, ImageType type, ExifFacts exif) throws IOException {
        return convert(Files.readAllBytes(source), target, exif, List.of());
    }

    /**
     * Makes a member of a complete JPEG stream held in memory: a JPEG file, or the primary frame
     * cut out of an MPO. {@code notes} are warnings the caller already has for the manifest.
     */
    Converted convert(byte[] jpeg, Path target, ExifFacts exif, List<String> notes) throws IOException {
        List<JpegSegments.Segment> header = JpegSegments.header(jpeg);
        if (header.isEmpty() || !JpegSegments.endsWithEoi(jpeg)) {
            throw new RejectedInputException("broken JPEG: the file is truncated or not a complete JPEG stream");
        }
        int[] size = JpegSegments.frameSize(jpeg, header);
        if (size == null) {
            throw new RejectedInputException("broken JPEG: no frame header (SOF) before its image data");
        }
        pixelLimit.check(size[0], size[1]);
        List<String> warnings = new ArrayList<>(notes);
        boolean blankGps = stripGps && exif.hasGps();
        boolean shrink = maxSide > 0 && Math.max(size[0], size[1]) > maxSide;
        if (exif.orientation() == 1 && !shrink) {
            if (blankGps) {
                patchExifInPlace(jpeg, header, false, true);
                warnings.add(GPS_REMOVED);
            }
            AtomicFiles.write(target, out -> out.write(jpeg));
            return new Converted("jpeg", size[0], size[1], warnings);
        }
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
        if (decoded == null) {
            throw new RejectedInputException("broken JPEG: no decoder could read it");
        }
        BufferedImage upright = Orientation.upright(Pixels.opaqueRgb(decoded, java.awt.Color.WHITE), exif.orientation());
        if (exif.orientation() != 1) {
            warnings.add("EXIF orientation " + exif.orientation() + " baked into the pixels (re-encoded at quality 95)");
        }
        if (shrink) {
            BufferedImage full = upright;
            upright = Pixels.fitWithin(full, maxSide);
            warnings.add(downscaled(full, upright));
        }
        byte[] encoded = Pixels.encodeJpeg(upright, QUALITY);
        byte[] result = JpegSegments.withSegments(encoded, carriedSegments(jpeg, header, blankGps));
        AtomicFiles.write(target, out -> out.write(result));
        if (blankGps) {
            warnings.add(GPS_REMOVED);
        }
        return new Converted("jpeg", upright.getWidth(), upright.getHeight(), warnings);
    }

    static String downscaled(BufferedImage from, BufferedImage to) {
        return "downscaled from " + from.getWidth() + "x" + from.getHeight() + " to " + to.getWidth() + "x"
                + to.getHeight() + " (captiond.normalise.max-side)";
    }

    /** The source's EXIF (Orientation=1, GPS blanked if asked) and RGB ICC profile segments. */
    static List<byte[]> carriedSegments(byte[] jpeg, List<JpegSegments.Segment> header, boolean blankGps) {
        List<byte[]> carried = new ArrayList<>();
        boolean rgbProfile = header.stream().anyMatch(s -> JpegSegments.isIcc(jpeg, s) && firstIccChunkIsRgb(jpeg, s));
        for (JpegSegments.Segment s : header) {
            if (JpegSegments.isExif(jpeg, s)) {
                byte[] copy = s.bytes(jpeg);
                try {
                    ExifPatcher.patch(copy, 4 + 6, copy.length, true, blankGps);
                    carried.add(copy);
                } catch (IllegalArgumentException e) {
                    // an EXIF block we cannot walk is dropped rather than carried with a wrong orientation
                }
            } else if (JpegSegments.isIcc(jpeg, s) && rgbProfile) {
                carried.add(s.bytes(jpeg));
            }
        }
        return carried;
    }

    /** Patches every EXIF segment of {@code jpeg} in place; returns what changed. */
    static ExifPatcher.Result patchExifInPlace(byte[] jpeg, List<JpegSegments.Segment> header, boolean orientation,
            boolean gps) {
        boolean reset = false;
        boolean removed = false;
        for (JpegSegments.Segment s : header) {
            if (JpegSegments.isExif(jpeg, s)) {
                try {
                    ExifPatcher.Result r = ExifPatcher.patch(jpeg, s.payloadOffset() + 6, s.offset() + s.length(),
                            orientation, gps);
                    reset |= r.orientationReset();
                    removed |= r.gpsRemoved();
                } catch (IllegalArgumentException e) {
                    throw new RejectedInputException("EXIF block is malformed and may hold a location: " + e.getMessage());
                }
            }
        }
        return new ExifPatcher.Result(reset, removed);
    }

    /**
     * Only RGB profiles are carried: a CMYK JPEG is converted to RGB by the decoder, so its CMYK
     * profile would no longer describe the pixels. The colour space sits at bytes 16-19 of the
     * profile, which starts after "ICC_PROFILE\0", a sequence number and a count.
     */
    private static boolean firstIccChunkIsRgb(byte[] jpeg, JpegSegments.Segment s) {
        int profile = s.payloadOffset() + 14;
        return jpeg[s.payloadOffset() + 12] == 1 && profile + 20 <= s.offset() + s.length()
                && new String(jpeg, profile + 16, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("RGB ");
    }
}
