package io.captiond.normalise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captiond.config.CaptiondProperties;
import io.captiond.support.Fixtures;
import io.captiond.support.TestProperties;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MPO in, a standard JPEG of the primary frame out: cut at the MPF index's length (not at the first
 * FFD9, which in sugarshack.mpo ends the EXIF thumbnail), its scan data byte for byte, the now
 * dangling MPF segment gone, the frame count in the manifest warnings.
 */
class MpoConverterTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}: primary frame {1}x{2}, of {3} frames")
    @CsvSource({
        "sugarshack.mpo, 640, 480, 2, 60008",
        "frame_size.mpo, 56, 70, 2, 4226",
    })
    void thePrimaryFrameBecomesAStandardJpegByteForByte(String fixture, int width, int height, int frames,
            int secondFrameAt) throws Exception {
        byte[] mpo = Files.readAllBytes(Fixtures.image(fixture));

        Converted converted = convert(Fixtures.image(fixture));
        byte[] member = Files.readAllBytes(tmp.resolve("member.jpg"));

        BufferedImage image = PixelChecks.read(tmp.resolve("member.jpg"));
        assertThat(image.getWidth()).isEqualTo(width); // frame_size: 56x70, not the 349x434 second frame
        assertThat(image.getHeight()).isEqualTo(height);
        assertThat(ImageSniffer.sniff(member)).isEqualTo(ImageType.JPEG); // no MPF left: readers see one image
        assertThat(converted.warnings()).contains("MPO: " + frames + " frames, primary kept ("
                + primaryLength(mpo, secondFrameAt) + " bytes)");

        // everything from the first scan on is the source's, byte for byte, ending at the primary's EOI
        int memberScan = scanStart(member);
        int sourceScan = scanStart(mpo);
        int scanLength = member.length - memberScan;
        assertThat(Arrays.copyOfRange(member, memberScan, member.length))
                .isEqualTo(Arrays.copyOfRange(mpo, sourceScan, sourceScan + scanLength));
        assertThat(sourceScan + scanLength).isLessThanOrEqualTo(secondFrameAt);
        assertThat(Arrays.copyOfRange(member, member.length - 2, member.length)).isEqualTo(new byte[] {(byte) 0xFF, (byte) 0xD9});
    }

    @Test
    void theExifThumbnailsEndMarkerIsNotMistakenForTheFramesEnd() throws Exception {
        byte[] mpo = Files.readAllBytes(Fixtures.image("sugarshack.mpo"));
        int firstEoi = indexOf(mpo, new byte[] {(byte) 0xFF, (byte) 0xD9});

        convert(Fixtures.image("sugarshack.mpo"));

        // the first end-of-image marker in the file lies inside the APP1 (EXIF) segment: the thumbnail's
        assertThat(mpo[2] & 0xFF).isEqualTo(0xFF);
        assertThat(mpo[3] & 0xFF).isEqualTo(0xE1);
        int app1End = 4 + ((mpo[4] & 0xFF) << 8 | (mpo[5] & 0xFF));
        assertThat(firstEoi).isBetween(4, app1End);
        assertThat(Files.size(tmp.resolve("member.jpg"))).isGreaterThan(50_000);
    }

    @Test
    void aBrokenMpfIndexFallsBackToWalkingTheMarkersAndGivesTheSameFrame() throws Exception {
        Path good = tmp.resolve("good.jpg");
        convert(Fixtures.image("sugarshack.mpo"), good);
        byte[] mpo = Files.readAllBytes(Fixtures.image("sugarshack.mpo"));
        int mpEntry = indexOf(mpo, new byte[] {'M', 'P', 'F', 0}) + 4; // MP header
        byte[] broken = mpo.clone();
        // wreck every MP entry's size/offset words (the MP entry table follows the IFD)
        int entries = entryTable(mpo, mpEntry);
        Arrays.fill(broken, entries, entries + 32, (byte) 0x7F);
        Path brokenFile = Files.write(tmp.resolve("broken.mpo"), broken);

        Converted converted = convert(brokenFile, tmp.resolve("walked.jpg"));

        assertThat(Files.readAllBytes(tmp.resolve("walked.jpg"))).isEqualTo(Files.readAllBytes(good));
        assertThat(converted.warnings()).anyMatch(w -> w.contains("primary frame found by walking its markers"));
        assertThat(converted.warnings()).anyMatch(w -> w.startsWith("MPO: 2 frames"));
    }

    @Test
    void anMpoCutInsideItsFirstFrameIsRejected() throws Exception {
        byte[] mpo = Files.readAllBytes(Fixtures.image("sugarshack.mpo"));
        Path cut = Files.write(tmp.resolve("cut.mpo"), Arrays.copyOf(mpo, 30_000));

        assertThatThrownBy(() -> convert(cut))
                .isInstanceOf(RejectedInputException.class)
                .hasMessageContaining("broken MPO");
    }

    @Test
    void anMpoOverMaxPixelsIsRefusedFromItsHeader() {
        CaptiondProperties props = TestProperties.with("captiond.normalise.max-pixels", "100000");
        MpoConverter converter = new MpoConverter(new JpegConverter(new PixelLimit(props), props));

        assertThatThrownBy(() -> converter.convert(Fixtures.image("sugarshack.mpo"), tmp.resolve("m.jpg"),
                ImageType.MPO, ExifFacts.NONE))
                .isInstanceOf(RejectedInputException.class)
                .hasMessageContaining("640x480");
    }

    @Test
    void maxSideDownscalesTheExtractedFrame() throws Exception {
        CaptiondProperties props = TestProperties.with("captiond.normalise.max-side", "320");
        MpoConverter converter = new MpoConverter(new JpegConverter(new PixelLimit(props), props));

        Converted converted = converter.convert(Fixtures.image("sugarshack.mpo"), tmp.resolve("small.jpg"),
                ImageType.MPO, ExifFacts.read(Fixtures.image("sugarshack.mpo")));

        BufferedImage image = PixelChecks.read(tmp.resolve("small.jpg"));
        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(240);
        assertThat(converted.warnings()).contains("downscaled from 640x480 to 320x240 (captiond.normalise.max-side)");
    }

    private Converted convert(Path source) throws Exception {
        return convert(source, tmp.resolve("member.jpg"));
    }

    private Converted convert(Path source, Path target) throws Exception {
        CaptiondProperties props = TestProperties.with();
        MpoConverter converter = new MpoConverter(new JpegConverter(new PixelLimit(props), props));
        assertThat(ImageSniffer.sniff(source)).isEqualTo(ImageType.MPO);
        return converter.convert(source, target, ImageType.MPO, ExifFacts.read(source));
    }

    /** The primary's length: up to its EOI, found by the walk over the first frame's markers. */
    private static int primaryLength(byte[] mpo, int secondFrameAt) {
        int end = MpoFrames.walk(mpo, 0);
        assertThat(end).isLessThanOrEqualTo(secondFrameAt);
        return end;
    }

    private static int scanStart(byte[] jpeg) {
        List<JpegSegments.Segment> header = JpegSegments.header(jpeg);
        JpegSegments.Segment last = header.get(header.size() - 1);
        return last.offset() + last.length(); // the SOS marker
    }

    /** Offset of the MP entry table: the value of tag 0xB002 in the MP index IFD (big-endian in these files). */
    private static int entryTable(byte[] b, int mpHeader) {
        boolean little = b[mpHeader] == 'I';
        int ifd = u32(b, mpHeader + 4, little);
        int count = u16(b, mpHeader + ifd, little);
        for (int i = 0; i < count; i++) {
            int entry = mpHeader + ifd + 2 + i * 12;
            if (u16(b, entry, little) == 0xB002) {
                return mpHeader + u32(b, entry + 8, little);
            }
        }
        throw new AssertionError("no MP entry table");
    }

    private static int u16(byte[] b, int at, boolean little) {
        return little ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 : (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static int u32(byte[] b, int at, boolean little) {
        return little ? u16(b, at, true) | u16(b, at + 2, true) << 16 : u16(b, at, false) << 16 | u16(b, at + 2, false);
    }

    private static int indexOf(byte[] b, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= b.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
