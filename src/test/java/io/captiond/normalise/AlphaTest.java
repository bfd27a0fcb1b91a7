package io.captiond.normalise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.captiond.config.CaptiondProperties;
import io.captiond.support.Fixtures;
import io.captiond.support.LibHeifTools;
import io.captiond.support.TestProperties;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Transparency, as the trainer will see it: by default every transparent member is laid over
 * {@code captiond.normalise.background} (never the black a trainer's {@code .convert("RGB")}
 * would show), written as PNG from a lossless source and JPEG from a lossy one, and recorded as
 * {@code alpha: flattened}; {@code captiond.normalise.alpha=keep} keeps it. WebPs with alpha are
 * made here by ffmpeg's libwebp from transparent.png.
 */
class AlphaTest {

    private static final int MAGENTA = 0xFF00FF;

    @TempDir
    Path tmp;

    @Test
    void aTransparentPngIsLaidOverTheBackgroundAndStaysPng() throws Exception {
        Path source = Fixtures.image("transparent.png");
        BufferedImage rgba = PixelChecks.read(source);
        CaptiondProperties props = TestProperties.with("captiond.normalise.background", "#FF00FF");

        Member m = convert(pngWebp(props), source, props);

        assertThat(m.extension).isEqualTo("png");
        assertThat(m.converted.alpha()).isEqualTo("flattened");
        assertThat(m.converted.warnings()).anyMatch(w -> w.contains("laid over #FF00FF"));
        BufferedImage out = PixelChecks.read(m.file);
        assertThat(out.getColorModel().hasAlpha()).isFalse();
        assertThat(compositeDifference(out, rgba, MAGENTA)).as("lossless: exactly the composite").isLessThan(0.6);
        assertThat(compositeDifference(out, rgba, 0)).isGreaterThan(10);
    }

    @Test
    void withAlphaKeepTheTransparentPngPassesThroughByteForByte() throws Exception {
        Path source = Fixtures.image("transparent.png");
        CaptiondProperties props = TestProperties.with("captiond.normalise.alpha", "keep");

        Member m = convert(pngWebp(props), source, props);

        assertThat(Files.readAllBytes(m.file)).isEqualTo(Files.readAllBytes(source));
        assertThat(m.converted.alpha()).isEqualTo("kept");
    }

