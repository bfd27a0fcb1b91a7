package io.captiond.normalise;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Work handed to libheif so that heif-convert writes the finished JPEG in one run (see
 * {@link HeifMetaEditor}): an EXIF-only rotation (3, 6, 8) of a size jpegtran cannot turn
 * perfectly becomes an irot it applies while decoding (Java would otherwise decode, turn and
 * re-encode libheif's JPEG), and alpha to flatten becomes an overlay on the background (instead
 * of a PNG round trip through Java). Measured by bench/normalise.sh.
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
        int turns = bake && !primary.hasAlpha() && !wholeBlocks(primary) ? quarterTurnsAnticlockwise(exif.orientation()) : 0;
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

    /**
     * A size of whole 16x16 blocks (libheif's JPEG is 4:2:0): jpegtran turns that JPEG perfectly,
     * in about the time libheif 1.15 takes to turn the pixels itself (bench/normalise.sh, 12 MP), so
     * the turn is left to it; any other size would need the slow re-encode, so libheif turns it.
     */
    static boolean wholeBlocks(HeifContainer.Image primary) {
        return primary.displayWidth() % 16 == 0 && primary.displayHeight() % 16 == 0;
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
