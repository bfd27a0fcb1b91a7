package io.captiond.normalise;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Encodes a JPEG with the chroma subsampling of the JPEG it was decoded from: ImageIO's writer
 * always picks 4:2:0 for colour, which halves a 4:4:4 photo's colour resolution. The sampling
 * factors go in through the writer's standard metadata tree (its {@code sof} node).
 */
final class SamplingJpegEncoder {

    private static final String FORMAT = "javax_imageio_jpeg_image_1.0";

    private SamplingJpegEncoder() {
    }

    /** {@code sampling}: {H, V} per component as in the source's frame header, or null for ImageIO's default. */
    static byte[] encode(BufferedImage rgb, float quality, int[][] sampling) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(rgb), param);
            if (sampling != null && sampling.length == 3) {
                Node tree = metadata.getAsTree(FORMAT);
                NodeList sofs = ((Element) tree).getElementsByTagName("sof");
                if (sofs.getLength() == 1) {
                    NodeList components = ((Element) sofs.item(0)).getElementsByTagName("componentSpec");
                    for (int i = 0; i < components.getLength() && i < 3; i++) {
                        Element c = (Element) components.item(i);
                        c.setAttribute("HsamplingFactor", String.valueOf(sampling[i][0]));
                        c.setAttribute("VsamplingFactor", String.valueOf(sampling[i][1]));
                    }
                    metadata.setFromTree(FORMAT, tree);
                }
            }
            writer.write(null, new IIOImage(rgb, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The factors of an image turned by {@code orientation}: a quarter turn swaps H and V. */
    static int[][] turned(int[][] sampling, int orientation) {
        if (sampling == null || !Orientation.swapsSides(orientation)) {
            return sampling;
        }
        int[][] swapped = new int[sampling.length][];
        for (int i = 0; i < sampling.length; i++) {
            swapped[i] = new int[] {sampling[i][1], sampling[i][0]};
        }
        return swapped;
    }

    /** "4:2:0", "4:4:4"... for messages; the layout of the first (luma) component against the others. */
    static String describe(int[][] sampling) {
        if (sampling == null || sampling.length < 3) {
            return "grey";
        }
        int h = sampling[0][0] / Math.max(1, sampling[1][0]);
        int v = sampling[0][1] / Math.max(1, sampling[1][1]);
        if (h == 1 && v == 1) {
            return "4:4:4";
        }
        if (h == 2 && v == 1) {
            return "4:2:2";
        }
        if (h == 2 && v == 2) {
            return "4:2:0";
        }
        if (h == 1 && v == 2) {
            return "4:4:0";
        }
        return h + "x" + v + " chroma";
    }
}
