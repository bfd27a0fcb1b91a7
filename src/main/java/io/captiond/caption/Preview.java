package io.captiond.caption;

import io.captiond.support.Pixels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The downscaled copy of a member that captioners see: longest side at most {@code captionSide},
 * JPEG at quality 85. Made once per caption attempt sequence and never stored in the dataset.
 */
public record Preview(BufferedImage image, byte[] jpeg) {

    static final float QUALITY = 0.85f;

    public static Preview of(Path member, int width, int height, int captionSide) throws IOException {
        BufferedImage decoded = Pixels.decode(member, Pixels.subsamplingFor(width, height, captionSide));
        if (decoded == null) {
            throw new IOException("no decoder could read " + member.getFileName());
        }
        // the caption describes what the trainer sees: a member keeps alpha only with
        // captiond.normalise.alpha=keep, and trainers then drop it (.convert("RGB"))
        BufferedImage scaled = Pixels.fitWithin(Pixels.withoutAlpha(decoded), captionSide);
        return new Preview(scaled, Pixels.encodeJpeg(scaled, QUALITY));
    }

    /**
     * This preview, or a smaller copy whose JPEG is at most {@code maxBytes} (for inputs with a size
     * cap such as Replicate's data URIs): cheaper than an upload request per image.
     */
    public Preview fittingIn(long maxBytes) throws IOException {
        Preview current = this;
        while (current.jpeg.length > maxBytes && Math.max(current.image.getWidth(), current.image.getHeight()) > 64) {
            int side = (int) (Math.max(current.image.getWidth(), current.image.getHeight()) * 0.75);
            BufferedImage smaller = Pixels.fitWithin(current.image, side);
            current = new Preview(smaller, Pixels.encodeJpeg(smaller, QUALITY));
        }
        return current;
    }
}