    @Test
    void anAlphaChannelThatIsOpaqueEverywhereChangesNothing() throws Exception {
        BufferedImage opaque = new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                opaque.setRGB(x, y, 0xFF000000 | (x * 6) << 16 | (y * 8));
            }
        }
        Path source = tmp.resolve("opaque.png");
        javax.imageio.ImageIO.write(opaque, "png", source.toFile());
        CaptiondProperties props = TestProperties.with();

        Member m = convert(pngWebp(props), source, props);

        assertThat(Files.readAllBytes(m.file)).isEqualTo(Files.readAllBytes(source));
        assertThat(m.converted.alpha()).isNull();
    }

    @ParameterizedTest(name = "{0} WebP with alpha becomes a flattened {1}")
    @CsvSource({"lossy, jpg, 6", "lossless, png, 0.6"})
    void aWebpWithAlphaIsFlattenedIntoPngWhenLosslessAndJpegWhenLossy(String kind, String extension, double tolerance)
            throws Exception {
        Path webp = webp(Fixtures.image("transparent.png"), kind.equals("lossless"));
        BufferedImage rgba = PixelChecks.read(webp);
        assertThat(rgba.getColorModel().hasAlpha()).as("the generated WebP decodes with alpha").isTrue();
        assertThat(AlphaHeader.read(webp, ImageType.WEBP)).isEqualTo(new AlphaHeader(true, kind.equals("lossless")));
        CaptiondProperties props = TestProperties.with("captiond.normalise.background", "#FF00FF");

        Member m = convert(pngWebp(props), webp, props);

        assertThat(m.extension).isEqualTo(extension);
        assertThat(m.converted.alpha()).isEqualTo("flattened");
        BufferedImage out = PixelChecks.read(m.file);
        assertThat(compositeDifference(out, rgba, MAGENTA)).isLessThan(tolerance);
        assertThat(compositeDifference(out, rgba, 0)).isGreaterThan(10);
    }

    @ParameterizedTest(name = "{0} with alpha=keep becomes a PNG with its alpha")
    @CsvSource({"with-alpha-512x512.heic", "RGBA_10__128x128.heif"})
    void heifWithAlphaKeptBecomesPng(String fixture) throws Exception {
        LibHeifTools.assumeInstalled();
        CaptiondProperties props = TestProperties.with("captiond.normalise.alpha", "keep");
        PixelLimit limit = new PixelLimit(props);
        HeifConverter heif = new HeifConverter(new LibHeif(props), limit, new JpegConverter(limit, props), props);

        Member m = convert(heif, Fixtures.image(fixture), props);

        assertThat(m.extension).isEqualTo("png");
        assertThat(m.converted.alpha()).isEqualTo("kept");
        BufferedImage out = PixelChecks.read(m.file);
        assertThat(Transparency.hasTransparentPixel(out)).isTrue();
    }

    @ParameterizedTest(name = "{0} is flattened and its record says so")
    @CsvSource({"with-alpha-512x512.heic", "RGBA_10__128x128.heif"})
    void heifWithAlphaIsFlattenedByDefault(String fixture) throws Exception {
        LibHeifTools.assumeInstalled();
        CaptiondProperties props = TestProperties.with();
        Member m = convert(HeifConverterTest.converter(props), Fixtures.image(fixture), props);

        assertThat(m.extension).isEqualTo("jpg");
        assertThat(m.converted.alpha()).isEqualTo("flattened");
    }

    record Member(Path file, String extension, Converted converted) {
    }

    private Member convert(ImageConverter converter, Path source, CaptiondProperties props) throws Exception {
        ImageType type = ImageSniffer.sniff(source);
        ExifFacts exif = ExifFacts.read(source, type);
        String extension = converter.outputExtension(source, type, exif);
        Path target = tmp.resolve("member-" + System.nanoTime() + "." + extension);
        return new Member(target, extension, converter.convert(source, target, type, exif));
    }

    private static PngWebpConverter pngWebp(CaptiondProperties props) {
        return new PngWebpConverter(new PixelLimit(props), new Transparency(props));
    }

    /** transparent.png through ffmpeg's libwebp, with its alpha. */
    private Path webp(Path png, boolean lossless) throws Exception {
        Path out = tmp.resolve((lossless ? "lossless" : "lossy") + ".webp");
        List<String> command = lossless
                ? List.of("ffmpeg", "-v", "error", "-y", "-i", png.toString(), "-c:v", "libwebp", "-lossless", "1",
                        "-pix_fmt", "bgra", out.toString())
                : List.of("ffmpeg", "-v", "error", "-y", "-i", png.toString(), "-c:v", "libwebp", "-quality", "90",
                        "-pix_fmt", "yuva420p", out.toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "ffmpeg is not installed (apt-get install ffmpeg): WebP-with-alpha inputs cannot be made here");
            throw e;
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assumeTrue(p.exitValue() == 0, "this ffmpeg has no libwebp encoder");
        return out;
    }

    /** Mean difference between {@code image} and {@code rgba} composited over {@code background}. */
    static double compositeDifference(BufferedImage image, BufferedImage rgba, int background) {
        long sum = 0;
        long n = 0;
        for (int y = 0; y < rgba.getHeight(); y++) {
            for (int x = 0; x < rgba.getWidth(); x++) {
                int argb = rgba.getRGB(x, y);
                double alpha = (argb >>> 24) / 255.0;
                int px = image.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    double expected = alpha * ((argb >> shift) & 0xFF) + (1 - alpha) * ((background >> shift) & 0xFF);
                    sum += Math.round(Math.abs(((px >> shift) & 0xFF) - expected));
                    n++;
                }
            }
        }
        return (double) sum / n;
    }
}
