package io.captiond.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

/** 16-bit RGBA laid over a background in one pass gives what Java2D's own composition gives. */
class WideAlphaFlatteningTest {

    @Test
    void aSixteenBitRgbaImageIsLaidOverTheBackgroundAsJava2dWouldWithinOneUnit() {
        BufferedImage rgba = sixteenBitRgba(64, 32);
        Color magenta = new Color(0xFF00FF);

        BufferedImage fast = Pixels.opaqueRgb(rgba, magenta);
        BufferedImage java2d = new BufferedImage(64, 32, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = java2d.createGraphics();
        g.setColor(magenta);
        g.fillRect(0, 0, 64, 32);
        g.drawImage(rgba, 0, 0, null);
        g.dispose();

        assertThat(WideAlphaFlattening.handles(rgba)).isTrue();
        int worst = 0;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    worst = Math.max(worst, Math.abs((fast.getRGB(x, y) >> shift & 0xFF) - (java2d.getRGB(x, y) >> shift & 0xFF)));
                }
            }
        }
        assertThat(worst).isLessThanOrEqualTo(1);
        assertThat(fast.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF00FF); // alpha 0: the background
    }

    /** Colour ramps, alpha rising from 0 (left) to opaque (right). */
    private static BufferedImage sixteenBitRgba(int w, int h) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                java.awt.Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, new int[] {x * 1000, y * 2000, 40000, x * 65535 / (w - 1)});
            }
        }
        return new BufferedImage(model, raster, false, null);
    }
}
