package io.captiond.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real-world images in ../shared/fixtures/images (read-only: tests copy them, never edit). */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path dir() {
        String configured = System.getProperty("captiond.fixtures");
        Path dir = configured != null ? Path.of(configured) : Path.of("../shared/fixtures/images");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("fixtures not found at " + dir.toAbsolutePath()
                    + " (the repository expects ../shared next to it)");
        }
        return dir;
    }

    public static Path image(String name) {
        return dir().resolve(name);
    }
}
