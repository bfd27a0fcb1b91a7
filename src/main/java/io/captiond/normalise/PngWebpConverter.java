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
 * PNG and WebP members: both pass through byte for byte when upright. The rare rotated one (an
 * EXIF orientation in a PNG eXIf or WebP EXIF chunk) is made upright and written as PNG, since
 * ImageIO cannot write WebP and PNG keeps both quality and transparency.
 */
@Component
public class PngWebpConverter implements ImageConverter {

    private final PixelLimit pixelLimit;

    public PngWebpConverter(PixelLimit pixelLimit) {
        this.pixelLimit = pixelLimit;
    }

    @Override
    public boolean handles(ImageType type) {
        return type == ImageType.PNG || type == ImageType.WEBP;
    }

    @Override
    public Converted convert(Path source, Path target, ImageType type, ExifFacts exif) throws IOException {
        checkComplete(source, type);
        int[] size = pixelLimit.check(source);
        if (exif.orientation() == 1) {
            AtomicFiles.write(target, out -> Files.copy(source, out));
            return new Converted(type.label(), size[0], size[1], List.of());
        }
        BufferedImage upright = Orientation.upright(Pixels.decode(source, 1), exif.orientation());
        byte[] png = Pixels.encodePng(upright);
        AtomicFiles.write(target, out -> out.write(png));
        List<String> warnings = new ArrayList<>();
        warnings.add("EXIF orientation " + exif.orientation() + " baked into the pixels (written as PNG)");
        return new Converted("png", upright.getWidth(), upright.getHeight(), warnings);
    }

    /** A rotated input becomes PNG; an upright one keeps its format. */
    @Override
    public String outputExtension(ImageType type, ExifFacts exif) {
        return exif.orientation() == 1 ? type.outputExtension() : "png";
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
