package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.support.Clips;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import io.captiond.support.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Phone clips and Live Photos through the real routes with the offline captioner: a folder of clips
 * becomes a video dataset zip of upright MP4 + caption pairs (the broken one in failed/ in ffprobe's
 * words); a Live Photo's motion part stays out of an image dataset (kept in .originals, named in the
 * manifest, not quarantined) unless the dataset asks for its clips as video members.
 */
@CamelSpringBootTest
// closed after the class: its folders are a @TempDir that is gone once the class is done
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VideoDatasetFlowTest {

    @TempDir
    static Path root;
    @TempDir
    static Path made;
    static DropFolders folders;

    private static final Duration WAIT = Duration.ofSeconds(180); // transcodes on a busy 2-core box

    @DynamicPropertySource
    static void folders(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.register(registry);
    }

    @BeforeAll
    static void ffmpeg() {
        Clips.assumeFfmpeg();
    }

    @Test
    void aFolderOfPhoneClipsBecomesAVideoDatasetOfUprightClipsWithCaptions() throws Exception {
        String ds = "kiko_clips";
        boolean hevc = hasEncoder("libx265");
        if (hevc) {
            folders.drop(ds, Clips.rotatedPortraitHevc(made, "IMG_0001.MOV"), "IMG_0001.MOV");
        } else {
            System.out.println("SKIPPED CASE: no libx265 in this ffmpeg, the rotated portrait HEVC clip is left out");
        }
        folders.drop(ds, Clips.variableFrameRate(made, "vfr.mp4"), "PXL_0002.mp4");
        folders.drop(ds, Clips.h264(made, "talk.mp4", 2, 320, 240, true), "talk.mp4");
        folders.drop(ds, Clips.truncated(made, "cut.mp4"), "cut.mp4");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        if (hevc) {
            assertThat(zip.keySet()).containsExactly("IMG_0001.mp4", "IMG_0001.txt", "PXL_0002.mp4", "PXL_0002.txt",
                    "talk.mp4", "talk.txt");
            Path clip = Files.write(made.resolve("zipped.mp4"), zip.get("IMG_0001.mp4"));
            assertThat(Clips.stream(clip, "codec_name")).isEqualTo("h264");
            assertThat(Clips.stream(clip, "width,height")).isEqualTo("240\n320");
            BufferedImage frame = Clips.frame(clip, 0.5);
            assertThat((frame.getRGB(120, 10) >> 16) & 0xFF).as("upright: red band on top").isGreaterThan(200);
        } else {
            assertThat(zip.keySet()).containsExactly("PXL_0002.mp4", "PXL_0002.txt", "talk.mp4", "talk.txt");
        }
        String caption = new String(zip.get("talk.txt")).strip();
        assertThat(caption).startsWith("video of kiko_clips, a 2.0-second ").contains(" clip at ").doesNotContain("photo").contains("2.0-second")
                .contains("30 fps").contains("motion");

        assertThat(Files.readString(folders.failed(ds).resolve("cut.mp4.error.txt")))
                .contains("stage: normalise").contains("moov atom not found");

        JsonNode manifest = Json.MAPPER.readTree(folders.manifest(ds).toFile());
        assertThat(manifest.path("totals").path("videos").asInt()).isEqualTo(hevc ? 3 : 2);
        JsonNode pxl = member(manifest, "PXL_0002.mp4");
        assertThat(pxl.path("source").asText()).isEqualTo("PXL_0002.mp4");
        assertThat(pxl.path("video").path("source").path("variableFrameRate").asBoolean()).isTrue();
        assertThat(pxl.path("video").path("output").path("variableFrameRate").asBoolean()).isFalse();
        assertThat(pxl.path("video").path("processing").asText()).isEqualTo("transcode");
        JsonNode talk = member(manifest, "talk.mp4");
        assertThat(talk.path("video").path("source").path("audio").asText()).isEqualTo("aac");
        assertThat(talk.path("video").path("changes").toString()).contains("audio (aac) dropped");
        assertThat(manifest.path("failed").get(0).path("reason").asText()).contains("moov atom not found");
    }

    @Test
    void aLivePhotoMotionPartStaysOutOfAnImageDatasetButIsKept() throws Exception {
        String ds = "kiko_live";
        folders.drop(ds, Fixtures.image("Landscape_6.jpg"), "IMG_0100.JPG");
        folders.drop(ds, Clips.h264(made, "live.mov", 1.5, 320, 240, true), "IMG_0100.MOV");
        folders.drop(ds, Fixtures.image("Portrait_5.jpg"), "IMG_0101.JPG");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        assertThat(zip.keySet()).containsExactly("IMG_0100.jpg", "IMG_0100.txt", "IMG_0101.jpg", "IMG_0101.txt");
        assertThat(folders.work(ds).resolve(".originals/IMG_0100.MOV")).exists();
        assertThat(folders.failed(ds)).doesNotExist();
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest(ds).toFile());
        assertThat(manifest.path("totals").path("failed").asInt()).isZero();
        assertThat(manifest.path("totals").path("videos").asInt()).isZero();
        JsonNode motion = manifest.path("livePhotoMotion");
        assertThat(motion.size()).isEqualTo(1);
        assertThat(motion.get(0).path("clip").asText()).isEqualTo("IMG_0100.MOV");
        assertThat(motion.get(0).path("photo").asText()).isEqualTo("IMG_0100.JPG");
    }

    @Test
    void aDatasetCanTakeItsLivePhotoClipsAsVideoMembers() throws Exception {
        String ds = "kiko_motion";
        folders.write(ds, "dataset.yaml", "live-photos: video\n");
        folders.drop(ds, Fixtures.image("Landscape_6.jpg"), "IMG_0200.JPG");
        folders.drop(ds, Clips.h264(made, "motion.mov", 1.5, 320, 240, false), "IMG_0200.MOV");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        assertThat(zip.keySet()).hasSize(4).contains("IMG_0200.jpg", "IMG_0200.txt")
                .anyMatch(n -> n.startsWith("IMG_0200") && n.endsWith(".mp4"));
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest(ds).toFile());
        assertThat(manifest.path("totals").path("videos").asInt()).isEqualTo(1);
        assertThat(manifest.has("livePhotoMotion")).isFalse();
    }

    private static JsonNode member(JsonNode manifest, String output) {
        for (JsonNode image : manifest.path("images")) {
            if (image.path("output").asText().equals(output)) {
                return image;
            }
        }
        throw new AssertionError(output + " is not in the manifest");
    }

    private static boolean hasEncoder(String name) {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-encoders").redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes()).contains(" " + name + " ");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
