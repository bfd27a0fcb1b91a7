package io.captiond.normalise;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Work handed to libheif so that heif-convert writes the finished JPEG in one run (see
 * {@link HeifMetaEditor}): an EXIF-only rotation (3, 6, 8) becomes an irot it applies while
 * decoding, and alpha to flatten becomes an overlay on the background. Java would otherwise decode
 * libheif's output, turn or flatten it and encode it again (a PNG round trip for alpha), or run
 * jpegtran on it (measured by bench/normalise.sh).
 * <p>
 * Left to the slower routes: mirrored orientations (2, 4, 5, 7: libheif 1.15 reads imir's axis the
 * other way round from later versions), images over 8 bits per sample (libheif 1.15 turns and
 * composes only 8-bit planes), premultiplied alpha (its overlay takes alpha as unassociated),
 * {@code alpha=keep}, and layouts the editor does not handle. An image with alpha is never turned
 * by libheif (1.15 turns its colour but not its alpha plane, measured): it is flattened by the
 * overlay and then turned by jpegtran like any JPEG; one whose container already turns it keeps
 * the PNG route.
 */
final class HeifDecodeJobs {

    private final Transparency transparency;

    HeifDecodeJobs(Transparency transparency) {
        this.transparency = transparency;
    }

    /** What heif-convert should read: the source, or an edited copy in {@code dir} that turns and/or flattens. */
    record Edit(Path file, boolean turned, boolean flattened) {
    }

    Edit edit(Path source, Path dir, HeifContainer heif, ExifFacts exif, boolean bake) throws IOException {
        HeifContainer.Image primary = heif.primary();
        // libheif 1.15 turns the colour planes but not the alpha plane: alpha and a turn never meet here
        int turns = bake && !primary.hasAlpha() ? quarterTurnsAnticlockwise(exif.orientation()) : 0;
        boolean flatten = primary.hasAlpha() && transparency.flatten() && !primary.transformed();
        if ((turns == 0 && !flatten) || primary.bitDepth() > 8) {
            return new Edit(source, false, false);
        }
        boolean swap = turns % 2 == 1;
        long width = swap ? primary.displayHeight() : primary.displayWidth();
        long height = swap ? primary.displayWidth() : primary.displayHeight();
        Path copy = dir.resolve("edited." + (source.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                .endsWith(".avif") ? "avif" : "heic"));
        if (!HeifMetaEditor.write(source, copy, turns, flatten ? transparency.background() : null, width, height)) {
            return new Edit(source, false, false);
        }
        return new Edit(copy, turns != 0, flatten);
    }

    /** irot's angle (anticlockwise quarter turns) that undoes EXIF orientation 3, 6 or 8; 0 for the others. */
    static int quarterTurnsAnticlockwise(int orientation) {
        return switch (orientation) {
            case 3 -> 2;
            case 6 -> 3;
            case 8 -> 1;
            default -> 0;
        };
    }
}
