package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import io.captiond.support.Json;
import io.captiond.support.SharedDaemonTest;
import io.captiond.watch.StabilityTracker;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The folder contract, end to end on the real routes with the embedded offline captioner: photos
 * dropped into inbox/&lt;dataset&gt;/ plus trigger.done become outbox/&lt;trigger&gt;_training.zip.
 * Each test uses its own dataset, so they share one running daemon like users share one inbox.
 */
class DropFolderFlowTest extends SharedDaemonTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    StabilityTracker stability;

    @Test
    void threePhotosAndTriggerBecomeAFlatZipOfSixEntriesEachCaptionCarryingTheTrigger() throws Exception {
        folders.drop("zeke_portrait", "Landscape_6.jpg");
        folders.drop("zeke_portrait", "transparent.png");
        folders.drop("zeke_portrait", "flower.webp");
        folders.trigger("zeke_portrait");

        Map<String, byte[]> zip = folders.awaitZip("zeke_portrait", WAIT);

        assertThat(zip.keySet()).containsExactly("Landscape_6.jpg", "Landscape_6.txt", "flower.webp", "flower.txt",
                "transparent.png", "transparent.txt"); // each image followed by its caption
        for (String caption : new String[] {"Landscape_6.txt", "flower.txt", "transparent.txt"}) {
            assertThat(new String(zip.get(caption), StandardCharsets.UTF_8)).startsWith("photo of zeke_portrait, ");
        }
        // EXIF orientation 6 (stored 1200x1800) is baked: the member is upright landscape
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(zip.get("Landscape_6.jpg")));
        assertThat(jpeg.getWidth()).isEqualTo(1800);
        assertThat(jpeg.getHeight()).isEqualTo(1200);
        // a PNG with alpha is laid over the background (captiond.normalise.alpha=flatten): what trainers
        // see is what was captioned; an opaque WebP passes through byte for byte
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(zip.get("transparent.png")));
        assertThat(png.getColorModel().hasAlpha()).isFalse();
        assertThat(png.getWidth()).isEqualTo(200);
        assertThat(png.getHeight()).isEqualTo(150);
        assertThat(zip.get("flower.webp")).isEqualTo(Files.readAllBytes(Fixtures.image("flower.webp")));
        // the marker is consumed and the originals have left the inbox
        assertThat(folders.list(folders.inbox("zeke_portrait"))).isEmpty();
        assertThat(folders.list(folders.work("zeke_portrait").resolve(".originals")))
                .containsExactly("Landscape_6.jpg", "flower.webp", "transparent.png");
    }

    @Test
    void manifestDescribesEveryMemberAndTheTotals() throws Exception {
        folders.drop("mara_cafe", "flower.webp");
        folders.drop("mara_cafe", "samsung_gt-i9000_orientation6.jpg");
        folders.trigger("mara_cafe");
        folders.awaitZip("mara_cafe", WAIT);

        JsonNode manifest = Json.MAPPER.readTree(folders.manifest("mara_cafe").toFile());
        assertThat(manifest.path("format").asText()).isEqualTo("captiond-manifest/1");
        assertThat(manifest.path("dataset").asText()).isEqualTo("mara_cafe");
        assertThat(manifest.path("trigger").asText()).isEqualTo("mara_cafe");
        assertThat(manifest.path("zipBytes").asLong()).isEqualTo(Files.size(folders.zip("mara_cafe")));
        assertThat(manifest.path("totals").path("images").asInt()).isEqualTo(2);
        JsonNode samsung = manifest.path("images").get(1);
        assertThat(samsung.path("source").asText()).isEqualTo("samsung_gt-i9000_orientation6.jpg");
        assertThat(samsung.path("output").asText()).isEqualTo("samsung_gt-i9000_orientation6.jpg");
        assertThat(samsung.path("format").asText()).isEqualTo("jpeg");
        assertThat(samsung.path("width").asInt()).isEqualTo(480); // 640x480 stored, orientation 6
        assertThat(samsung.path("height").asInt()).isEqualTo(640);
        assertThat(samsung.path("captioner").asText()).isEqualTo("basic");
        assertThat(samsung.path("caption").asText()).startsWith("photo of mara_cafe, a portrait-orientation")
                .contains("Samsung GT-I9000");
        assertThat(samsung.path("warnings").toString()).contains("orientation 6");
        assertThat(manifest.path("timings").path("packagingMillis").isNumber()).isTrue();
    }

    @Test
    void aCorruptFileIsQuarantinedWithItsReasonWhileTheRestIsPackaged() throws Exception {
        folders.drop("olga_garden", "flower.webp");
        byte[] png = Files.readAllBytes(Fixtures.image("transparent.png"));
        folders.write("olga_garden", "broken.png", java.util.Arrays.copyOf(png, png.length / 2));
        folders.write("olga_garden", "notes.jpg", "this is a text file named .jpg");
        folders.trigger("olga_garden");

        Map<String, byte[]> zip = folders.awaitZip("olga_garden", WAIT);

        assertThat(zip.keySet()).containsExactly("flower.webp", "flower.txt");
        assertThat(folders.list(folders.failed("olga_garden")))
                .containsExactly("broken.png", "broken.png.error.txt", "notes.jpg", "notes.jpg.error.txt");
        assertThat(Files.readString(folders.failed("olga_garden").resolve("broken.png.error.txt")))
                .contains("stage: normalise").contains("reason: broken PNG: the file is truncated");
        assertThat(Files.readString(folders.failed("olga_garden").resolve("notes.jpg.error.txt")))
                .contains("unsupported file type");
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest("olga_garden").toFile());
        assertThat(manifest.path("totals").path("failed").asInt()).isEqualTo(2);
        assertThat(manifest.path("failed").get(0).path("file").asText()).isEqualTo("broken.png");
    }

    @Test
    void aFileStillBeingWrittenIsNotReadUntilItIsComplete() throws Exception {
        byte[] png = Fixtures.distinctPng(0, 1); // opaque: it passes through byte for byte
        Path growing = folders.inbox("pia_desk").resolve("slow_copy.png");
        Files.createDirectories(growing.getParent());
        try (OutputStream out = Files.newOutputStream(growing)) {
            int chunk = png.length / 12;
            for (int off = 0; off < png.length; off += chunk) {
                out.write(png, off, Math.min(chunk, png.length - off));
                out.flush();
                long written = Math.min(off + chunk, png.length);
                if (written == png.length) {
                    break; // complete: from now on it may be taken
                }
                // the watcher has seen the file at this size (a slow copy in progress) ...
                await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                        .until(() -> stability.lastSeenSize(growing.toString()) == written);
                assertThat(growing).exists(); // ... and left it in the inbox: not taken while it grows
                assertThat(folders.list(folders.failed("pia_desk"))).isEmpty();
            }
        }
        folders.trigger("pia_desk");
        Map<String, byte[]> zip = folders.awaitZip("pia_desk", WAIT);
        assertThat(zip.get("slow_copy.png")).isEqualTo(png);
    }

    @Test
    void namesThatWouldCollideOrUpsetAShellGetSafeUniqueNames() throws Exception {
        folders.drop("kai_studio", Fixtures.image("flower.webp"), "IMG_1.webp");
        folders.drop("kai_studio", Fixtures.image("transparent.png"), "IMG_1.png");
        folders.drop("kai_studio", Fixtures.image("Landscape_6.jpg"), "-my holiday (1) é.JPG");
        folders.trigger("kai_studio");

        Map<String, byte[]> zip = folders.awaitZip("kai_studio", WAIT);

        assertThat(zip.keySet()).hasSize(6).allMatch(n -> n.matches("[A-Za-z0-9][A-Za-z0-9._-]*"));
        assertThat(zip.keySet()).contains("my_holiday_1_e.jpg", "my_holiday_1_e.txt");
        // whichever photo is taken first keeps the name (the two race through the stability check)
        assertThat(java.util.Set.copyOf(zip.keySet().stream().filter(n -> n.startsWith("IMG_1")).toList())).isIn(
                java.util.Set.of("IMG_1.png", "IMG_1.txt", "IMG_1-2.webp", "IMG_1-2.txt"),
                java.util.Set.of("IMG_1.webp", "IMG_1.txt", "IMG_1-2.png", "IMG_1-2.txt"));
    }

    @Test
    void anInvalidTriggerStopsOnlyThatDatasetUntilItIsFixed() throws Exception {
        Path photo = folders.drop("dog", "flower.webp");
        folders.trigger("dog");
        folders.drop("rex_beagle", "transparent.png");
        folders.trigger("rex_beagle");

        folders.awaitZip("rex_beagle", WAIT); // the other dataset carries on
        Path problem = folders.inbox("dog").resolve("CAPTIOND-ERROR.txt");
        await().atMost(WAIT).until(() -> Files.exists(problem));
        assertThat(Files.readString(problem)).contains("'dog' is a common word");
        assertThat(photo).exists(); // nothing moved or deleted
        assertThat(folders.inbox("dog").resolve("trigger.done")).exists();
        assertThat(folders.work("dog")).doesNotExist();

        folders.write("dog", "dataset.yaml", "trigger: rex_dog_v2\n");
        Map<String, byte[]> zip = folders.awaitZip("rex_dog_v2", WAIT);
        assertThat(new String(zip.get("flower.txt"), StandardCharsets.UTF_8)).contains("rex_dog_v2");
        assertThat(problem).doesNotExist();
    }

    @Test
    void aCaptionTheUserWroteIsUsedAndGetsTheTrigger() throws Exception {
        folders.drop("lena_shop", "flower.webp");
        folders.write("lena_shop", "flower.txt", "\uFEFF\"A pink flower in a garden\"\n");
        folders.drop("lena_shop", "transparent.png");
        folders.trigger("lena_shop");

        Map<String, byte[]> zip = folders.awaitZip("lena_shop", WAIT);

        assertThat(new String(zip.get("flower.txt"), StandardCharsets.UTF_8).strip())
                .isEqualTo("lena_shop, A pink flower in a garden");
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest("lena_shop").toFile());
        assertThat(manifest.path("images").get(0).path("captioner").asText()).isEqualTo("user");
        assertThat(manifest.path("totals").path("captionedByUser").asInt()).isEqualTo(1);
    }

    @Test
    void hiddenAndSystemFilesAreIgnoredNotQuarantined() throws Exception {
        folders.drop("ivo_bench", "flower.webp");
        folders.write("ivo_bench", "._flower.webp", "AppleDouble");
        folders.write("ivo_bench", ".DS_Store", "finder");
        folders.write("ivo_bench", "Thumbs.db", "windows");
        folders.write("ivo_bench", "@eaDir/flower.webp@SynoEAStream", "synology");
        folders.trigger("ivo_bench");

        Map<String, byte[]> zip = folders.awaitZip("ivo_bench", WAIT);

        assertThat(zip.keySet()).containsExactly("flower.webp", "flower.txt");
        assertThat(folders.list(folders.inbox("ivo_bench"))).containsExactlyInAnyOrder("._flower.webp", ".DS_Store", "@eaDir", "Thumbs.db");
        assertThat(folders.failed("ivo_bench")).doesNotExist();
    }

    @Test
    void filesDroppedAfterPackagingStartANewRound() throws Exception {
        folders.drop("tomo_round", "flower.webp");
        folders.trigger("tomo_round");
        folders.awaitZip("tomo_round", WAIT);
        Files.delete(folders.manifest("tomo_round"));

        folders.drop("tomo_round", "transparent.png");
        folders.trigger("tomo_round");
        Map<String, byte[]> zip = folders.awaitZip("tomo_round", WAIT);
        assertThat(zip.keySet()).containsExactly("flower.webp", "flower.txt", "transparent.png", "transparent.txt");
    }

    @Test
    void aSecondDatasetWithTheSameTriggerWordIsRefusedBeforeAnythingIsCaptioned() throws Exception {
        folders.write("fay_one", "dataset.yaml", "trigger: fay_shared\n");
        folders.drop("fay_one", "flower.webp");
        folders.trigger("fay_one");
        folders.awaitZip("fay_shared", WAIT);

        folders.write("fay_two", "dataset.yaml", "trigger: fay_shared\n");
        Path photo = folders.drop("fay_two", "transparent.png");
        folders.trigger("fay_two");
        Path problem = folders.inbox("fay_two").resolve("CAPTIOND-ERROR.txt");
        await().atMost(WAIT).until(() -> Files.exists(problem));

        assertThat(Files.readString(problem)).contains("trigger word 'fay_shared' already names outbox/fay_shared_training.json"
                + " of dataset 'fay_one'");
        assertThat(photo).exists(); // not taken, so not captioned (nor paid for)
        assertThat(folders.inbox("fay_two").resolve("trigger.done")).exists();
        assertThat(folders.work("fay_two")).doesNotExist();
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest("fay_shared").toFile());
        assertThat(manifest.path("dataset").asText()).isEqualTo("fay_one");
        assertThat(DropFolders.zipContents(folders.zip("fay_shared")).keySet()).containsExactly("flower.webp", "flower.txt");

        folders.write("fay_two", "dataset.yaml", "trigger: fay_second\n"); // fixed: it resumes by itself
        assertThat(folders.awaitZip("fay_second", WAIT).keySet()).containsExactly("transparent.png", "transparent.txt");
        assertThat(problem).doesNotExist();
    }
}
