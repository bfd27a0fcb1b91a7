package io.captiond.normalise;

import io.captiond.support.Pixels;

import io.captiond.support.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * PNG and WebP members: both pass through byte for byte when upright and opaque. A transparent one
 * is laid over the background by default ({@link Transparency}): written as PNG when the source is
 * lossless (PNG, lossless WebP), as JPEG at quality 95 when it is lossy (lossy WebP), since ImageIO
 * cannot write WebP. The rare rotated one (an EXIF orientation in a PNG eXIf or WebP EXIF chunk) is
 * made upright and written the same way (PNG keeps both quality and, with {@code alpha=keep},
 * transparency).
 */
@Component
public class PngWebpConverter implements ImageConverter {

    private final PixelLimit pixelLimit;
    private final Transparency transparency;

    public PngWebpConverter(PixelLimit pixelLimit, Transparency transparency) {
        this.pixelLimit = pixelLimit;
        this.transparency = transparency;
    }

    @Override
    public boolean handles(ImageType type) {
        return type == ImageType.PNG || type == ImageType.WEBP;
    }

    @Override
    public Converted convert(Path source, Path target, ImageType type, ExifFacts exif) throws IOException {
        checkComplete(source, type);
        int[] size = pixelLimit.check(source);
        AlphaHeader header = AlphaHeader.read(source, type);
        boolean flatten = header.alpha() && transparency.flatten();
        if (exif.orientation() == 1 && !flatten) {
            AtomicFiles.write(target, out -> Files.copy(source, out));
            return new Converted(type.label(), size[0], size[1], List.of(), header.alpha() ? Transparency.KEPT : null);
        }
        BufferedImage decoded = Pixels.decode(source, 1);
        List<String> warnings = new ArrayList<>();
        String alpha = header.alpha() ? Transparency.KEPT : null;
        String format = outputExtension(header, type, exif).equals("jpg") ? "jpeg" : "png";
        if (flatten) {
            if (Transparency.hasTransparentPixel(decoded)) {
                decoded = transparency.flattened(decoded);
                warnings.add(transparency.note());
                alpha = Transparency.FLATTENED;
            } else if (exif.orientation() == 1 && format.equals(type.outputExtension())) {
                // an alpha channel with every pixel opaque: nothing to flatten, the file passes
                AtomicFiles.write(target, out -> Files.copy(source, out));
                return new Converted(type.label(), size[0], size[1], List.of());
            } else {
                alpha = null;
            }
        }
        BufferedImage upright = Orientation.upright(decoded, exif.orientation());
        if (exif.orientation() != 1) {
            warnings.add("EXIF orientation " + exif.orientation() + " baked into the pixels (written as " + format.toUpperCase(java.util.Locale.ROOT) + ")");
        }
        byte[] bytes = format.equals("png") ? Pixels.encodePng(upright) : Pixels.encodeJpeg(upright, JpegConverter.QUALITY);
        AtomicFiles.write(target, out -> out.write(bytes));
        return new Converted(format, upright.getWidth(), upright.getHeight(), warnings, alpha);
    }

    /** Without looking at the file: as it is when upright, else PNG. */
    @Override
    public String outputExtension(ImageType type, ExifFacts exif) {
        return exif.orientation() == 1 ? type.outputExtension() : "png";
    }

    /** An upright opaque file keeps its format; one that is rewritten becomes PNG, or JPEG when the source is lossy. */
    @Override
    public String outputExtension(Path source, ImageType type, ExifFacts exif) throws IOException {
        return outputExtension(AlphaHeader.read(source, type), type, exif);
    }

    private String outputExtension(AlphaHeader header, ImageType type, ExifFacts exif) {
        boolean flatten = header.alpha() && transparency.flatten();
        if (exif.orientation() == 1 && !flatten) {
            return type.outputExtension();
        }
        return flatten && !header.lossless() ? "jpg" : "png";
    }

    /** Cheap structural checks that catch truncated copies without decoding the pixels. */
    static void checkComplete(Path file, ImageType type) throws IOException {
        long length = Files.size(file);
        if (type == ImageType.PNG) {
            byte[] tail = new byte[12];
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                if (length < 57) {
                    throw new RejectedInputException("broken PNG: only " + length + " bytes");
                }
                raf.seek(length - 12);
                raf.readFully(tail);
            }
            if (!new String(tail, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("IEND")) {
                throw new RejectedInputException("broken PNG: the file is truncated (no IEND chunk at its end)");
            }
        } else if (type == ImageType.WEBP) {
            byte[] head = new byte[8];
            try (InputStream in = Files.newInputStream(file)) {
                if (in.readNBytes(head, 0, 8) < 8) {
                    throw new RejectedInputException("broken WebP: too short");
                }
            }
            long riff = (head[4] & 0xFFL) | (head[5] & 0xFFL) << 8 | (head[6] & 0xFFL) << 16 | (head[7] & 0xFFL) << 24;
            if (riff + 8 > length) {
                throw new RejectedInputException("broken WebP: the file is truncated (RIFF says " + (riff + 8)
                        + " bytes, the file has " + length + ")");
            }
        }
    }
}
