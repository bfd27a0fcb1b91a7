package io.captiond.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The real-world images in src/test/resources/fixtures/images (provenance and licences in
 * fixtures/PROVENANCE.md; read-only: tests copy them, never edit).
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path dir() {
        String configured = System.getProperty("captiond.fixtures");
        Path dir = configured != null ? Path.of(configured) : Path.of("src/test/resources/fixtures/images");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("fixtures not found at " + dir.toAbsolutePath()
                    + " (run the tests from the project folder)");
        }
        return dir;
    }

    public static Path image(String name) {
        return dir().resolve(name);
    }

    /**
     * A small PNG unlike the other {@code count - 1} made this way (its own hue, a bar in its own
     * place), so that a local server can tell which image a request carries.
     */
    public static byte[] distinctPng(int index, int count) {
        BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(Color.HSBtoRGB(index / (float) count, 0.7f, 0.9f)));
        g.fillRect(0, 0, 96, 64);
        g.setColor(Color.DARK_GRAY);
        g.fillRect(index % 80, 8 + index / 80 % 40, 12, 16);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
