package io.captiond.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.support.TestProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's caption and tags files belong to their image whatever the case of their names, like images do. */
class CompanionsTest {

    @TempDir
    Path root;

    private Companions companions() {
        return new Companions(new Folders(TestProperties.with(
                "captiond.inbox", root.resolve("inbox").toString(), "captiond.work", root.resolve("work").toString(),
                "captiond.outbox", root.resolve("outbox").toString(), "captiond.failed", root.resolve("failed").toString())));
    }

    @Test
    void anUpperCaseTxtIsTheCaptionOfItsImage() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox/ds"));
        Files.writeString(inbox.resolve("IMG_1.TXT"), "\uFEFF my own words \n");

        assertThat(companions().caption("ds", "IMG_1")).contains("my own words");
    }

    @Test
    void upperCaseTagsReachTheModelAndAStemInAnotherCaseMatchesToo() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox/ds"));
        Files.writeString(inbox.resolve("img_2.TAGS"), "beach, sunset");

        assertThat(companions().tags("ds", "IMG_2")).contains("beach, sunset");
    }

    @Test
    void theExactSpellingWinsOverAnotherCaseAndOriginalsAreReadAfterTheInbox() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox/ds"));
        Path originals = Files.createDirectories(root.resolve("work/ds/.originals"));
        Files.writeString(inbox.resolve("IMG_3.TXT"), "upper");
        Files.writeString(inbox.resolve("IMG_3.txt"), "exact");
        Files.writeString(originals.resolve("IMG_4.Txt"), "kept from the last round");

        assertThat(companions().caption("ds", "IMG_3")).contains("exact");
        assertThat(companions().caption("ds", "IMG_4")).contains("kept from the last round");
        assertThat(companions().caption("ds", "IMG_5")).isEmpty();
    }

    @Test
    void oneStemRuleAndOneCaptionFileRule() {
        assertThat(FileNames.stem("IMG_1.HEIC")).isEqualTo("IMG_1");
        assertThat(FileNames.stem("archive.tar.gz")).isEqualTo("archive.tar");
        assertThat(FileNames.stem(".hidden")).isEqualTo(".hidden");
        assertThat(FileNames.captionFileOf("IMG_1.jpg")).isEqualTo("IMG_1.txt");
        assertThat(FileNames.isCaptionFile("IMG_1.TXT")).isTrue();
        assertThat(FileNames.isTagsFile("IMG_1.Tags")).isTrue();
        assertThat(Companions.belongsTo("img_1.TXT", "IMG_1")).isTrue();
        assertThat(Companions.belongsTo("IMG_10.txt", "IMG_1")).isFalse();
    }
}
