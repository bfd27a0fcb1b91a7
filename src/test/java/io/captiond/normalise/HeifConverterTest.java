package io.captiond.normalise;

import static io.captiond.normalise.PixelChecks.Turn.ANTICLOCKWISE;
import static io.captiond.normalise.PixelChecks.Turn.CLOCKWISE;
import static io.captiond.normalise.PixelChecks.Turn.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captiond.config.CaptiondProperties;
import io.captiond.support.Fixtures;
import io.captiond.support.LibHeifTools;
import io.captiond.support.TestProperties;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every HEIF/AVIF fixture through the real heif-convert: it converts (size, orientation judged by
 * pixel content against a bare libheif decode, alpha, EXIF, ICC) or is quarantined with libheif's
 * own words. See src/test/resources/fixtures/PROVENANCE.md for what each file is.
 */
class HeifConverterTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needsLibHeif() {
        LibHeifTools.assumeInstalled();
    }

    /**
     * {@code turn}: how bare libheif's pixels must be turned to be upright (PROVENANCE.md §4, checked
     * by eye there). Alpha fixtures are compared in {@link #alphaIsFlattenedOntoTheConfiguredBackground}.
     */
    @ParameterizedTest(name = "{0} becomes a {1}x{2} JPEG: libheif''s pixels turned {3}")
    @CsvSource({
        "arrow.heic, 3024, 4032, NONE",
        "IMG_2927.HEIC, 3024, 4032, NONE",
        "Example1.heic, 3024, 4032, CLOCKWISE",
        "empty_icc.heic, 1025, 900, NONE",
        "example.heic, 1280, 854, NONE",
        "RGBA_10__128x128.heif, 128, 128, ",
        "with-alpha-512x512.heic, 512, 512, ",
        "example.avif, 800, 533, NONE",
    })
    void everyValidFixtureBecomesAnUprightJpegWithOrientationOne(String fixture, int width, int height,
            PixelChecks.Turn turn) throws Exception {
        Path out = convert(fixture, TestProperties.with());

        BufferedImage image = PixelChecks.read(out);
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        assertThat(ImageSniffer.sniff(out)).isEqualTo(ImageType.JPEG);
        assertThat(ExifFacts.read(out).orientation()).isEqualTo(1);
        if (turn != null) {
            BufferedImage reference = PixelChecks.read(LibHeifTools.referenceDecode(Fixtures.image(fixture), tmp.resolve("ref.jpg")));
            assertThat(PixelChecks.difference(image, reference, turn)).as("same pixels as libheif's, upright").isLessThan(4);
        }
    }

    @Test
    void arrowHeicPointsUpAndItsStaleExifSixIsResetNotAppliedTwice() throws Exception {
        Path out = convert("arrow.heic", TestProperties.with());
        BufferedImage image = PixelChecks.read(out);
        BufferedImage reference = PixelChecks.read(LibHeifTools.referenceDecode(Fixtures.image("arrow.heic"), tmp.resolve("ref.jpg")));

        // libheif applied irot: its pixels are upright, ours are the same pixels (not turned again)
        assertThat(PixelChecks.difference(image, reference, NONE)).isLessThan(4);
        // and the drawing says so: the head's base (widest ink) is in the upper half, the tip centred on top
        assertThat(PixelChecks.widestInkRow(image)).isBetween(0.25, 0.5);
        assertThat(PixelChecks.topInkColumn(image)).isBetween(0.35, 0.65);
        assertThat(ExifFacts.read(Fixtures.image("arrow.heic")).orientation()).isEqualTo(6);
        assertThat(ExifFacts.read(out).orientation()).isEqualTo(1);
        assertThat(lastWarnings).anyMatch(w -> w.contains("reset to 1") && w.contains("irot 270"));
    }

    @Test
    void example1HasExifSixAndNoIrotSoItsPixelsAreTurnedClockwiseIntoAPortrait() throws Exception {
        Path out = convert("Example1.heic", TestProperties.with());
        BufferedImage image = PixelChecks.read(out);
        BufferedImage sideways = PixelChecks.read(LibHeifTools.referenceDecode(Fixtures.image("Example1.heic"), tmp.resolve("ref.jpg")));

        assertThat(sideways.getWidth()).isEqualTo(4032); // what bare libheif gives: landscape, sideways
        assertThat(image.getWidth()).isEqualTo(3024);
        assertThat(image.getHeight()).isEqualTo(4032);
        double clockwise = PixelChecks.difference(image, sideways, CLOCKWISE);
        assertThat(clockwise).isLessThan(4);
        assertThat(PixelChecks.difference(image, sideways, ANTICLOCKWISE)).isGreaterThan(clockwise * 4);
        assertThat(lastWarnings).anyMatch(w -> w.contains("EXIF orientation 6 applied losslessly"));
        assertThat(lastWarnings).contains("HEIF: depth map 768x576 ignored");
    }

    @Test
    void anUprightIphoneHeicKeepsItsPixelsCameraFactsAndDisplayP3Profile() throws Exception {
        Path out = convert("IMG_2927.HEIC", TestProperties.with());
        BufferedImage reference = PixelChecks.read(LibHeifTools.referenceDecode(Fixtures.image("IMG_2927.HEIC"), tmp.resolve("ref.jpg")));

        assertThat(PixelChecks.difference(PixelChecks.read(out), reference, NONE)).isLessThan(4);
        ExifFacts exif = ExifFacts.read(out);
        assertThat(exif.camera().model()).isEqualTo("iPhone 11 Pro");
        assertThat(exif.camera().taken()).isNotNull();
        assertThat(iccDescription(out)).contains("Display P3");
    }

    @Test
    void withSeveralTopLevelImagesOnlyThePrimaryIsKeptAndTheOthersAreNoted() throws Exception {
        Path out = convert("empty_icc.heic", TestProperties.with());

        assertThat(PixelChecks.read(out).getWidth()).isEqualTo(1025); // not the 932x1044 second image
        assertThat(lastWarnings).anyMatch(w -> w.startsWith("HEIF: 2 top-level images, primary kept (1025x900)"));
    }

    @Test
    void gpsIsStrippedByDefaultAndKeptWhenAsked() throws Exception {
        assertThat(ExifFacts.read(Fixtures.image("empty_icc.heic")).hasGps()).isTrue();

        Path stripped = convert("empty_icc.heic", TestProperties.with());
        assertThat(ExifFacts.read(stripped).hasGps()).isFalse();
        assertThat(ExifFacts.read(stripped).camera().model()).isEqualTo("iPhone XS");
        assertThat(lastWarnings).contains(JpegConverter.GPS_REMOVED);

        Path kept = convert("empty_icc.heic", TestProperties.with("captiond.normalise.strip-gps", "false"));
        assertThat(ExifFacts.read(kept).hasGps()).isTrue();
    }

    @ParameterizedTest(name = "{0}: transparent pixels become the background colour, not black")
    @CsvSource({"with-alpha-512x512.heic", "RGBA_10__128x128.heif"})
    void alphaIsFlattenedOntoTheConfiguredBackground(String fixture) throws Exception {
        BufferedImage rgba = PixelChecks.read(LibHeifTools.referenceDecode(Fixtures.image(fixture), tmp.resolve("ref.png")));
        assertThat(rgba.getColorModel().hasAlpha()).isTrue();

        Path out = convert(fixture, TestProperties.with("captiond.normalise.background", "#FF00FF"));
        BufferedImage image = PixelChecks.read(out);

        // each output pixel is libheif's colour laid over magenta by its alpha, not over black
        double overMagenta = AlphaTest.compositeDifference(image, rgba, 0xFF00FF);
        double overBlack = AlphaTest.compositeDifference(image, rgba, 0x000000);
        assertThat(overMagenta).isLessThan(6);
        assertThat(overBlack).isGreaterThan(overMagenta * 4);
        assertThat(lastWarnings).anyMatch(w -> w.contains("laid over #FF00FF"));
    }

    @Test
    void aTruncatedHeicIsRejectedInLibheifsOwnWords() {
        assertThatThrownBy(() -> convert("truncated.heic", TestProperties.with()))
                .isInstanceOf(RejectedInputException.class)
                .hasMessageContaining("libheif cannot decode this HEIF")
                .hasMessageContaining("Extent in iloc box references data outside of file bounds");
    }

    @Test
    void theClusterfuzzReproducerIsRejectedInLibheifsOwnWords() {
        assertThatThrownBy(() -> convert("clusterfuzz-testcase-minimized-file-fuzzer-6045213633282048.heic",
                TestProperties.with()))
                .isInstanceOf(RejectedInputException.class)
                .hasMessageContaining("Decoder plugin generated an error: Unexpected end of file");
    }

    @Test
    void anExifBlockOverOneSegmentsLimitIsDroppedWithAWarningNotSplitAcrossSegments() throws Exception {
        // a 100 KB EXIF, as some Android phones write; libheif 1.15 spreads it over two APP1 segments
        Path heic = LibHeifTools.encode(pngWithExif(tiffWithBlob(100_000)), tmp.resolve("big-exif.heic"));

        Path out = convert(heic, TestProperties.with());

        byte[] jpeg = Files.readAllBytes(out);
        List<JpegSegments.Segment> header = JpegSegments.header(jpeg);
        assertThat(header).noneMatch(seg -> seg.marker() == 0xE1); // neither the EXIF nor its stray continuation
        assertThat(lastWarnings).contains("EXIF block of 97 KB dropped: over the 64 KB one JPEG APP1 segment can hold");
        assertThat(PixelChecks.read(out).getWidth()).isEqualTo(64);
    }

    @Test
    void anExifBlockMadeLargeByItsMakerNoteKeepsItsStandardExifAndDropsOnlyTheMakerNote() throws Exception {
        // a Xiaomi-style HEIC: a few hundred bytes of real EXIF and 100 KB of vendor MakerNote
        Path heic = LibHeifTools.encode(pngWithExif(tiffWithMakerNote(100_000)), tmp.resolve("xiaomi.heic"));

        Path out = convert(heic, TestProperties.with());

        ExifFacts exif = ExifFacts.read(out);
        assertThat(exif.camera().make()).isEqualTo("Xiaomi");
        assertThat(exif.camera().taken()).isEqualTo(java.time.LocalDateTime.of(2024, 7, 14, 14, 33));
        var metadata = com.drew.imaging.ImageMetadataReader.readMetadata(out.toFile());
        var sub = metadata.getFirstDirectoryOfType(com.drew.metadata.exif.ExifSubIFDDirectory.class);
        assertThat(sub.containsTag(0x927C)).as("MakerNote").isFalse();
        byte[] jpeg = Files.readAllBytes(out);
        assertThat(JpegSegments.header(jpeg).stream().filter(seg -> seg.marker() == 0xE1)).hasSize(1);
        assertThat(lastWarnings).anyMatch(w -> w.contains("MakerNote (vendor data) dropped"));
    }

    /** Big-endian TIFF: IFD0 Make=Xiaomi, Exif IFD with DateTimeOriginal and a MakerNote of {@code blob} bytes. */
    private static byte[] tiffWithMakerNote(int blob) {
        byte[] make = "Xiaomi\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] time = "2024:07:14 14:33:00\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int ifd0 = 8;
        int sub = ifd0 + 2 + 2 * 12 + 4;
        int makeAt = sub + 2 + 2 * 12 + 4;
        int timeAt = makeAt + make.length;
        int noteAt = timeAt + time.length;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(noteAt + blob);
        b.put(new byte[] {'M', 'M', 0, 42}).putInt(ifd0).putShort((short) 2);
        b.putShort((short) 0x010F).putShort((short) 2).putInt(make.length).putInt(makeAt);
        b.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(sub).putInt(0);
        b.putShort((short) 2);
        b.putShort((short) 0x9003).putShort((short) 2).putInt(time.length).putInt(timeAt);
        b.putShort((short) 0x927C).putShort((short) 7).putInt(blob).putInt(noteAt).putInt(0);
        b.put(make).put(time).put(new byte[blob]);
        return b.array();
    }

    @Test
    void maxSideDownscalesTheMember() throws Exception {
        Path out = convert("arrow.heic", TestProperties.with("captiond.normalise.max-side", "1000"));
        BufferedImage image = PixelChecks.read(out);

        assertThat(image.getWidth()).isEqualTo(750);
        assertThat(image.getHeight()).isEqualTo(1000);
        assertThat(PixelChecks.widestInkRow(image)).isBetween(0.25, 0.5); // still upright: irot not applied twice
        assertThat(ExifFacts.read(out).orientation()).isEqualTo(1);

        BufferedImage example1 = PixelChecks.read(convert("Example1.heic", TestProperties.with("captiond.normalise.max-side", "1000")));
        assertThat(example1.getWidth()).isEqualTo(750); // EXIF 6 baked, then shrunk
        assertThat(example1.getHeight()).isEqualTo(1000);

        BufferedImage alpha = PixelChecks.read(convert("with-alpha-512x512.heic", TestProperties.with("captiond.normalise.max-side", "256")));
        assertThat(alpha.getWidth()).isEqualTo(256);
        assertThat(lastWarnings).contains("downscaled from 512x512 to 256x256 (captiond.normalise.max-side)");
    }

    private List<String> lastWarnings = List.of();

    private Path convert(String fixture, CaptiondProperties props) throws IOException {
        return convert(Fixtures.image(fixture), props);
    }

    private Path convert(Path source, CaptiondProperties props) throws IOException {
        Path target = Files.createTempFile(tmp, "member", ".jpg");
        HeifConverter converter = converter(props);
        ImageType type = ImageSniffer.sniff(source);
        assertThat(Set.of(ImageType.HEIF, ImageType.AVIF)).contains(type);
        Converted converted = converter.convert(source, target, type, ExifFacts.read(source));
        lastWarnings = converted.warnings();
        BufferedImage image = PixelChecks.read(target);
        assertThat(converted.width()).isEqualTo(image.getWidth());
        assertThat(converted.height()).isEqualTo(image.getHeight());
        return target;
    }

    /** A big-endian TIFF block: IFD0 with Make and a private UNDEFINED tag of {@code blob} bytes. */
    private static byte[] tiffWithBlob(int blob) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 2 + 2 * 12 + 4 + 8 + blob);
        b.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 2);
        int data = 8 + 2 + 2 * 12 + 4;
        b.putShort((short) 0x010F).putShort((short) 2).putInt(8).putInt(data); // Make
        b.putShort((short) 0xC4A5).putShort((short) 7).putInt(blob).putInt(data + 8);
        b.putInt(0).put("BigExif\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put(new byte[blob]);
        return b.array();
    }

    /** A 64x48 PNG carrying {@code tiff} in an eXIf chunk (right after IHDR). */
    private static byte[] pngWithExif(byte[] tiff) throws IOException {
        return pngWithExif(new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR), tiff);
    }

    /** {@code image} as a PNG carrying {@code tiff} in an eXIf chunk (right after IHDR). */
    static byte[] pngWithExif(BufferedImage image, byte[] tiff) throws IOException {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", png);
        byte[] plain = png.toByteArray();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(plain, 0, 33); // signature + IHDR
        java.io.DataOutputStream d = new java.io.DataOutputStream(out);
        d.writeInt(tiff.length);
        d.writeBytes("eXIf");
        d.write(tiff);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("eXIf".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(tiff);
        d.writeInt((int) crc.getValue());
        out.write(plain, 33, plain.length - 33);
        return out.toByteArray();
    }

    /** The converter as the application wires it. */
    static HeifConverter converter(CaptiondProperties props) {
        PixelLimit limit = new PixelLimit(props);
        return new HeifConverter(new LibHeif(props), limit, new JpegConverter(limit, props), props);
    }

    private static String iccDescription(Path jpeg) throws Exception {
        var metadata = com.drew.imaging.ImageMetadataReader.readMetadata(jpeg.toFile());
        var icc = metadata.getFirstDirectoryOfType(com.drew.metadata.icc.IccDirectory.class);
        return icc == null ? "" : String.valueOf(icc.getDescription(com.drew.metadata.icc.IccDirectory.TAG_TAG_desc));
    }
}
