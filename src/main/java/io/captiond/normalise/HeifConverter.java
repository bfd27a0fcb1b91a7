package io.captiond.normalise;

import io.captiond.support.Pixels;

import io.captiond.config.CaptiondProperties;
import io.captiond.support.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * HEIC/HEIF/AVIF members, decoded by libheif's heif-convert out of process (see {@link LibHeif})
 * and written as JPEG.
 * <p>
 * <b>Orientation rule: the member's pixels are upright and its EXIF Orientation is 1.</b> HEIF
 * says the container's transforms (irot, imir) are the truth and EXIF Orientation is only a copy,
 * and libheif applies those transforms while decoding. So:
 * <ul>
 * <li>container has irot/imir on the primary image: the decoded pixels are upright; any EXIF
 *     Orientation left in libheif's JPEG is stale (Debian's 1.15 keeps the 6 of an iPhone HEIC,
 *     {@code arrow.heic}) and is reset to 1, pixels untouched;</li>
 * <li>no irot/imir but EXIF Orientation 2-8 (early iOS 11 files, {@code Example1.heic}): libheif's
 *     pixels would be sideways, so 3, 6 and 8 are handed to libheif as an irot it applies while
 *     decoding ({@link HeifDecodeJobs}), the others are baked into its JPEG by jpegtran; then reset to 1;</li>
 * <li>neither: the pixels are used as they are.</li>
 * </ul>
 * Without alpha, libheif's JPEG (quality 95) is used: in the common case as it is, with only its
 * EXIF patched in place, so it costs little more than heif-convert itself; an orientation to bake
 * or a {@code max-side} to meet is then handled by {@link JpegConverter}, as for any JPEG. With
 * 8-bit alpha to flatten, libheif composes the image over {@code captiond.normalise.background}
 * itself (an overlay, {@link HeifDecodeJobs}) and writes the JPEG. Otherwise (alpha kept, 10-bit,
 * premultiplied) libheif writes a lossless PNG and Java flattens it (never onto black), bakes and
 * shrinks; EXIF (from libheif's {@code --with-exif} file) and the container's ICC profile are
 * carried into the JPEG.
 * Only the primary image becomes a member; other top-level images and auxiliary images (depth,
 * gain maps) are named in the manifest's warnings.
 */
@Component
public class HeifConverter implements ImageConverter {

    private final LibHeif libHeif;
    private final PixelLimit pixelLimit;
    private final JpegConverter jpegs;
    private final boolean stripGps;
    private final int maxSide;
    private final Transparency transparency;
    private final HeifDecodeJobs jobs;

    @org.springframework.beans.factory.annotation.Autowired
    public HeifConverter(LibHeif libHeif, PixelLimit pixelLimit, JpegConverter jpegs, Transparency transparency,
            CaptiondProperties props) {
        this.libHeif = libHeif;
        this.pixelLimit = pixelLimit;
        this.jpegs = jpegs;
        this.transparency = transparency;
        this.jobs = new HeifDecodeJobs(transparency);
        this.stripGps = props.normalise().stripGps();
        this.maxSide = props.normalise().maxSide();
    }

    /** With the configured transparency (tests, bench). */
    public HeifConverter(LibHeif libHeif, PixelLimit pixelLimit, JpegConverter jpegs, CaptiondProperties props) {
        this(libHeif, pixelLimit, jpegs, new Transparency(props), props);
    }

    @Override
    public boolean handles(ImageType type) {
        return type == ImageType.HEIF || type == ImageType.AVIF;
    }

    @Override
    public String outputExtension(ImageType type, ExifFacts exif) {
        return "jpg";
    }

    /** PNG for an image with alpha kept ({@code captiond.normalise.alpha=keep}), else JPEG. */
    @Override
    public String outputExtension(Path source, ImageType type, ExifFacts exif) throws IOException {
        return !transparency.flatten() && HeifContainer.read(source).primary().hasAlpha() ? "png" : "jpg";
    }

    @Override
    public Converted convert(Path source, Path target, ImageType type, ExifFacts exif) throws IOException {
        HeifContainer heif = HeifContainer.read(source);
        HeifContainer.Image primary = heif.primary();
        long total = 0;
        for (HeifContainer.Image image : heif.topLevel()) {
            pixelLimit.check(image.displayWidth(), image.displayHeight()); // heif-convert decodes every one
            total += image.displayWidth() * image.displayHeight();
        }
        pixelLimit.checkTotal(total, heif.topLevel().size());
        List<String> warnings = new ArrayList<>(otherImages(heif, type));
        boolean bake = !primary.transformed() && exif.orientation() != 1;
        boolean shrink = maxSide > 0 && Math.max(primary.displayWidth(), primary.displayHeight()) > maxSide;
        Path dir = libHeif.scratchFolder();
        try {
            HeifDecodeJobs.Edit edit = jobs.edit(source, dir, heif, exif, bake);
            if (primary.hasAlpha() && !edit.flattened()) {
                return viaPng(source, target, type, heif, exif, bake, dir, warnings);
            }
            ExternalTool.Run run = libHeif.convert(List.of("--quiet", "--with-exif", "-q",
                    String.valueOf(Math.round(JpegConverter.QUALITY * 100)), edit.file().toAbsolutePath().toString(), "out.jpg"), dir);
            Path decoded = output(run, dir, "jpg", heif, type);
            byte[] jpeg = withoutSplitExif(Files.readAllBytes(decoded), decoded, warnings);
            if (edit.flattened()) {
                warnings.add(transparency.note());
            }
            if (edit.turned()) {
                warnings.add("EXIF orientation " + exif.orientation() + " applied by libheif while decoding (the HEIF "
                        + "container has no rotation of its own)");
            }
            if (edit.turned() || edit.flattened()) {
                // what is left to do: a mirrored orientation (jpegtran) or max-side, as for any JPEG
                ExifFacts left = edit.turned() || primary.transformed() ? exif.withOrientation(1) : exif;
                Converted done = left.orientation() != 1 || shrink ? jpegs.convert(jpeg, target, left, warnings)
                        : written(target, edit.turned() ? jpegs.withTurnedExif(jpeg, warnings)
                                : withUprightExif(jpeg, exif, primary, warnings), warnings);
                return new Converted(done.format(), done.width(), done.height(), done.warnings(),
                        edit.flattened() ? Transparency.FLATTENED : null);
            }
            if (bake || shrink) {
                // turned or shrunk like any JPEG; an orientation libheif already applied is not applied again
                ExifFacts facts = primary.transformed() ? exif.withOrientation(1) : exif;
                return jpegs.convert(jpeg, target, facts, warnings);
            }
            return written(target, withUprightExif(jpeg, exif, primary, warnings), warnings);
        } finally {
            deleteTree(dir);
        }
    }

    private static Converted written(Path target, byte[] member, List<String> warnings) throws IOException {
        AtomicFiles.write(target, out -> out.write(member));
        int[] size = JpegSegments.frameSize(member, JpegSegments.header(member));
        return new Converted("jpeg", size[0], size[1], warnings);
    }

    private Converted viaPng(Path source, Path target, ImageType type, HeifContainer heif, ExifFacts exif,
            boolean bake, Path dir, List<String> warnings) throws IOException {
        ExternalTool.Run run = libHeif.convert(List.of("--quiet", "--with-exif", source.toAbsolutePath().toString(), "out.png"), dir);
        Path png = output(run, dir, "png", heif, type);
        BufferedImage decoded = Pixels.decode(png, 1);
        boolean keep = !transparency.flatten();
        BufferedImage image = keep ? decoded : transparency.flattened(decoded);
        if (!keep) {
            warnings.add(transparency.note());
        }
        if (bake) {
            image = Orientation.upright(image, exif.orientation());
            warnings.add("EXIF orientation " + exif.orientation() + " baked into the pixels (the HEIF container has no "
                    + "rotation of its own)");
        }
        if (maxSide > 0 && Math.max(image.getWidth(), image.getHeight()) > maxSide) {
            BufferedImage full = image;
            image = keep ? full : Pixels.fitWithin(full, maxSide);
            if (!keep) {
                warnings.add(JpegConverter.downscaled(full, image));
            }
        }
        if (keep) {
            BufferedImage kept = image;
            byte[] result = kept == decoded ? Files.readAllBytes(png) : Pixels.encodePng(kept);
            AtomicFiles.write(target, out -> out.write(result));
            return new Converted("png", kept.getWidth(), kept.getHeight(), warnings, Transparency.KEPT);
        }
        List<byte[]> carried = new ArrayList<>(exifSegment(png, warnings));
        if (heif.primary().icc() != null) {
            carried.addAll(JpegSegments.iccSegments(heif.primary().icc()));
        }
        byte[] result = JpegSegments.withSegments(Pixels.encodeJpeg(image, JpegConverter.QUALITY), carried);
        AtomicFiles.write(target, out -> out.write(result));
        return new Converted("jpeg", image.getWidth(), image.getHeight(), warnings, Transparency.FLATTENED);
    }

    /**
     * libheif's EXIF for the primary image ({@code --with-exif} writes it next to the PNG: a 4-byte
     * offset, then "Exif\0\0" and the TIFF block), with Orientation 1 and GPS blanked if asked.
     */
    private List<byte[]> exifSegment(Path png, List<String> warnings) throws IOException {
        Path exifFile = png.resolveSibling(png.getFileName().toString().replaceFirst("\\.(png|jpg)$", ".exif"));
        if (!Files.exists(exifFile)) {
            return List.of();
        }
        byte[] raw = Files.readAllBytes(exifFile);
        if (raw.length < 12) {
            return List.of();
        }
        long skip = ((raw[0] & 0xFFL) << 24 | (raw[1] & 0xFFL) << 16 | (raw[2] & 0xFFL) << 8 | (raw[3] & 0xFFL));
        int tiff = (int) Math.min(raw.length, 4 + skip);
        byte[] segment = JpegSegments.exifSegment(raw, tiff, raw.length - tiff);
        if (segment == null) {
            segment = withoutMakerNote(raw, tiff, raw.length - tiff, warnings);
            if (segment == null) {
                return List.of();
            }
        }
        try {
            if (ExifPatcher.patch(segment, 4 + 6, segment.length, true, stripGps).gpsRemoved()) {
                warnings.add(JpegConverter.GPS_REMOVED);
            }
        } catch (IllegalArgumentException e) {
            warnings.add("EXIF block dropped: it cannot be read (" + e.getMessage() + ")");
            return List.of();
        }
        return List.of(segment);
    }

    /**
     * libheif's JPEG with its EXIF patched in place: a stale Orientation reset to 1 (libheif already
     * applied the container's rotation), GPS blanked if asked. An EXIF block that cannot be walked is
     * dropped with a warning: the photo is fine, and a location may hide in it.
     */
    private byte[] withUprightExif(byte[] jpeg, ExifFacts exif, HeifContainer.Image primary, List<String> warnings) {
        List<JpegSegments.Segment> header = JpegSegments.header(jpeg);
        ExifPatcher.Result patched;
        try {
            patched = JpegConverter.patchExifInPlace(jpeg, header, true, stripGps);
        } catch (RejectedInputException e) {
            warnings.add("EXIF block dropped: it cannot be read");
            return JpegSegments.without(jpeg, header.stream().filter(seg -> JpegSegments.isExif(jpeg, seg)).toList());
        }
        if (patched.orientationReset()) {
            warnings.add("EXIF orientation " + exif.orientation() + " reset to 1: libheif already applied the "
                    + "container's rotation (irot " + Math.max(0, primary.rotation()) + "°), the pixels are upright");
        }
        if (patched.gpsRemoved()) {
            warnings.add(JpegConverter.GPS_REMOVED);
        }
        return jpeg;
    }

    /**
     * libheif's JPEG without an EXIF block it had to spread over several segments (readers see a
     * truncated EXIF and a stray segment): in its place the same EXIF from libheif's
     * {@code --with-exif} file, without the vendor's MakerNote, when that fits one segment.
     */
    private static byte[] withoutSplitExif(byte[] jpeg, Path decoded, List<String> warnings) throws IOException {
        List<JpegSegments.Segment> split = JpegSegments.splitExif(jpeg, JpegSegments.header(jpeg));
        if (split.isEmpty()) {
            return jpeg;
        }
        byte[] without = JpegSegments.without(jpeg, split);
        Path exifFile = decoded.resolveSibling(decoded.getFileName().toString().replaceFirst("\\.jpg$", ".exif"));
        byte[] raw = Files.exists(exifFile) ? Files.readAllBytes(exifFile) : new byte[0];
        int tiff = raw.length < 12 ? raw.length : (int) Math.min(raw.length, 4 + ((raw[0] & 0xFFL) << 24
                | (raw[1] & 0xFFL) << 16 | (raw[2] & 0xFFL) << 8 | (raw[3] & 0xFFL)));
        byte[] segment = raw.length - tiff < 8 ? null : withoutMakerNote(raw, tiff, raw.length - tiff, warnings);
        if (segment == null) {
            if (raw.length - tiff < 8) {
                warnings.add(exifTooLarge(split.stream().mapToInt(JpegSegments.Segment::payloadLength).sum() - 6));
            }
            return without;
        }
        return JpegSegments.withInserted(without, segment);
    }

    /**
     * An EXIF block too large for one segment, rebuilt without its MakerNote (the vendor's
     * trailer): the APP1 segment, or null (with a warning) when even that does not fit or the
     * block cannot be walked.
     */
    private static byte[] withoutMakerNote(byte[] raw, int tiff, int length, List<String> warnings) {
        try {
            byte[] compact = ExifCompactor.withoutMakerNote(raw, tiff, length);
            byte[] segment = JpegSegments.exifSegment(compact, 0, compact.length);
            if (segment != null) {
                warnings.add("EXIF block of " + length / 1024 + " KB: its MakerNote (vendor data) dropped to fit the "
                        + "64 KB one JPEG APP1 segment can hold; the standard EXIF (" + compact.length / 1024 + " KB) is kept");
                return segment;
            }
        } catch (RuntimeException e) {
            // not walkable: dropped below, with the same warning as a block that is too large
        }
        warnings.add(exifTooLarge(length));
        return null;
    }

    private static String exifTooLarge(int bytes) {
        return "EXIF block of " + bytes / 1024 + " KB dropped: over the 64 KB one JPEG APP1 segment can hold";
    }

    /**
     * heif-convert's file for the primary image: out.ext, or out-N.ext when it wrote several, N being
     * the primary's place in libheif's top-level order. That order is checked against the primary's
     * size, in case this libheif counts item types differently; a file of that size wins.
     */
    private static Path output(ExternalTool.Run run, Path dir, String ext, HeifContainer heif, ImageType type)
            throws IOException {
        if (run.exitCode() != 0) {
            throw new RejectedInputException("libheif cannot decode this " + type.label().toUpperCase(Locale.ROOT)
                    + ": " + run.error());
        }
        Path single = dir.resolve("out." + ext);
        if (Files.exists(single)) {
            return single;
        }
        Path numbered = dir.resolve("out-" + (heif.primaryIndex() + 1) + "." + ext);
        List<Path> candidates = new ArrayList<>(List.of(numbered));
        for (int n = 1; n <= heif.topLevel().size() + 1; n++) {
            candidates.add(dir.resolve("out-" + n + "." + ext));
        }
        for (Path candidate : candidates) {
            if (Files.exists(candidate) && hasSize(candidate, heif.primary())) {
                return candidate;
            }
        }
        if (Files.exists(numbered)) {
            return numbered;
        }
        throw new RejectedInputException("libheif wrote no image for this " + type.label().toUpperCase(Locale.ROOT)
                + ": " + run.error());
    }

    private static boolean hasSize(Path image, HeifContainer.Image expected) throws IOException {
        int[] size = Pixels.headerSize(image);
        return size[0] == expected.displayWidth() && size[1] == expected.displayHeight();
    }

    static List<String> otherImages(HeifContainer heif, ImageType type) {
        List<String> notes = new ArrayList<>();
        if (heif.primary().bitDepth() > 8) {
            notes.add(type.label().toUpperCase(Locale.ROOT) + ": " + heif.primary().bitDepth()
                    + "-bit colour reduced to 8-bit (JPEG and trainers' 8-bit loaders)");
        }
        if (heif.stereoPair().size() == 2) {
            boolean left = heif.stereoPair().get(0) == heif.primary().id();
            heif.topLevel().stream().filter(i -> i.id() == heif.stereoPair().get(left ? 1 : 0)).findFirst()
                    .ifPresent(other -> notes.add(type.label().toUpperCase(Locale.ROOT) + ": stereo pair (spatial photo), the "
                            + (left ? "left" : "right") + " eye kept; the " + (left ? "right" : "left") + " eye "
                            + other.displayWidth() + "x" + other.displayHeight() + " is not in the dataset"));
        }
        if (heif.topLevel().size() > (heif.stereoPair().size() == 2 ? 2 : 1)) {
            notes.add(type.label().toUpperCase(Locale.ROOT) + ": " + heif.topLevel().size()
                    + " top-level images, primary kept (" + heif.primary().displayWidth() + "x"
                    + heif.primary().displayHeight() + "); the others are not in the dataset");
        }
        for (String aux : heif.auxiliaries()) {
            notes.add(type.label().toUpperCase(Locale.ROOT) + ": " + aux + " ignored");
        }
        return notes;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return; // already gone (a tmp cleaner): nothing to clean, and the member is written
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
