package io.captiond.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.config.CaptiondProperties;
import io.captiond.support.Fixtures;
import io.captiond.support.LibHeifTools;
import io.captiond.support.TestProperties;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The work handed to libheif (an irot for an EXIF-only rotation, an overlay on the background for
 * alpha): the member is what the slower routes made, judged by pixel content against a bare
 * libheif decode turned or composed in Java.
 */
class HeifDecodeJobsTest {

    private static final int MAGENTA = 0xFF00FF;

    @TempDir
    Path tmp;

    @BeforeEach
    void needsLibHeif() {
        LibHeifTools.assumeInstalled();
    }

    @ParameterizedTest(name = "EXIF orientation {0}, no irot, 100x60 (no whole 16-pixel blocks): libheif turns while decoding")
    @ValueSource(ints = {3, 6, 8})
    void exifOnlyRotationsOfSizesJpegtranCannotTurnPerfectlyAreAppliedByLibheif(int orientation) throws Exception {
        Path source = misalignedWithExifOrientation(orientation);
        BufferedImage sideways = PixelChecks.read(LibHeifTools.referenceDecode(source, tmp.resolve("ref.png")));

        Converted converted = convert(source, TestProperties.with());

        BufferedImage member = PixelChecks.read(tmp.resolve("member.jpg"));
        BufferedImage expected = Orientation.upright(sideways, orientation);
        assertThat(PixelChecks.difference(member, expected, PixelChecks.Turn.NONE)).isLessThan(3);
        assertThat(converted.warnings()).anyMatch(w -> w.contains("EXIF orientation " + orientation + " applied by libheif"));
        assertThat(ExifFacts.read(tmp.resolve("member.jpg")).orientation()).isEqualTo(1);
    }

    @Test
    void aSizeOfWholeBlocksIsLeftToJpegtranWhichTurnsItAsFast() throws Exception {
        Path source = withExifOrientation(Fixtures.image("Example1.heic"), 6, 8); // 4032x3024
        BufferedImage sideways = PixelChecks.read(LibHeifTools.referenceDecode(source, tmp.resolve("ref.jpg")));

        Converted converted = convert(source, TestProperties.with());

        BufferedImage member = PixelChecks.read(tmp.resolve("member.jpg"));
        assertThat(PixelChecks.difference(member, Orientation.upright(sideways, 8), PixelChecks.Turn.NONE)).isLessThan(3);
        assertThat(converted.warnings()).anyMatch(w -> w.contains("EXIF orientation 8 applied losslessly"));
    }

    @ParameterizedTest(name = "{0}: the edited copy decodes to the same pixels, turned half a turn")
    @ValueSource(strings = {"IMG_2927.HEIC", "empty_icc.heic", "example.heic", "example.avif"})
    void everyFixtureLayoutSurvivesTheEditItsOffsetsMovedWithTheMetaBox(String fixture) throws Exception {
        Path source = Fixtures.image(fixture);
        Path edited = tmp.resolve("edited-" + fixture);
        HeifContainer.Image primary = HeifContainer.read(source).primary();

        assertThat(HeifMetaEditor.write(source, edited, 2, null, primary.displayWidth(), primary.displayHeight())).isTrue();

        BufferedImage upright = PixelChecks.read(LibHeifTools.referenceDecode(source, tmp.resolve("ref.png")));
        BufferedImage turned = PixelChecks.read(LibHeifTools.referenceDecode(edited, tmp.resolve("turned.png")));
        assertThat(PixelChecks.difference(turned, Orientation.upright(upright, 3), PixelChecks.Turn.NONE)).isLessThan(1);
    }

    @Test
    void aMirroredExifOrientationIsLeftToJpegtran() throws Exception {
        Path source = misalignedWithExifOrientation(5);
        BufferedImage stored = PixelChecks.read(LibHeifTools.referenceDecode(source, tmp.resolve("ref.jpg")));

        Converted converted = convert(source, TestProperties.with());

        BufferedImage member = PixelChecks.read(tmp.resolve("member.jpg"));
        assertThat(PixelChecks.difference(member, Orientation.upright(stored, 5), PixelChecks.Turn.NONE)).isLessThan(3);
        assertThat(converted.warnings()).anyMatch(w -> w.contains("EXIF orientation 5 applied losslessly"));
    }

