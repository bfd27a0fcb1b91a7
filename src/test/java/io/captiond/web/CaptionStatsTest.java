package io.captiond.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.normalise.ImageType;
import org.junit.jupiter.api.Test;

/** The contact sheet's counts and the upload's names, without a server. */
class CaptionStatsTest {

    @Test
    void wordsAndAClipTokenEstimateThatFlagsLongCaptions() {
        assertThat(CaptionStats.words("photo of zeke, a man in a red jacket")).isEqualTo(9);
        assertThat(CaptionStats.words("  ")).isZero();
        // start + end + 9 words + 1 comma
        assertThat(CaptionStats.clipTokens("photo of zeke, a man in a red jacket")).isEqualTo(12);
        // digits are one token each, long words more than one
        assertThat(CaptionStats.clipTokens("1920")).isEqualTo(6);
        assertThat(CaptionStats.clipTokens("photorealistic")).isEqualTo(2 + 3);
        String longCaption = "a detailed photo of a red house by a lake, ".repeat(8);
        assertThat(CaptionStats.clipTokens(longCaption)).isGreaterThan(CaptionStats.CLIP_LIMIT);
    }

    @Test
    void uploadedNamesFollowThePipelinesSafeNamesAndLoseTheSendersFolders() {
        assertThat(InboxUploads.baseName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(InboxUploads.baseName("C:\\Users\\me\\IMG_1.HEIC")).isEqualTo("IMG_1.HEIC");
        assertThat(InboxUploads.baseName("")).isEqualTo("upload");
        assertThat(InboxUploads.safeName("My Photo (1).png", ImageType.PNG)).isEqualTo("My_Photo_1.png");
        assertThat(InboxUploads.safeName("IMG_1.HEIC", ImageType.HEIF)).isEqualTo("IMG_1.heic");
        assertThat(InboxUploads.safeName(".hidden", ImageType.JPEG)).isEqualTo("hidden.jpg");
        assertThat(InboxUploads.safeName("photo.j p g", ImageType.JPEG)).isEqualTo("photo.jpg");
        assertThat(InboxUploads.safeName("caption.txt", ImageType.JPEG)).isEqualTo("caption.jpg");
        assertThat(InboxUploads.safeName("IMG_2.part", ImageType.PNG)).isEqualTo("IMG_2.png");
    }
}
