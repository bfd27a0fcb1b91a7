package io.captiond.report;

import io.captiond.support.Pixels;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Measures one image: one decode, subsampled while reading to about {@link #MEASURE_SIDE} on the
 * longest side (so sharpness compares across resolutions, and a 12 MP photo costs less than a full
 * decode), then exposure, colour histogram and sharpness in one pass over its pixels, and the
 * perceptual hash (DCT pHash) and thumbnail from a 256-pixel copy.
 */
final class ImageProbe {

    /** Longest side (roughly) the measures are taken at: resized copies of one photo then measure alike. */
    static final int MEASURE_SIDE = 1024;
    static final int HASH_BITS = PerceptualHash.BITS;

    private ImageProbe() {
    }

    record Probed(ImageFacts facts, byte[] thumbnail) {
    }

    static Probed probe(Path file, String name, int width, int height, int thumbnailSide) throws IOException {
        // ImageIO drops pixels while decoding (nearest neighbour): cheap, and the longest side lands near 1024
        int step = Math.max(1, (int) Math.round(Math.max(width, height) / (double) MEASURE_SIDE));
        BufferedImage measured = Pixels.opaqueRgb(Pixels.decode(file, step), Color.WHITE);
        int w = measured.getWidth();
        int h = measured.getHeight();
        float[] grey = new float[w * h];
        double[] colours = new double[64];
        int highlights = 0;
        int shadows = 0;
        byte[] bgr = measured.getType() == BufferedImage.TYPE_3BYTE_BGR
                ? ((DataBufferByte) measured.getRaster().getDataBuffer()).getData() : null;
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            if (bgr == null) {
                measured.getRGB(0, y, w, 1, row, 0, w);
            }
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int r;
                int g;
                int b;
                if (bgr != null) {
                    b = bgr[3 * i] & 0xff;
                    g = bgr[3 * i + 1] & 0xff;
                    r = bgr[3 * i + 2] & 0xff;
                } else {
                    r = (row[x] >> 16) & 0xff;
                    g = (row[x] >> 8) & 0xff;
                    b = row[x] & 0xff;
                }
                float lum = 0.299f * r + 0.587f * g + 0.114f * b;
                grey[i] = lum;
                highlights += lum >= 250 ? 1 : 0;
                shadows += lum <= 5 ? 1 : 0;
                colours[(r >> 6) * 16 + (g >> 6) * 4 + (b >> 6)]++;
            }
        }
        for (int i = 0; i < colours.length; i++) {
            colours[i] /= grey.length;
        }
        BufferedImage small = Pixels.fitWithin(measured, Math.max(256, thumbnailSide));
        long hash = PerceptualHash.hash(small);
        byte[] thumbnail = Pixels.encodeJpeg(Pixels.fitWithin(small, thumbnailSide), 0.75f);
        ImageFacts facts = new ImageFacts(name, width, height, sha256(file), new long[] {hash},
                Sharpness.laplacianVariance(grey, w, h), highlights / (double) grey.length, shadows / (double) grey.length,
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