    @Test
    void alphaBecomesAnOverlayOnTheBackgroundOverTheHiddenPrimary() throws Exception {
        Path source = Fixtures.image("with-alpha-512x512.heic");
        Path edited = tmp.resolve("edited.heic");

        assertThat(HeifMetaEditor.write(source, edited, 0, new Color(MAGENTA), 512, 512)).isTrue();

        HeifContainer heif = HeifContainer.read(edited);
        assertThat(heif.primary().type()).isEqualTo("iovl");
        assertThat(heif.topLevel()).hasSize(1); // the old primary is hidden: libheif decodes it once
        assertThat(heif.primary().icc()).isEqualTo(HeifContainer.read(source).primary().icc());
        BufferedImage rgba = PixelChecks.read(LibHeifTools.referenceDecode(source, tmp.resolve("ref.png")));
        BufferedImage flat = PixelChecks.read(LibHeifTools.referenceDecode(edited, tmp.resolve("flat.png")));
        assertThat(flat.getColorModel().hasAlpha()).isFalse();
        assertThat(AlphaTest.compositeDifference(flat, rgba, MAGENTA)).isLessThan(1);
    }

    @Test
    void anImageWithAlphaIsNeverTurnedByLibheifWhichLeavesItsAlphaPlaneUnturned() throws Exception {
        Path source = Fixtures.image("with-alpha-512x512.heic");
        HeifDecodeJobs jobs = new HeifDecodeJobs(new Transparency(TestProperties.with()));

        HeifDecodeJobs.Edit edit = jobs.edit(source, tmp, HeifContainer.read(source),
                ExifFacts.read(source).withOrientation(6), true);

        assertThat(edit.flattened()).isTrue(); // by libheif's overlay; the turn is jpegtran's, on its JPEG
        assertThat(edit.turned()).isFalse();
    }

    @Test
    void aFileWithoutAMetaBoxIsLeftToTheSlowerRoute() throws Exception {
        assertThat(HeifMetaEditor.write(Fixtures.image("flower.webp"), tmp.resolve("edited.heic"), 3, null, 1, 1)).isFalse();
    }

    @Test
    void tenBitAlphaIsLeftToThePngRouteAndStillFlattened() throws Exception {
        CaptiondProperties props = TestProperties.with("captiond.normalise.background", "#FF00FF");
        Path source = Fixtures.image("RGBA_10__128x128.heif");

        Converted converted = convert(source, props);

        BufferedImage rgba = PixelChecks.read(LibHeifTools.referenceDecode(source, tmp.resolve("ref.png")));
        assertThat(converted.alpha()).isEqualTo(Transparency.FLATTENED);
        assertThat(AlphaTest.compositeDifference(PixelChecks.read(tmp.resolve("member.jpg")), rgba, MAGENTA)).isLessThan(6);
    }

    /**
     * A 100x60 HEIC whose EXIF says {@code orientation} and whose container has no irot: heif-enc
     * writes the PNG's EXIF with Orientation 1 (and no irot), which is then changed in place.
     */
    private Path misalignedWithExifOrientation(int orientation) throws Exception {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0};
        byte[] png = HeifConverterTest.pngWithExif(RasterConverterTest.picture(100, 60), tiff);
        Path heic = LibHeifTools.encode(png, tmp.resolve("misaligned.heic"));
        return withExifOrientation(heic, 1, orientation);
    }

    /** {@code heic} with its EXIF Orientation (a big-endian IFD entry saying {@code from}) changed in place to {@code to}. */
    private Path withExifOrientation(Path heic, int from, int to) throws Exception {
        byte[] bytes = Files.readAllBytes(heic);
        byte[] entry = {0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, (byte) from};
        int at = com.google.common.primitives.Bytes.indexOf(bytes, entry);
        assertThat(at).isPositive();
        bytes[at + 9] = (byte) to;
        Path copy = tmp.resolve("o" + to + "-" + heic.getFileName());
        Files.write(copy, bytes);
        assertThat(ExifFacts.read(copy).orientation()).isEqualTo(to);
        assertThat(HeifContainer.read(copy).primary().transformed()).isFalse();
        return copy;
    }

    private Converted convert(Path source, CaptiondProperties props) throws Exception {
        ImageType type = ImageSniffer.sniff(source);
        return HeifConverterTest.converter(props).convert(source, tmp.resolve("member.jpg"), type, ExifFacts.read(source, type));
    }
}
