package io.captiond.normalise;

import io.captiond.config.CaptiondProperties;
import io.captiond.support.Pixels;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * What happens to transparent pixels ({@code captiond.normalise.alpha}). Trainers (kohya
 * sd-scripts, ai-toolkit) load images with {@code .convert("RGB")}, which drops alpha and shows
 * whatever colour sits under transparent pixels, often black. So by default ({@code flatten})
 * every member is laid over {@code captiond.normalise.background} and the caption is made from
 * that; {@code keep} writes alpha as it is, for trainers that handle it.
 */
@Component
public class Transparency {

    public static final String FLATTENED = "flattened";
    public static final String KEPT = "kept";

    private final boolean flatten;
    private final Color background;
    private final String backgroundName;

    public Transparency(CaptiondProperties props) {
        this.flatten = props.normalise().flattenAlpha();
        this.backgroundName = props.normalise().background().toUpperCase(Locale.ROOT);
        this.background = Color.decode(backgroundName);
    }

    public boolean flatten() {
        return flatten;
    }

    public Color background() {
        return background;
    }

    /** An opaque copy laid over the background. */
    public BufferedImage flattened(BufferedImage image) {
        return Pixels.opaqueRgb(image, background);
    }

    /** The manifest warning for a flattened member. */
    public String note() {
        return "transparent pixels laid over " + backgroundName + " (captiond.normalise.background; "
                + "captiond.normalise.alpha=flatten)";
    }

    /** True when some pixel is not fully opaque: an alpha channel alone may be all 255. */
    public static boolean hasTransparentPixel(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return false;
        }
        WritableRaster alpha = image.getAlphaRaster();
        if (alpha == null) { // an indexed image with a transparent entry
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    if ((image.getRGB(x, y) >>> 24) != 0xFF) {
                        return true;
                    }
                }
            }
            return false;
        }
        int max = (1 << alpha.getSampleModel().getSampleSize(0)) - 1;
        int[] row = new int[alpha.getWidth()];
        for (int y = 0; y < alpha.getHeight(); y++) {
            alpha.getSamples(0, y, alpha.getWidth(), 1, 0, row);
            for (int a : row) {
                if (a != max) {
                    return true;
                }
            }
        }
        return false;
    }
}
