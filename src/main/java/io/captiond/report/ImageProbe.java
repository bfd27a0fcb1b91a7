package io.captiond.report;

import io.captiond.support.Pixels;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Measures one image: one decode (subsampled while reading, so a 12 MP photo costs far less than a
 * full decode), scaled to a common size so that sharpness compares across resolutions, then the
 * perceptual hash (DCT pHash), exposure, colour histogram, sharpness and a thumbnail.
 */
final class ImageProbe {

    /** Longest side the measures are taken at: resized copies of one photo then measure alike. */
    static final int MEASURE_SIDE = 1024;
    static final int HASH_BITS = PerceptualHash.BITS;

    private ImageProbe() {
    }

    record Probed(ImageFacts facts, byte[] thumbnail) {
    }

    static Probed probe(Path file, String name, int width, int height, int thumbnailSide) throws IOException {
        BufferedImage decoded = Pixels.decode(file, Pixels.subsamplingFor(width, height, MEASURE_SIDE));
        BufferedImage measured = Pixels.fitWithin(Pixels.opaqueRgb(decoded, Color.WHITE), MEASURE_SIDE);
        decoded = null;
        int w = measured.getWidth();
        int h = measured.getHeight();
        int[] rgb = measured.getRGB(0, 0, w, h, null, 0, w);
        float[] grey = new float[rgb.length];
        double[] colours = new double[64];
        int highlights = 0;
        int shadows = 0;
        for (int i = 0; i < rgb.length; i++) {
            int r = (rgb[i] >> 16) & 0xff;
            int g = (rgb[i] >> 8) & 0xff;
            int b = rgb[i] & 0xff;
            float y = 0.299f * r + 0.587f * g + 0.114f * b;
            grey[i] = y;
            highlights += y >= 250 ? 1 : 0;
            shadows += y <= 5 ? 1 : 0;
            colours[(r >> 6) * 16 + (g >> 6) * 4 + (b >> 6)]++;
        }
        for (int i = 0; i < colours.length; i++) {
            colours[i] /= rgb.length;
        }
        BufferedImage small = Pixels.fitWithin(measured, 256);
        long hash = PerceptualHash.hash(small);
        byte[] thumbnail = Pixels.encodeJpeg(Pixels.fitWithin(small.getWidth() >= thumbnailSide
                || small.getHeight() >= thumbnailSide ? small : measured, thumbnailSide), 0.75f);
        ImageFacts facts = new ImageFacts(name, width, height, sha256(file), new long[] {hash},
                Sharpness.laplacianVariance(grey, w, h), highlights / (double) rgb.length, shadows / (double) rgb.length,
                colours);
        return new Probed(facts, thumbnail);
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
