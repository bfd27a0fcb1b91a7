package io.captiond.support;

import java.awt.Color;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;

/**
 * A 16-bit RGBA image (libheif's PNG of a 10-bit HEIF with alpha) laid over a background in one
 * pass over its samples. Java2D has no direct loop for such an image and composes it pixel by
 * pixel through its generic path (about 0.5 µs a pixel, seconds for a 12 MP photo). Unassociated
 * alpha, the blend done at 16 bits and rounded once to 8; colour samples are not converted (the
 * ICC profile that travels with them still describes them).
 */
final class WideAlphaFlattening {

    private static final long MAX = 0xFFFF;

    private WideAlphaFlattening() {
    }

    static boolean handles(BufferedImage src) {
        Raster raster = src.getRaster();
        return src.getColorModel() instanceof ComponentColorModel model && model.hasAlpha()
                && !model.isAlphaPremultiplied() && raster.getNumBands() == 4
                && model.getColorSpace().getType() == ColorSpace.TYPE_RGB
                && java.util.Arrays.stream(src.getSampleModel().getSampleSize()).allMatch(bits -> bits == 16);
    }

    static BufferedImage flattened(BufferedImage src, Color background) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        long[] under = {background.getRed() * 257L, background.getGreen() * 257L, background.getBlue() * 257L};
        int[] row = new int[w * 4];
        Raster in = src.getRaster();
        for (int y = 0; y < h; y++) {
            in.getPixels(0, y, w, 1, row);
            int at = y * w * 3;
            for (int x = 0; x < w; x++) {
                long a = row[x * 4 + 3];
                for (int c = 0; c < 3; c++) {
                    long wide = (row[x * 4 + c] * a + under[c] * (MAX - a) + MAX / 2) / MAX;
                    bgr[at + x * 3 + 2 - c] = (byte) ((wide * 255 + MAX / 2) / MAX);
                }
            }
        }
        return out;
    }
}
