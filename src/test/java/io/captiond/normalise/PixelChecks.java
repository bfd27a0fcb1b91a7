package io.captiond.normalise;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Pixel-content checks: orientation is judged by what the image shows, never by a tag. */
final class PixelChecks {

    private PixelChecks() {
    }

    static BufferedImage read(Path file) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(file)));
            if (image == null) {
                throw new AssertionError(file + " does not decode with ImageIO");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a reference image is turned before comparing: as is, or rotated a quarter turn. */
    enum Turn { NONE, CLOCKWISE, ANTICLOCKWISE }

    /**
     * Mean absolute difference (0-255, over R, G and B, sampled every 4th pixel) between
     * {@code image} and {@code reference} turned as asked. Same content re-encoded gives a few units;
     * a different orientation gives tens.
     */
    static double difference(BufferedImage image, BufferedImage reference, Turn turn) {
        int rw = reference.getWidth();
        int rh = reference.getHeight();
        int w = turn == Turn.NONE ? rw : rh;
        int h = turn == Turn.NONE ? rh : rw;
        if (image.getWidth() != w || image.getHeight() != h) {
            return 255;
        }
        long sum = 0;
        long n = 0;
        for (int y = 0; y < h; y += 4) {
            for (int x = 0; x < w; x += 4) {
                int ref = switch (turn) {
                    case NONE -> reference.getRGB(x, y);
                    case CLOCKWISE -> reference.getRGB(y, rh - 1 - x);
                    case ANTICLOCKWISE -> reference.getRGB(rw - 1 - y, x);
                };
                int px = image.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((px >> shift) & 0xFF) - ((ref >> shift) & 0xFF));
                    n++;
                }
            }
        }
        return (double) sum / n;
    }

    static int luminance(int rgb) {
        return (((rgb >> 16) & 0xFF) * 299 + ((rgb >> 8) & 0xFF) * 587 + (rgb & 0xFF) * 114) / 1000;
    }

    /**
     * The row (as a fraction of the height) where dark ink spans the widest: for a hand-drawn arrow
     * pointing up, the base of its head, in the upper half.
     */
    static double widestInkRow(BufferedImage image) {
        int best = -1;
        int bestSpan = -1;
        for (int y = 0; y < image.getHeight(); y += 2) {
            int min = Integer.MAX_VALUE;
            int max = -1;
            for (int x = 0; x < image.getWidth(); x += 2) {
                if (luminance(image.getRGB(x, y)) < 70) {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
            }
            if (max - min > bestSpan) {
                bestSpan = max - min;
                best = y;
            }
        }
        return (double) best / image.getHeight();
    }

    /** The horizontal position (fraction of the width) of the topmost dark ink: the arrow's tip. */
    static double topInkColumn(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                if (luminance(image.getRGB(x, y)) < 70) {
                    return (double) x / image.getWidth();
                }
            }
        }
        return -1;
    }
}
