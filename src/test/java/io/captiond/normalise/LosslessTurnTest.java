package io.captiond.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.ExifThumbnailDirectory;
import io.captiond.config.CaptiondProperties;
import io.captiond.support.Fixtures;
import io.captiond.support.JpegTranTools;
import io.captiond.support.TestProperties;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JPEGs with EXIF orientation 2-8 become upright members without losing a pixel when their size
 * allows (jpegtran -perfect), and with every pixel kept and the source's chroma subsampling when it
 * does not. Inputs are made here from recurser's Landscape_6.jpg: a lossless crop to whole 16x16
 * blocks is the upright truth, turned sideways losslessly by jpegtran and tagged with the EXIF
 * orientation that undoes it.
 */
class LosslessTurnTest {

    /** The jpegtran options that produce what a camera stores for each orientation (the inverse of the fix). */
    private static final String[][] SIDEWAYS = {
        null, null,
        {"-flip", "horizontal"}, {"-rotate", "180"}, {"-flip", "vertical"}, {"-transpose"},
        {"-rotate", "270"}, {"-transverse"}, {"-rotate", "90"},
    };

    @TempDir
    Path tmp;

    @BeforeEach
    void needsJpegTran() {
        JpegTranTools.assumeInstalled();
    }

    @ParameterizedTest(name = "orientation {0}: the member is the upright photo, pixel for pixel")
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
    void everyOrientationIsTurnedWithoutChangingAPixel(int orientation) throws Exception {
        Path truth = JpegTranTools.run(Fixtures.image("Landscape_6.jpg"), tmp.resolve("truth.jpg"), "-crop", "1200x1792+0+0");
        setOrientation(truth, 1);
        Path stored = JpegTranTools.run(truth, tmp.resolve("stored.jpg"), prepend("-perfect", SIDEWAYS[orientation]));
        setOrientation(stored, orientation);

        Path member = tmp.resolve("member.jpg");
        Converted converted = converter().convert(stored, member, ImageType.JPEG, ExifFacts.read(stored));

        BufferedImage upright = PixelChecks.read(truth);
        BufferedImage out = PixelChecks.read(member);
        assertThat(maxError(out, upright)).as("largest difference from the upright photo, any channel").isZero();
        // and independently of jpegtran: the same picture as Java's own turn of the sideways pixels
        BufferedImage javaTurn = Orientation.upright(PixelChecks.read(stored), orientation);
        assertThat(PixelChecks.difference(out, javaTurn, PixelChecks.Turn.NONE)).isLessThan(1.5);
        assertThat(converted.warnings()).anyMatch(w -> w.contains("applied losslessly"));
        assertThat(ExifFacts.read(member).orientation()).isEqualTo(1);
        Metadata exif = ImageMetadataReader.readMetadata(member.toFile());
        ExifSubIFDDirectory sub = exif.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        if (sub != null && sub.containsTag(ExifSubIFDDirectory.TAG_EXIF_IMAGE_WIDTH)) {
            assertThat(sub.getInt(ExifSubIFDDirectory.TAG_EXIF_IMAGE_WIDTH)).isEqualTo(out.getWidth());
            assertThat(sub.getInt(ExifSubIFDDirectory.TAG_EXIF_IMAGE_HEIGHT)).isEqualTo(out.getHeight());
        }
    }

    @Test
    void aRealPhoneJpegIsTurnedLosslesslyItsSizeTagsSayTheNewSizeAndItsSidewaysThumbnailIsGone() throws Exception {
        Path source = Fixtures.image("samsung_gt-i9000_orientation6.jpg"); // 640x480, 4:2:2: 16x8 blocks
        assertThat(ImageMetadataReader.readMetadata(source.toFile()).getFirstDirectoryOfType(ExifThumbnailDirectory.class))
                .as("the fixture has an IFD1 thumbnail").isNotNull();
        Path member = tmp.resolve("member.jpg");

        Converted converted = converter().convert(source, member, ImageType.JPEG, ExifFacts.read(source));

        assertThat(converted.width()).isEqualTo(480);
        assertThat(converted.height()).isEqualTo(640);
        BufferedImage javaTurn = Orientation.upright(PixelChecks.read(source), 6);
        assertThat(PixelChecks.difference(PixelChecks.read(member), javaTurn, PixelChecks.Turn.NONE)).isLessThan(1.5);
        Metadata exif = ImageMetadataReader.readMetadata(member.toFile());
        assertThat(exif.getFirstDirectoryOfType(ExifThumbnailDirectory.class)).isNull();
        ExifSubIFDDirectory sub = exif.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        assertThat(sub.getInt(ExifSubIFDDirectory.TAG_EXIF_IMAGE_WIDTH)).isEqualTo(480);
        assertThat(sub.getInt(ExifSubIFDDirectory.TAG_EXIF_IMAGE_HEIGHT)).isEqualTo(640);
        assertThat(ExifFacts.read(member).orientation()).isEqualTo(1);
        assertThat(ExifFacts.read(member).camera().model()).isEqualTo(ExifFacts.read(source).camera().model());
    }

