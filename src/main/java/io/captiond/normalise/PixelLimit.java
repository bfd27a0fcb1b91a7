package io.captiond.normalise;

import io.captiond.support.Pixels;

import io.captiond.config.CaptiondProperties;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** Refuses decompression bombs from their header (huge dimensions in a small file) before decoding. */
@Component
public class PixelLimit {

    private final long maxPixels;

    public PixelLimit(CaptiondProperties props) {
        this.maxPixels = props.normalise().maxPixels();
    }

    /** Checks the size an ImageIO reader finds in the header; returns it as {width, height}. */
    public int[] check(Path source) throws IOException {
        int[] size = Pixels.headerSize(source);
        check(size[0], size[1]);
        return size;
    }

    /** The pixels of several images one decoder run will decode together (libheif's top-level images). */
    public void checkTotal(long pixels, int images) {
        if (pixels > maxPixels) {
            throw new RejectedInputException("the decoder would have to decode " + images + " images of "
                    + pixels / 1_000_000 + " MP in total, over the limit of " + maxPixels / 1_000_000
                    + " MP (captiond.normalise.max-pixels); not decoded");
        }
    }

    public void check(long width, long height) {
        if (width <= 0 || height <= 0) {
            throw new RejectedInputException("image header gives no usable size (" + width + "x" + height + ")");
        }
        if (width * height > maxPixels) {
            throw new RejectedInputException("image is " + width + "x" + height + " = " + (width * height / 1_000_000)
                    + " MP, over the limit of " + maxPixels / 1_000_000
                    + " MP (captiond.normalise.max-pixels); not decoded");
        }
    }
}
