package io.captiond.normalise;

import java.awt.image.BufferedImage;
import io.captiond.support.Pixels;
import java.io.IOException;

/**
 * Chroma subsampling of a re-encoded JPEG: the source's, so that a 4:4:4 photo keeps its colour
 * resolution (ImageIO's writer alone always picks 4:2:0); see {@link Pixels#encodeJpeg(BufferedImage, float, int[][])}.
 */
final class SamplingJpegEncoder {

    private SamplingJpegEncoder() {
    }

    /** {@code sampling}: {H, V} per component as in the source's frame header, or null for ImageIO's default. */
    static byte[] encode(BufferedImage rgb, float quality, int[][] sampling) throws IOException {
        return Pixels.encodeJpeg(rgb, quality, sampling);
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
