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
}
