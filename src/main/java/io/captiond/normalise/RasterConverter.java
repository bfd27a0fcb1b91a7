package io.captiond.normalise;

import io.captiond.support.AtomicFiles;
import io.captiond.support.Pixels;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.springframework.stereotype.Component;

/**
 * BMP, TIFF (scanners, cameras) and GIF, which trainers may not read, become members by the rule
 * <b>PNG when the source is lossless, JPEG (quality 95) when it is lossy</b>: BMP, GIF and TIFF are
 * lossless, except a JPEG-compressed TIFF. Only the first image is used: a multi-page TIFF's other
 * pages and an animated GIF's other frames are named in the warnings. 16-bit samples become 8-bit
 * and CMYK becomes RGB (TwelveMonkeys' TIFF reader decodes both), with a warning; transparency
 * follows {@link Transparency}; an EXIF orientation in a TIFF is baked into the pixels; a member
 * longer than {@code captiond.normalise.max-side} is downscaled, as JPEG and HEIC members are.
 */
@Component
public class RasterConverter implements ImageConverter {

    private static final int TIFF_COMPRESSION = 0x0103;
    private static final int MAX_IFD_ENTRIES = 4096;

    private final PixelLimit pixelLimit;
    private final Transparency transparency;
    private final int maxSide;

    public RasterConverter(PixelLimit pixelLimit, Transparency transparency, io.captiond.config.CaptiondProperties props) {
        this.pixelLimit = pixelLimit;
        this.transparency = transparency;
        this.maxSide = props.normalise().maxSide();
    }

    @Override
    public boolean handles(ImageType type) {
        return type == ImageType.BMP || type == ImageType.TIFF || type == ImageType.GIF;
    }

    @Override
    public String outputExtension(ImageType type, ExifFacts exif) {
        return "png";
    }

    @Override
    public String outputExtension(Path source, ImageType type, ExifFacts exif) throws IOException {
        return type == ImageType.TIFF && jpegCompressed(source) ? "jpg" : "png";
    }

    @Override
    public Converted convert(Path source, Path target, ImageType type, ExifFacts exif) throws IOException {
        int[] size = pixelLimit.check(source);
        String label = type.label().toUpperCase(Locale.ROOT);
        boolean jpeg = outputExtension(source, type, exif).equals("jpg");
        List<String> warnings = new ArrayList<>();
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(source.toFile())) {
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new RejectedInputException("no decoder for this " + label);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, false);
                image = reader.read(0);
                int count = reader.getNumImages(true);
                if (count > 1) {
                    warnings.add(type == ImageType.GIF
                            ? "GIF: animation of " + count + " frames, the first frame kept"
                            : "TIFF: " + count + " pages, the first page kept (" + size[0] + "x" + size[1] + ")");
                }
            } finally {
                reader.dispose();
            }
        }
        int bits = image.getSampleModel().getSampleSize(0);
        String alpha = null;
        boolean transparent = Transparency.hasTransparentPixel(image);
        if (transparent && (transparency.flatten() || jpeg)) {
            image = transparency.flattened(image);
            warnings.add(transparency.note());
            alpha = Transparency.FLATTENED;
        } else if (transparent) {
            alpha = Transparency.KEPT;
        }
        image = eightBitRgb(image, label, bits, warnings);
        if (exif.orientation() != 1) {
            if (image.getColorModel() instanceof java.awt.image.IndexColorModel) {
                image = toDirect(image);
            }
            image = Orientation.upright(image, exif.orientation());
            warnings.add("EXIF orientation " + exif.orientation() + " baked into the pixels");
        }
        if (maxSide > 0 && Math.max(image.getWidth(), image.getHeight()) > maxSide) {
            BufferedImage full = image;
            image = Pixels.fitWithin(full, maxSide, Transparency.KEPT.equals(alpha)); // kept alpha stays in the PNG
            warnings.add(JpegConverter.downscaled(full, image));
        }
        warnings.add(label + " converted to " + (jpeg ? "JPEG (quality 95: the source is JPEG-compressed)" : "PNG (lossless)"));
        byte[] bytes = jpeg ? Pixels.encodeJpeg(image, JpegConverter.QUALITY) : Pixels.encodePng(image);
        AtomicFiles.write(target, out -> out.write(bytes));
        return new Converted(jpeg ? "jpeg" : "png", image.getWidth(), image.getHeight(), warnings, alpha);
    }

    /** A palette image as direct colour, so that turning it does not fall back on a default palette. */
    private static BufferedImage toDirect(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        out.getGraphics().drawImage(image, 0, 0, null);
        return out;
    }

    /** 8-bit sRGB samples (with alpha when there is any): what trainers' loaders take. */
    private static BufferedImage eightBitRgb(BufferedImage image, String label, int bits, List<String> warnings) {
        ColorSpace space = image.getColorModel().getColorSpace();
        boolean rgb = space.getType() == ColorSpace.TYPE_RGB || space.getType() == ColorSpace.TYPE_GRAY;
        if (bits <= 8 && rgb) {
            return image;
        }
        if (!rgb) {
            warnings.add(label + ": " + (space.getType() == ColorSpace.TYPE_CMYK ? "CMYK" : "colour space "
                    + space.getType()) + " converted to RGB");
        }
        if (bits > 8) {
            warnings.add(label + ": " + bits + "-bit samples reduced to 8-bit");
        }
        boolean alpha = image.getColorModel().hasAlpha();
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(),
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_3BYTE_BGR);
        new ColorConvertOp(null).filter(image, out);
        return out;
    }

    /**
     * Whether the first page of a TIFF is JPEG-compressed (Compression 6 or 7): read from IFD0
     * itself, which may sit anywhere in the file, so no decoder is built to answer.
     */
    static boolean jpegCompressed(Path tiff) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(tiff.toFile(), "r")) {
            byte[] head = new byte[8];
            in.readFully(head);
            boolean little = head[0] == 'I';
            long ifd = u32(head, 4, little);
            if (ifd + 2 > in.length()) {
                return false;
            }
            in.seek(ifd);
            byte[] two = new byte[2];
            in.readFully(two);
            int count = (int) Math.min(u16(two, 0, little), MAX_IFD_ENTRIES);
            byte[] entries = new byte[(int) Math.min(count * 12L, in.length() - ifd - 2)];
            in.readFully(entries);
            for (int i = 0; i + 12 <= entries.length; i += 12) {
                if (u16(entries, i, little) == TIFF_COMPRESSION) {
                    int value = u16(entries, i + 8, little);
                    return value == 6 || value == 7;
                }
            }
            return false;
        } catch (java.io.EOFException e) {
            return false; // truncated: the decoder says so when it reads the file
        }
    }

    private static int u16(byte[] b, int at, boolean little) {
        return little ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 : (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long u32(byte[] b, int at, boolean little) {
        return little
                ? (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24
                : (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }
}
