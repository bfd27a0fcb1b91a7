package io.captiond.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * The DCT perceptual hash ("pHash", as in Zauner 2010 and the Python imagehash package): the image
 * shrunk to 32×32 grey, its 2-D DCT, and one bit per coefficient of the 8×8 lowest frequencies:
 * above their median or not. Resizing, re-encoding and slight crops keep the low frequencies, so
 * copies differ in few bits and distinct photos in about half of them.
 * <p>
 * Hand-written on purpose: JImageHash 1.0.0 (dev.brachtendorf, the Java library for this, last
 * released 2021) resolves, but hashing a BufferedImage goes through {@code javafx.scene.image.Image},
 * so it needs the platform-specific JavaFX toolkit on a headless daemon's class path.
 */
final class PerceptualHash {

    static final int BITS = 64;
    private static final int SIZE = 32;
    private static final int LOW = 8;
    private static final double[][] COSINES = new double[LOW][SIZE];

    static {
        for (int u = 0; u < LOW; u++) {
            for (int x = 0; x < SIZE; x++) {
                COSINES[u][x] = Math.cos((2 * x + 1) * u * Math.PI / (2 * SIZE));
            }
        }
    }

    private PerceptualHash() {
    }

    /** 64 bits; bit {@code 8u+v} is set when DCT coefficient (u, v) is above the median of the 64. */
    static long hash(BufferedImage image) {
        double[][] grey = shrunkGrey(image);
        // separable DCT-II, only the 8 lowest frequencies in each direction are needed
        double[][] rows = new double[SIZE][LOW];
        for (int y = 0; y < SIZE; y++) {
            for (int v = 0; v < LOW; v++) {
                double sum = 0;
                for (int x = 0; x < SIZE; x++) {
                    sum += grey[y][x] * COSINES[v][x];
                }
                rows[y][v] = sum;
            }
        }
        double[] coefficients = new double[LOW * LOW];
        for (int u = 0; u < LOW; u++) {
            for (int v = 0; v < LOW; v++) {
                double sum = 0;
                for (int y = 0; y < SIZE; y++) {
                    sum += rows[y][v] * COSINES[u][y];
                }
                coefficients[u * LOW + v] = sum;
            }
        }
        double[] sorted = coefficients.clone();
        java.util.Arrays.sort(sorted);
        double median = (sorted[31] + sorted[32]) / 2;
        long bits = 0;
        for (int i = 0; i < coefficients.length; i++) {
            if (coefficients[i] > median) {
                bits |= 1L << i;
            }
        }
        return bits;
    }

    /** 32×32 luminance; shrunk in halving steps first, so that bilinear scaling averages every pixel. */
    private static double[][] shrunkGrey(BufferedImage image) {
        BufferedImage current = image;
        while (current.getWidth() >= 2 * SIZE * 2 && current.getHeight() >= 2 * SIZE * 2) {
            current = scaled(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        BufferedImage small = scaled(current, SIZE, SIZE);
        double[][] grey = new double[SIZE][SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int rgb = small.getRGB(x, y);
                grey[y][x] = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
            }
        }
        return grey;
    }

    private static BufferedImage scaled(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
