package io.captiond.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** ImageIO plumbing: header sizes without decoding, decoding, JPEG encoding, alpha flattening. */
public final class Pixels {

    /*
     * ImageIO finds its plugins (TwelveMonkeys WebP, TIFF, JPEG) through the context class loader of
     * the thread that first touches it. In the packaged jar, a JDK thread (a ForkJoin worker, say)
     * has the system class loader, which cannot see the jar's nested libraries: register them once
     * with the class loader that loaded captiond, whichever thread comes first.
     */
    static {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(Pixels.class.getClassLoader());
        try {
            ImageIO.scanForPlugins();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** Makes sure ImageIO's plugins are registered (the static block above); call it early. */
    public static void registerImagePlugins() {
        // the work is done once, by the class's static initialiser
    }

    private Pixels() {
    }

    /** Width and height from the header alone (no pixel data is decoded). */
    public static int[] headerSize(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return headerSize(in, file.getFileName().toString());
        }
    }

    /** Width and height from the header of an image held in memory. */
    public static int[] headerSize(byte[] image) throws IOException {
        // a memory cache: ImageIO's default for streams is a temporary file per call
        try (ImageInputStream in = new javax.imageio.stream.MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(image))) {
            return headerSize(in, "the image");
        }
    }

    private static int[] headerSize(ImageInputStream in, String name) throws IOException {
        ImageReader reader = readerFor(in, name);
        try {
            reader.setInput(in, true, true);
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        } finally {
            reader.dispose();
        }
    }

    /** Decodes the first image, reading only every {@code subsample}-th pixel when asked. */
    public static BufferedImage decode(Path file, int subsample) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(in, file.getFileName().toString());
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                if (subsample > 1) {
                    param.setSourceSubsampling(subsample, subsample, 0, 0);
                }
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The subsampling step that brings the longest side close to (not under) {@code longest}. */
    public static int subsamplingFor(int width, int height, int longest) {
        return Math.max(1, Math.max(width, height) / longest);
    }

    public static byte[] encodeJpeg(BufferedImage image, float quality) throws IOException {
        return encodeJpeg(image, quality, null);
    }

    /**
     * A JPEG with the given chroma subsampling ({H, V} per component, as in a frame header), or
     * ImageIO's default (4:2:0 for colour) when {@code sampling} is null. The factors go in through
     * the writer's standard metadata tree (its {@code sof} node): ImageIO has no parameter for them.
     */
    public static byte[] encodeJpeg(BufferedImage image, float quality, int[][] sampling) throws IOException {
        BufferedImage rgb = opaqueRgb(image, Color.WHITE);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            javax.imageio.metadata.IIOMetadata metadata = null;
            if (sampling != null && sampling.length == 3) {
                metadata = writer.getDefaultImageMetadata(javax.imageio.ImageTypeSpecifier.createFromRenderedImage(rgb), param);
                String format = "javax_imageio_jpeg_image_1.0";
                org.w3c.dom.Element tree = (org.w3c.dom.Element) metadata.getAsTree(format);
                org.w3c.dom.NodeList sofs = tree.getElementsByTagName("sof");
                if (sofs.getLength() == 1) {
                    org.w3c.dom.NodeList components = ((org.w3c.dom.Element) sofs.item(0)).getElementsByTagName("componentSpec");
                    for (int i = 0; i < components.getLength() && i < 3; i++) {
                        org.w3c.dom.Element c = (org.w3c.dom.Element) components.item(i);
                        c.setAttribute("HsamplingFactor", String.valueOf(sampling[i][0]));
                        c.setAttribute("VsamplingFactor", String.valueOf(sampling[i][1]));
                    }
                    metadata.setFromTree(format, tree);
                }
            }
            writer.write(null, new IIOImage(rgb, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    public static byte[] encodePng(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    /**
     * An opaque 8-bit RGB copy. Transparent pixels are laid over {@code background} (never black),
     * and colour samples are copied as they are, not converted: the source's ICC profile travels
     * with the bytes and still describes them.
     */
    public static BufferedImage opaqueRgb(BufferedImage src, Color background) {
        if (src.getType() == BufferedImage.TYPE_3BYTE_BGR || src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        if (!src.getColorModel().hasAlpha() && src.getRaster().getNumBands() == 3
                && src.getSampleModel().getSampleSize(0) == 8 // 16-bit samples (PNG) must be scaled, not copied
                && src.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_RGB) {
            out.setData(src.getRaster()); // same samples, no colour conversion
            return out;
        }
        if (WideAlphaFlattening.handles(src)) {
            return WideAlphaFlattening.flattened(src, background);
        }
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(background);
            g.fillRect(0, 0, src.getWidth(), src.getHeight());
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * What a trainer's {@code .convert("RGB")} sees: the colour channels with alpha dropped, so the
     * colour under transparent pixels shows (often black). Used for members whose alpha was kept.
     */
    public static BufferedImage withoutAlpha(BufferedImage src) {
        if (!src.getColorModel().hasAlpha()) {
            return src;
        }
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[src.getWidth()];
        for (int y = 0; y < src.getHeight(); y++) {
            src.getRGB(0, y, row.length, 1, row, 0, row.length);
            out.setRGB(0, y, row.length, 1, row, 0, row.length);
        }
        return out;
    }

    /** A copy whose longest side is at most {@code longest} (bilinear), or {@code src} when it already fits. */
    public static BufferedImage fitWithin(BufferedImage src, int longest) {
        return fitWithin(src, longest, false);
    }

    /**
     * The same, keeping the alpha channel when {@code keepAlpha} and the source has one; otherwise
     * the copy is opaque (transparent pixels over black, as before: callers flatten first).
     */
    public static BufferedImage fitWithin(BufferedImage src, int longest, boolean keepAlpha) {
        int w = src.getWidth();
        int h = src.getHeight();
        double scale = (double) longest / Math.max(w, h);
        if (scale >= 1) {
            return src;
        }
        int nw = Math.max(1, (int) Math.round(w * scale));
        int nh = Math.max(1, (int) Math.round(h * scale));
        boolean alpha = keepAlpha && src.getColorModel().hasAlpha();
        BufferedImage out = new BufferedImage(nw, nh, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, nw, nh, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static ImageReader readerFor(ImageInputStream in, String name) throws IOException {
        if (in == null) {
            throw new IOException("cannot open " + name);
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IOException("no image reader understands " + name);
        }
        return readers.next();
    }
}
