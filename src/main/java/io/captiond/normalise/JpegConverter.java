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
 * (then only EXIF bytes change, in place). Rotated ones are turned losslessly by jpegtran (see
 * {@link JpegTran}) when their size allows a perfect turn: no pixel changes. When it does not (an
 * edge that is not a whole number of MCUs on a side the turn moves) they are decoded, turned and
 * re-encoded at quality 95 <b>with the source's chroma subsampling</b>: every pixel is kept, mean
 * error about 1 unit of 255. jpegtran's {@code -trim} was measured as the other choice: exact on
 * what it keeps but it cuts up to 15 pixel rows or columns off the photo, which changes its
 * framing and size (bench/normalise.sh prints both). Either way EXIF (Orientation 1, new size tags,
 * no sideways IFD1 thumbnail) and every other marker segment (ICC, XMP) are carried across.
 */
@Component
public class JpegConverter implements ImageConverter {

    static final float QUALITY = 0.95f;
    static final String GPS_REMOVED = "GPS location removed from EXIF";

    private final PixelLimit pixelLimit;
    private final JpegTran jpegTran;
    private final boolean stripGps;
    private final int maxSide;

    @org.springframework.beans.factory.annotation.Autowired
    public JpegConverter(PixelLimit pixelLimit, JpegTran jpegTran, io.captiond.config.CaptiondProperties props) {
        this.pixelLimit = pixelLimit;
        this.jpegTran = jpegTran;
        this.stripGps = props.normalise().stripGps();
        this.maxSide = props.normalise().maxSide();
    }

    /** With a jpegtran of its own (tests, bench). */
    public JpegConverter(PixelLimit pixelLimit, io.captiond.config.CaptiondProperties props) {
        this(pixelLimit, new JpegTran(props), props);
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
        int orientation = exif.orientation();
        if (orientation == 1 && !shrink) {
            if (blankGps) {
                patchExifInPlace(jpeg, header, false, true);
                warnings.add(GPS_REMOVED);
            }
            AtomicFiles.write(target, out -> out.write(jpeg));
            return new Converted("jpeg", size[0], size[1], warnings);
        }
        int[][] sampling = JpegSegments.samplingFactors(jpeg, header);
        boolean swap = Orientation.swapsSides(orientation);
        int width = swap ? size[1] : size[0];
        int height = swap ? size[0] : size[1];
        String why = null;
        if (orientation != 1 && !shrink) {
            String missing = jpegTran.problem();
            byte[] turned = missing == null ? jpegTran.upright(jpeg, orientation) : null;
            if (turned != null) {
                byte[] member = withTurnedExif(turned, width, height, blankGps, warnings);
                AtomicFiles.write(target, out -> out.write(member));
                warnings.add("EXIF orientation " + orientation + " applied losslessly (jpegtran -perfect): no pixel changed");
                return new Converted("jpeg", width, height, warnings);
            }
            why = missing != null ? missing
                    : size[0] + "x" + size[1] + " is not a whole number of " + mcu(sampling) + " blocks on the side this turn moves";
        }
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
        if (decoded == null) {
            throw new RejectedInputException("broken JPEG: no decoder could read it");
        }
        BufferedImage upright = Orientation.upright(Pixels.opaqueRgb(decoded, java.awt.Color.WHITE), orientation);
        if (orientation != 1) {
            warnings.add("EXIF orientation " + orientation + " baked into the pixels, re-encoded at quality 95 keeping "
                    + SamplingJpegEncoder.describe(sampling) + " (no lossless turn: " + why + ")");
        }
        if (shrink) {
            BufferedImage full = upright;
            upright = Pixels.fitWithin(full, maxSide);
            warnings.add(downscaled(full, upright));
        }
        byte[] encoded = SamplingJpegEncoder.encode(upright, QUALITY, SamplingJpegEncoder.turned(sampling, orientation));
        byte[] result = JpegSegments.withSegments(encoded,
                carriedSegments(jpeg, header, blankGps, upright.getWidth(), upright.getHeight()));
        AtomicFiles.write(target, out -> out.write(result));
        if (blankGps) {
            warnings.add(GPS_REMOVED);
        }
        return new Converted("jpeg", upright.getWidth(), upright.getHeight(), warnings);
    }

    /** "16x16" for 4:2:0: the block a lossless turn moves as a whole. */
    private static String mcu(int[][] sampling) {
        int h = 1;
        int v = 1;
        for (int[] f : sampling == null ? new int[0][] : sampling) {
            h = Math.max(h, f[0]);
            v = Math.max(v, f[1]);
        }
        return (8 * h) + "x" + (8 * v);
    }

    /**
     * A JPEG whose pixels are already upright (libheif turned them while decoding) with its EXIF
     * made true for them: Orientation 1, its size, no IFD1 thumbnail, GPS blanked if asked.
     */
    byte[] withTurnedExif(byte[] jpeg, List<String> warnings) {
        int[] size = JpegSegments.frameSize(jpeg, JpegSegments.header(jpeg));
        return withTurnedExif(jpeg, size[0], size[1], stripGps, warnings);
    }

    /**
     * jpegtran's output (every segment copied) with each EXIF block made true for the turned
     * pixels; a block that cannot be walked is dropped, since it may hold a location.
     */
    private byte[] withTurnedExif(byte[] turned, int width, int height, boolean blankGps, List<String> warnings) {
        List<JpegSegments.Segment> header = JpegSegments.header(turned);
        List<JpegSegments.Segment> unreadable = new ArrayList<>();
        boolean gps = false;
        for (JpegSegments.Segment s : header) {
            if (JpegSegments.isExif(turned, s)) {
                try {
                    gps |= uprightExif(turned, s.payloadOffset() + 6, s.offset() + s.length(), width, height, blankGps);
                } catch (IllegalArgumentException e) {
                    unreadable.add(s);
                }
            }
        }
        if (gps) {
            warnings.add(GPS_REMOVED);
        }
        if (unreadable.isEmpty()) {
            return turned;
        }
        warnings.add("EXIF block dropped: it cannot be read");
        return JpegSegments.without(turned, unreadable);
    }

    /** Orientation 1, size tags of the upright image, no IFD1 thumbnail, GPS blanked if asked; true when GPS was. */
    private static boolean uprightExif(byte[] b, int tiff, int end, int width, int height, boolean blankGps) {
        ExifPatcher.Result r = ExifPatcher.patch(b, tiff, end, true, blankGps);
        ExifPatcher.turned(b, tiff, end, width, height);
        return r.gpsRemoved();
    }

    static String downscaled(BufferedImage from, BufferedImage to) {
        return "downscaled from " + from.getWidth() + "x" + from.getHeight() + " to " + to.getWidth() + "x"
                + to.getHeight() + " (captiond.normalise.max-side)";
    }

    /** The source's EXIF (made true for the upright {@code width}x{@code height} pixels) and RGB ICC profile segments. */
    static List<byte[]> carriedSegments(byte[] jpeg, List<JpegSegments.Segment> header, boolean blankGps, int width,
            int height) {
        List<byte[]> carried = new ArrayList<>();
        boolean rgbProfile = header.stream().anyMatch(s -> JpegSegments.isIcc(jpeg, s) && firstIccChunkIsRgb(jpeg, s));
        for (JpegSegments.Segment s : header) {
            if (JpegSegments.isExif(jpeg, s)) {
                byte[] copy = s.bytes(jpeg);
                try {
                    uprightExif(copy, 4 + 6, copy.length, width, height, blankGps);
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
