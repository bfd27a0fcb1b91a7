package io.captiond.normalise;

import java.io.IOException;
import java.nio.file.Path;

/** Turns one input type into a dataset member written atomically at {@code target}. */
public interface ImageConverter {

    boolean handles(ImageType type);

    /** The member's extension for this input (it may depend on orientation or transparency). */
    String outputExtension(ImageType type, ExifFacts exif);

    /**
     * The member's extension when the file itself must be looked at (transparency, lossless or
     * lossy source); by default the same as {@link #outputExtension(ImageType, ExifFacts)}.
     */
    default String outputExtension(Path source, ImageType type, ExifFacts exif) throws IOException {
        return outputExtension(type, exif);
    }

    Converted convert(Path source, Path target, ImageType type, ExifFacts exif) throws IOException;
}
