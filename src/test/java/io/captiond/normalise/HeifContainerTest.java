package io.captiond.normalise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captiond.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What captiond reads from a HEIF container before libheif runs, against PROVENANCE.md §2 (no
 * libheif needed): the primary's displayed size, its rotation box, alpha, colour profile, and the
 * other images it will name in the manifest.
 */
class HeifContainerTest {

    @ParameterizedTest(name = "{0}: primary {1}x{2}, irot {3}, alpha {4}, {5} top-level")
    @CsvSource({
        "arrow.heic, 3024, 4032, 270, false, 1, true",
        "IMG_2927.HEIC, 3024, 4032, 0, false, 1, true",
        "Example1.heic, 4032, 3024, -1, false, 1, true",
        "empty_icc.heic, 1025, 900, -1, false, 2, true",
        "example.heic, 1280, 854, -1, false, 2, false",
        "RGBA_10__128x128.heif, 128, 128, -1, true, 1, false",
        "with-alpha-512x512.heic, 512, 512, -1, true, 1, true",
        "example.avif, 800, 533, -1, false, 1, false",
    })
    void readsThePrimaryImageAsLibheifWillDecodeIt(String fixture, long width, long height, int rotation, boolean alpha,
            int topLevel, boolean icc) throws Exception {
        HeifContainer heif = HeifContainer.read(Fixtures.image(fixture));

        assertThat(heif.primary().displayWidth()).isEqualTo(width);
        assertThat(heif.primary().displayHeight()).isEqualTo(height);
        assertThat(heif.primary().rotation()).isEqualTo(rotation);
        assertThat(heif.primary().transformed()).isEqualTo(rotation >= 0);
        assertThat(heif.primary().hasAlpha()).isEqualTo(alpha);
        assertThat(heif.topLevel()).hasSize(topLevel);
        assertThat(heif.primaryIndex()).isZero();
        assertThat(heif.primary().icc() != null).isEqualTo(icc);
    }

    @Test
    void namesTheDepthMapOfAPortraitModePhoto() throws Exception {
        assertThat(HeifContainer.read(Fixtures.image("Example1.heic")).auxiliaries()).containsExactly("depth map 768x576");
    }

    @Test
    void aFileCutBeforeItsMetaBoxIsRejected(@TempDir Path tmp) throws Exception {
        byte[] heic = Files.readAllBytes(Fixtures.image("arrow.heic"));
        Path cut = Files.write(tmp.resolve("cut.heic"), Arrays.copyOf(heic, 40));

        assertThatThrownBy(() -> HeifContainer.read(cut)).isInstanceOf(RejectedInputException.class)
                .hasMessageStartingWith("broken HEIF");
    }

    @Test
    void aTenBitHeifSaysSoAndTheReductionIsNoted() throws Exception {
        HeifContainer heif = HeifContainer.read(Fixtures.image("RGBA_10__128x128.heif"));

        assertThat(heif.primary().bitDepth()).isEqualTo(10);
        assertThat(HeifConverter.otherImages(heif, ImageType.HEIF)).contains("HEIF: 10-bit colour reduced to 8-bit "
                + "(JPEG and trainers' 8-bit loaders)");
        assertThat(HeifContainer.read(Fixtures.image("arrow.heic")).primary().bitDepth()).isEqualTo(8);
    }

    @Test
    void theSecondEyeOfAStereoPairIsNamedAsSuch(@TempDir Path tmp) throws Exception {
        // example.heic's two top-level images made a 'ster' entity group, as an iPhone spatial photo has:
        // its meta box gets a grpl child (HeifContainer reads only meta, so the image data may stay behind)
        byte[] file = Files.readAllBytes(Fixtures.image("example.heic"));
        HeifContainer plain = HeifContainer.read(Fixtures.image("example.heic"));
        long left = plain.primary().id();
        long right = plain.topLevel().stream().filter(i -> i.id() != left).findFirst().orElseThrow().id();
        java.nio.ByteBuffer grpl = java.nio.ByteBuffer.allocate(8 + 8 + 4 + 4 + 4 + 8);
        grpl.putInt(grpl.capacity()).put("grpl".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        grpl.putInt(grpl.capacity() - 8).put("ster".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        grpl.putInt(0).putInt(99).putInt(2).putInt((int) left).putInt((int) right);
        Path stereo = tmp.resolve("spatial.heic");
        Files.write(stereo, withMetaChild(file, grpl.array()));

        HeifContainer heif = HeifContainer.read(stereo);

        assertThat(heif.stereoPair()).containsExactly(left, right);
        assertThat(HeifConverter.otherImages(heif, ImageType.HEIF))
                .contains("HEIF: stereo pair (spatial photo), the left eye kept; the right eye 1280x854 is not in the dataset")
                .noneMatch(w -> w.contains("top-level images"));
    }

    /** The top-level boxes up to and including 'meta', with {@code child} appended to meta's body. */
    private static byte[] withMetaChild(byte[] file, byte[] child) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file);
        int pos = 0;
        while (pos + 8 <= file.length) {
            int size = b.getInt(pos);
            String type = new String(file, pos + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (type.equals("meta")) {
                java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(pos + size + child.length);
                out.put(file, 0, pos).putInt(size + child.length).put(file, pos + 4, size - 4).put(child);
                return out.array();
            }
            pos += size;
        }
        throw new AssertionError("no meta box");
    }
}
