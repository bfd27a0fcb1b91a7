package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.support.DropFolders;
import io.captiond.support.Json;
import io.captiond.support.PackagedRounds;
import io.captiond.support.ReplicateFake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Photos + trigger.done to a finished Replicate training, on the real routes (watch, normalise,
 * caption, package, upload) against a local server speaking Replicate's protocol. Uploading is off
 * in the daemon's configuration here: each dataset asks for it in its trigger.done.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CaptiondApplication.class)
@ExtendWith(OutputCaptureExtension.class)
class UploadFlowTest {

    private static final String DEST = "me/zeke-lora";
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    static Path root;
    static DropFolders folders;
    static final ReplicateFake replicate = new ReplicateFake();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.register(registry);
        registry.add("captiond.provider", () -> "basic");
        registry.add("REPLICATE_API_TOKEN", () -> ReplicateFake.TOKEN);
        registry.add("captiond.replicate.base-url", replicate::baseUrl);
        registry.add("captiond.upload.destination", () -> DEST);
        registry.add("captiond.upload.poll-interval", () -> "20ms");
        registry.add("captiond.upload.poll-max-interval", () -> "100ms");
        registry.add("captiond.upload.retry-delay", () -> "20ms");
        replicate.happyPath(DEST);
    }

    @AfterAll
    static void stop() {
        replicate.close();
    }

    @Test
    void aDatasetWhoseTriggerDoneSaysUploadEndsAsOneSucceededTrainingInItsManifest(CapturedOutput output) throws Exception {
        folders.drop("zeke_portrait", "Landscape_6.jpg");
        folders.drop("zeke_portrait", "flower.webp");
        folders.drop("zeke_portrait", "transparent.png");
        folders.write("zeke_portrait", "trigger.done", "upload\n");

        folders.awaitZip("zeke_portrait", WAIT);
        await().atMost(WAIT).until(() -> "succeeded".equals(manifest("zeke_portrait").path("upload").path("status").asText()));

        JsonNode manifest = manifest("zeke_portrait");
        assertThat(manifest.path("images")).hasSize(3);                    // the packaging fields are all still there
        JsonNode training = manifest.path("upload").path("training");
        assertThat(training.path("id").asText()).isEqualTo(ReplicateFake.TRAINING_ID);
        assertThat(training.path("outputVersion").asText()).isEqualTo(ReplicateFake.OUTPUT_VERSION);
        assertThat(training.path("weights").asText()).isEqualTo(ReplicateFake.WEIGHTS);
        assertThat(replicate.trainingPosts()).hasSize(1);
        assertThat(replicate.requests("POST", "/v1/files").get(0).getPart("content").getBody().asBytes())
                .isEqualTo(Files.readAllBytes(folders.zip("zeke_portrait")));
        assertThat(output.getAll()).contains("Training of 'zeke_portrait' succeeded (https://replicate.com/p/");
        assertThat(output.getAll()).doesNotContain(ReplicateFake.TOKEN);
        assertThat(PackagedRounds.filesContaining(root, ReplicateFake.TOKEN)).isEmpty();
    }

    @Test
    void aPlainTriggerDoneOnlyPackagesWhenUploadingIsOff() throws Exception {
        folders.drop("mara_cafe", "flower.webp");
        folders.drop("mara_cafe", "transparent.png");
        folders.trigger("mara_cafe");

        folders.awaitZip("mara_cafe", WAIT);
        Thread.sleep(500); // the upload route would have started by now

        assertThat(manifest("mara_cafe").has("upload")).isFalse();
        assertThat(replicate.requests("POST", "/v1/files").stream()
                .filter(r -> r.getPart("content").getBody().asBytes().length == fileSize(folders.zip("mara_cafe")))).isEmpty();
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode manifest(String trigger) throws Exception {
        return Json.MAPPER.readTree(folders.manifest(trigger).toFile());
    }
}
