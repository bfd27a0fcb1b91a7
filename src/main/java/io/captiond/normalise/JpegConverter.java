package io.captiond.normalise;

import io.captiond.support.AtomicFiles;
import java.awt.image.BufferedImage;
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

    private final PixelLimit pixelLimit;
    private final boolean stripGps;

    public JpegConverter(PixelLimit pixelLimit, io.captiond.config.CaptiondProperties props) {
        this.pixelLimit = pixelLimit;
        this.stripGps = props.normalise().stripGps();
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
        byte[] jpeg = Files.readAllBytes(source);
        List<JpegSegments.Segment> header = JpegSegments.header(jpeg);
        if (header.isEmpty() || !JpegSegments.endsWithEoi(jpeg)) {
            throw new RejectedInputException("broken JPEG: the file is truncated or not a complete JPEG stream");
        }
        int[] size = pixelLimit.check(source);
        List<String> warnings = new ArrayList<>();
        boolean blankGps = stripGps && exif.hasGps();
        if (exif.orientation() == 1) {
            if (blankGps) {
                patchExifInPlace(jpeg, header, false, true);
                AtomicFiles.write(target, out -> out.write(jpeg));
                warnings.add("GPS location removed from EXIF");
            } else {
                AtomicFiles.write(target, out -> Files.copy(source, out));
            }
            return new Converted("jpeg", size[0], size[1], warnings);
        }
        BufferedImage decoded = ImageIO.read(source.toFile());
        if (decoded == null) {
            throw new RejectedInputException("broken JPEG: no decoder could read it");
        }
        BufferedImage upright = Orientation.upright(Pixels.opaqueRgb(decoded, java.awt.Color.WHITE), exif.orientation());
        byte[] encoded = Pixels.encodeJpeg(upright, QUALITY);
        byte[] result = JpegSegments.withSegments(encoded, carriedSegments(jpeg, header, blankGps));
        AtomicFiles.write(target, out -> out.write(result));
        warnings.add("EXIF orientation " + exif.orientation() + " baked into the pixels (re-encoded at quality 95)");
        if (blankGps) {
            warnings.add("GPS location removed from EXIF");
        }
        return new Converted("jpeg", upright.getWidth(), upright.getHeight(), warnings);
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

    private static void patchExifInPlace(byte[] jpeg, List<JpegSegments.Segment> header, boolean orientation, boolean gps) {
        for (JpegSegments.Segment s : header) {
            if (JpegSegments.isExif(jpeg, s)) {
                try {
                    ExifPatcher.patch(jpeg, s.payloadOffset() + 6, s.offset() + s.length(), orientation, gps);
                } catch (IllegalArgumentException e) {
                    throw new RejectedInputException("EXIF block is malformed and may hold a location: " + e.getMessage());
                }
            }
        }
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