    @ParameterizedTest(name = "orientation {0} on blocks that do not fit: re-encoded, every pixel kept")
    @ValueSource(ints = {2, 3, 4, 6, 7, 8})
    void aSizeThatIsNotWholeBlocksIsReencodedKeepingItsChromaSubsampling(int orientation) throws Exception {
        // 1199x1799: neither side a whole number of 16x16 blocks, so no turn but a transpose is perfect
        Path stored = JpegTranTools.run(Fixtures.image("Landscape_6.jpg"), tmp.resolve("odd.jpg"), "-crop", "1199x1799+0+0");
        setOrientation(stored, orientation);
        Path member = tmp.resolve("member.jpg");

        Converted converted = converter().convert(stored, member, ImageType.JPEG, ExifFacts.read(stored));

        BufferedImage javaTurn = Orientation.upright(PixelChecks.read(stored), orientation);
        BufferedImage out = PixelChecks.read(member);
        assertThat(out.getWidth()).isEqualTo(javaTurn.getWidth());
        assertThat(out.getHeight()).isEqualTo(javaTurn.getHeight());
        assertThat(PixelChecks.difference(out, javaTurn, PixelChecks.Turn.NONE)).isLessThan(2);
        assertThat(converted.warnings()).anyMatch(w -> w.contains("keeping 4:2:0") && w.contains("16x16"));
        byte[] bytes = Files.readAllBytes(member);
        assertThat(SamplingJpegEncoder.describe(JpegSegments.samplingFactors(bytes, JpegSegments.header(bytes)))).isEqualTo("4:2:0");
    }

    @Test
    void aFourFourFourJpegKeepsItsFullColourResolutionWhenReencoded() throws Exception {
        BufferedImage decoded = PixelChecks.read(Fixtures.image("Landscape_6.jpg"));
        BufferedImage odd = decoded.getSubimage(0, 0, 601, 899);
        byte[] full = SamplingJpegEncoder.encode(copy(odd), 0.95f, new int[][] {{1, 1}, {1, 1}, {1, 1}});
        byte[] source = Files.readAllBytes(Fixtures.image("Landscape_6.jpg")); // its EXIF says 6
        List<byte[]> exif = JpegSegments.header(source).stream().filter(s -> JpegSegments.isExif(source, s))
                .map(s -> s.bytes(source)).toList();
        Path stored = tmp.resolve("444.jpg");
        Files.write(stored, JpegSegments.withSegments(full, exif));
        Path member = tmp.resolve("member.jpg");

        converter().convert(stored, member, ImageType.JPEG, ExifFacts.read(stored));

        byte[] bytes = Files.readAllBytes(member);
        assertThat(SamplingJpegEncoder.describe(JpegSegments.samplingFactors(bytes, JpegSegments.header(bytes)))).isEqualTo("4:4:4");
        assertThat(PixelChecks.read(member).getWidth()).isEqualTo(899);
    }

    @Test
    void anUprightJpegStillPassesThroughByteForByte() throws Exception {
        Path truth = JpegTranTools.run(Fixtures.image("Landscape_6.jpg"), tmp.resolve("upright.jpg"), "-crop", "1200x1792+0+0");
        setOrientation(truth, 1);
        Path member = tmp.resolve("member.jpg");

        converter().convert(truth, member, ImageType.JPEG, ExifFacts.read(truth));

        assertThat(Files.readAllBytes(member)).isEqualTo(Files.readAllBytes(truth));
    }

    @Test
    void jpegtranRunsWithGlibcMallocTunedForItsLargeArraysUnlessTheUserTunedItAlready() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("GLIBC_TUNABLES") == null,
                "GLIBC_TUNABLES is set here: captiond leaves the user's own value alone");
        Path seen = tmp.resolve("seen-environment.txt");
        Path wrapper = tmp.resolve("jpegtran-wrapper");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$GLIBC_TUNABLES\" > '" + seen + "'\nexec jpegtran \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        Path truth = JpegTranTools.run(Fixtures.image("Landscape_6.jpg"), tmp.resolve("truth.jpg"), "-crop", "1200x1792+0+0");
        Path stored = JpegTranTools.run(truth, tmp.resolve("stored.jpg"), "-perfect", "-rotate", "270");
        setOrientation(stored, 6);
        CaptiondProperties props = TestProperties.with("captiond.normalise.jpegtran", wrapper.toString());

        Converted converted = new JpegConverter(new PixelLimit(props), props)
                .convert(stored, tmp.resolve("member.jpg"), ImageType.JPEG, ExifFacts.read(stored));

        assertThat(converted.warnings()).anyMatch(w -> w.contains("applied losslessly"));
        assertThat(Files.readString(seen).strip()).contains("glibc.malloc.hugetlb=1").contains("glibc.malloc.mmap_threshold=");
    }

    static JpegConverter converter() {
        CaptiondProperties props = TestProperties.with();
        return new JpegConverter(new PixelLimit(props), props);
    }

    /** Writes {@code value} into the Orientation entry of the file's EXIF IFD0, in place. */
    static void setOrientation(Path jpeg, int value) throws Exception {
        byte[] b = Files.readAllBytes(jpeg);
        JpegSegments.Segment exif = JpegSegments.header(b).stream().filter(s -> JpegSegments.isExif(b, s)).findFirst().orElseThrow();
        TiffBlock t = TiffBlock.at(b, exif.payloadOffset() + 6, exif.offset() + exif.length());
        int ifd0 = t.u32(4);
        boolean found = false;
        for (int i = 0; i < t.u16(ifd0); i++) {
            if (t.u16(ifd0 + 2 + i * 12) == 0x0112) {
                t.put16(ifd0 + 2 + i * 12 + 8, value);
                found = true;
            }
        }
        assertThat(found).as("the EXIF has an Orientation entry").isTrue();
        Files.write(jpeg, b);
    }

    static int maxError(BufferedImage a, BufferedImage b) {
        assertThat(a.getWidth()).isEqualTo(b.getWidth());
        assertThat(a.getHeight()).isEqualTo(b.getHeight());
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    max = Math.max(max, Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF)));
                }
            }
        }
        return max;
    }

    private static BufferedImage copy(BufferedImage sub) {
        BufferedImage out = new BufferedImage(sub.getWidth(), sub.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        out.getGraphics().drawImage(sub, 0, 0, null);
        return out;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
