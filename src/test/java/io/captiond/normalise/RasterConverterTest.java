package io.captiond.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import com.twelvemonkeys.imageio.color.ColorSpaces;
import io.captiond.config.CaptiondProperties;
import io.captiond.support.TestProperties;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BMP, TIFF and GIF, made here with ImageIO and TwelveMonkeys' writers: PNG out of a lossless
 * source, JPEG out of a JPEG-compressed TIFF, first page or frame only (the others noted), 16-bit
 * and CMYK brought to 8-bit RGB, transparency flattened.
 */
class RasterConverterTest {

    @TempDir
    Path tmp;

    @Test
    void aBmpBecomesAPngWithTheSamePixels() throws Exception {
        BufferedImage picture = picture(64, 48);
        Path bmp = tmp.resolve("scan.bmp");
        ImageIO.write(picture, "bmp", bmp.toFile());

        Member m = convert(bmp);

        assertThat(m.extension).isEqualTo("png");
        assertThat(LosslessTurnTest.maxError(PixelChecks.read(m.file), picture)).isZero();
    }

    @Test
    void anAnimatedGifKeepsItsFirstFrameAndSaysHowManyThereWere() throws Exception {
        Path gif = tmp.resolve("anim.gif");
        writeSequence(gif, "gif", null, List.of(picture(40, 30), new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR),
                new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR)));

        Member m = convert(gif);

        assertThat(m.extension).isEqualTo("png");
        assertThat(m.converted.warnings()).contains("GIF: animation of 3 frames, the first frame kept");
        assertThat(PixelChecks.difference(PixelChecks.read(m.file), picture(40, 30), PixelChecks.Turn.NONE))
                .as("the first frame, not a black one").isLessThan(12); // GIF's 256-colour palette
    }

    @Test
    void aGifWithATransparentColourIsFlattenedOntoTheBackground() throws Exception {
        Path gif = halfTransparentGif(20, 10);

        Member m = convert(gif, TestProperties.with("captiond.normalise.background", "#00FF00"));

        BufferedImage out = PixelChecks.read(m.file);
        assertThat(out.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0x00FF00);
        assertThat(out.getRGB(15, 2) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(m.converted.alpha()).isEqualTo("flattened");
    }

    @Test
    void maxSideDownscalesAGifWhoseTransparencyIsKeptAndKeepsItsAlpha() throws Exception {
        Path gif = halfTransparentGif(200, 100);

        Member m = convert(gif, TestProperties.with("captiond.normalise.alpha", "keep", "captiond.normalise.max-side", "50"));

        BufferedImage out = PixelChecks.read(m.file);
        assertThat(out.getWidth()).isEqualTo(50);
        assertThat(out.getHeight()).isEqualTo(25);
        assertThat(out.getRGB(5, 5) >>> 24).isZero();
        assertThat(out.getRGB(45, 5)).isEqualTo(0xFFFF0000);
        assertThat(m.converted.alpha()).isEqualTo("kept");
        assertThat(m.converted.warnings()).contains("downscaled from 200x100 to 50x25 (captiond.normalise.max-side)");
    }

    @Test
    void aMultiPageTiffKeepsItsFirstPage() throws Exception {
        Path tiff = tmp.resolve("scan.tif");
        writeSequence(tiff, "tiff", null, List.of(picture(50, 40), picture(30, 20)));

        Member m = convert(tiff);

        assertThat(m.extension).isEqualTo("png");
        assertThat(m.converted.warnings()).contains("TIFF: 2 pages, the first page kept (50x40)");
        assertThat(LosslessTurnTest.maxError(PixelChecks.read(m.file), picture(50, 40))).isZero();
    }

    @Test
    void aJpegCompressedTiffBecomesAJpeg() throws Exception {
        Path tiff = tmp.resolve("camera.tif");
        writeSequence(tiff, "tiff", "JPEG", List.of(picture(64, 48)));
        assertThat(RasterConverter.jpegCompressed(tiff)).isTrue();

        Member m = convert(tiff);

        assertThat(m.extension).isEqualTo("jpg");
        assertThat(ImageSniffer.sniff(m.file)).isEqualTo(ImageType.JPEG);
        assertThat(PixelChecks.difference(PixelChecks.read(m.file), picture(64, 48), PixelChecks.Turn.NONE)).isLessThan(4);
    }

    @Test
    void aSixteenBitTiffBecomesAnEightBitPng() throws Exception {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(32, 16);
        for (int x = 0; x < 32; x++) {
            for (int y = 0; y < 16; y++) {
                raster.setPixel(x, y, new int[] {x * 2048, 65535, 0});
            }
        }
        Path tiff = tmp.resolve("deep.tif");
        // the JDK's own TIFF writer: TwelveMonkeys' does not write 16-bit samples
        ImageWriter writer = java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(
                ImageIO.getImageWritersByFormatName("tiff"), 0), false)
                .filter(w -> w.getClass().getName().startsWith("com.sun.")).findFirst().orElseThrow();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(tiff.toFile())) {
            writer.setOutput(out);
            writer.write(new BufferedImage(model, raster, false, null));
        } finally {
            writer.dispose();
        }

        Member m = convert(tiff);

        BufferedImage out = PixelChecks.read(m.file);
        assertThat(out.getSampleModel().getSampleSize(0)).isEqualTo(8);
        assertThat(m.converted.warnings()).contains("TIFF: 16-bit samples reduced to 8-bit");
        assertThat((out.getRGB(16, 8) >> 16) & 0xFF).isBetween(126, 130); // 32768 of 65535
        assertThat((out.getRGB(16, 8) >> 8) & 0xFF).isEqualTo(255);
    }

    @Test
    void aCmykTiffBecomesRgb() throws Exception {
        ColorSpace cmyk = ColorSpaces.getColorSpace(ColorSpaces.CS_GENERIC_CMYK);
        ComponentColorModel model = new ComponentColorModel(cmyk, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(16, 16);
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 16; y++) {
                raster.setPixel(x, y, x < 8 ? new int[] {0, 255, 255, 0} : new int[] {0, 0, 0, 0}); // red | white
            }
        }
        Path tiff = tmp.resolve("print.tif");
        ImageIO.write(new BufferedImage(model, raster, false, null), "tiff", tiff.toFile());

        Member m = convert(tiff);

        BufferedImage out = PixelChecks.read(m.file);
        int red = out.getRGB(2, 2);
        assertThat((red >> 16) & 0xFF).isGreaterThan(180);
        assertThat((red >> 8) & 0xFF).isLessThan(90);
        assertThat(out.getRGB(12, 2) & 0xFFFFFF).isGreaterThan(0xE0E0E0);
        assertThat(m.converted.warnings()).contains("TIFF: CMYK converted to RGB");
    }

    /** A GIF whose left half is its transparent colour and right half red. */
    private Path halfTransparentGif(int w, int h) throws Exception {
        byte[] r = {0, (byte) 255};
        IndexColorModel palette = new IndexColorModel(8, 2, r, new byte[2], new byte[2], 0); // index 0 transparent
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int x = w / 2; x < w; x++) {
            for (int y = 0; y < h; y++) {
                image.getRaster().setSample(x, y, 0, 1);
            }
        }
        Path gif = tmp.resolve("sticker.gif");
        ImageIO.write(image, "gif", gif.toFile());
        return gif;
    }

    record Member(Path file, String extension, Converted converted) {
    }

    private Member convert(Path source) throws Exception {
        return convert(source, TestProperties.with());
    }

    private Member convert(Path source, CaptiondProperties props) throws Exception {
        RasterConverter converter = new RasterConverter(new PixelLimit(props), new io.captiond.normalise.Transparency(props), props);
        ImageType type = ImageSniffer.sniff(source);
        assertThat(converter.handles(type)).as(type.toString()).isTrue();
        ExifFacts exif = ExifFacts.read(source, type);
        String extension = converter.outputExtension(source, type, exif);
        Path target = tmp.resolve("member." + extension);
        return new Member(target, extension, converter.convert(source, target, type, exif));
    }

    /** A picture with gradients and edges, so that a wrong frame, crop or colour shows. */
    static BufferedImage picture(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | (x < w / 2 ? 40 : 200));
            }
        }
        return image;
    }

    private static void writeSequence(Path file, String format, String compression, List<BufferedImage> images) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (compression != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(compression);
            }
            writer.prepareWriteSequence(null);
            for (BufferedImage image : images) {
                writer.writeToSequence(new IIOImage(image, null, null), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }
}
