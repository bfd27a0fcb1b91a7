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

    @ParameterizedTest(name = "EXIF orientation {0} with no irot: libheif turns while decoding")
    @ValueSource(ints = {3, 8})
    void exifOnlyRotationsAreAppliedByLibheif(int orientation) throws Exception {
        Path source = withExifOrientation(orientation);
        BufferedImage sideways = PixelChecks.read(LibHeifTools.referenceDecode(source, tmp.resolve("ref.jpg")));

        Converted converted = convert(source, TestProperties.with());

        BufferedImage member = PixelChecks.read(tmp.resolve("member.jpg"));
        BufferedImage expected = Orientation.upright(sideways, orientation);
        assertThat(PixelChecks.difference(member, expected, PixelChecks.Turn.NONE)).isLessThan(3);
        assertThat(converted.warnings()).anyMatch(w -> w.contains("EXIF orientation " + orientation + " applied by libheif"));
        assertThat(ExifFacts.read(tmp.resolve("member.jpg")).orientation()).isEqualTo(1);
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
        Path source = withExifOrientation(5);
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

    /** Example1.heic (EXIF 6, no irot) with its EXIF Orientation value changed in place (big-endian IFD entry). */
    private Path withExifOrientation(int orientation) throws Exception {
        byte[] heic = Files.readAllBytes(Fixtures.image("Example1.heic"));
        byte[] entry = {0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06};
        int at = com.google.common.primitives.Bytes.indexOf(heic, entry);
        assertThat(at).isPositive();
        heic[at + 9] = (byte) orientation;
        Path copy = tmp.resolve("Example1-o" + orientation + ".heic");
        Files.write(copy, heic);
        assertThat(ExifFacts.read(copy).orientation()).isEqualTo(orientation);
        return copy;
    }

    private Converted convert(Path source, CaptiondProperties props) throws Exception {
        ImageType type = ImageSniffer.sniff(source);
        return HeifConverterTest.converter(props).convert(source, tmp.resolve("member.jpg"), type, ExifFacts.read(source, type));
    }
}
