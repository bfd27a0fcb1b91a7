package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.core.Packaged;
import io.captiond.support.DropFolders;
import io.captiond.support.Json;
import io.captiond.support.PackagedRounds;
import io.captiond.support.ReplicateFake;
import io.captiond.upload.Training;
import io.captiond.upload.UploadState;
import io.captiond.upload.UploadStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Photos + trigger.done to a finished Replicate training, on the real routes (watch, normalise,
 * caption, package, upload) against a local server speaking Replicate's protocol. Uploading is off
 * in the daemon's configuration here: each dataset asks for it in its trigger.done. Replicate's
 * signed webhooks reach the manifest through the daemon's port.
 */
@CamelSpringBootTest
// a configuration of its own: its daemon stops after the class instead of polling on until the JVM ends
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class UploadFlowTest {

    private static final String DEST = "me/zeke-lora";
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String WEBHOOK_SECRET = "whsec_C2FfTWVzc2FnZVNpZ25pbmdLZXlGb3JUZXN0cw==";
    private static final String WEBHOOK_TRAINING = "wbhk2tq3nzrm60cr4ae9q7vd8w";

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
        replicate.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/v1/webhooks/default/secret")
                .willReturn(ReplicateFake.json(200, "{\"key\": \"" + WEBHOOK_SECRET + "\"}")));
    }

    @LocalServerPort
    int port;
    @Autowired
    UploadStore store;

    @Test
    void aSignedWebhookAboutAFollowedTrainingUpdatesItsManifestAndAForgedOneIsRefused() throws Exception {
        Packaged round = PackagedRounds.write(root, "webhook_wren", "webhook_wren", "", "flower.webp", "transparent.png");
        UploadState state = new UploadState();
        state.dataset = round.dataset();
        state.trigger = round.trigger();
        state.contentSha256 = round.contentSha256();
        state.status = UploadState.TRAINING;
        state.destination = DEST;
        state.training = Training.from(Json.MAPPER.readTree(replicate.training(DEST, "processing").replace(ReplicateFake.TRAINING_ID, WEBHOOK_TRAINING)));
        store.save(state);
        byte[] body = replicate.training(DEST, "succeeded").replace(ReplicateFake.TRAINING_ID, WEBHOOK_TRAINING)
                .getBytes(StandardCharsets.UTF_8);
        String now = String.valueOf(Instant.now().getEpochSecond());

        assertThat(deliver("msg_forged", now, body, "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").statusCode()).isEqualTo(401);
        assertThat(deliver("msg_old", "1614265330", body, sign("msg_old", "1614265330", body)).statusCode()).isEqualTo(401);
        assertThat(manifest("webhook_wren").path("upload").path("training").path("status").asText()).isEqualTo("processing");

        assertThat(deliver("msg_1", now, body, sign("msg_1", now, body)).statusCode()).isEqualTo(204);

        JsonNode training = manifest("webhook_wren").path("upload").path("training");
        assertThat(training.path("status").asText()).isEqualTo("succeeded");
        assertThat(training.path("outputVersion").asText()).isEqualTo(ReplicateFake.OUTPUT_VERSION);
        assertThat(training.path("url").asText()).isEqualTo("https://replicate.com/p/" + WEBHOOK_TRAINING);
        // a late "processing" delivery does not turn it back
        byte[] late = replicate.training(DEST, "processing").replace(ReplicateFake.TRAINING_ID, WEBHOOK_TRAINING)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(deliver("msg_2", now, late, sign("msg_2", now, late)).statusCode()).isEqualTo(204);
        assertThat(manifest("webhook_wren").path("upload").path("training").path("status").asText()).isEqualTo("succeeded");
    }

    private HttpResponse<String> deliver(String id, String timestamp, byte[] body, String signature) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/replicate/webhook"))
                .header("Content-Type", "application/json").header("webhook-id", id)
                .header("webhook-timestamp", timestamp).header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** As Replicate signs: HMAC-SHA256 of id.timestamp.body with the account's webhook secret. */
    private static String sign(String id, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(WEBHOOK_SECRET.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
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
        // the training-poll route logs the summary once the end is written down
        await().atMost(WAIT).until(() -> output.getAll().contains("Training of 'zeke_portrait' succeeded (https://replicate.com/p/"));
        assertThat(output.getAll()).doesNotContain(ReplicateFake.TOKEN);
        assertThat(PackagedRounds.filesContaining(root, ReplicateFake.TOKEN)).isEmpty();
    }

    @Test
    void aPlainTriggerDoneOnlyPackagesWhenUploadingIsOff() throws Exception {
        folders.drop("mara_cafe", "flower.webp");
        folders.drop("mara_cafe", "transparent.png");
        folders.trigger("mara_cafe");

        folders.awaitZip("mara_cafe", WAIT);
        // the round is handed on (the upload decision made) when its claimed trigger is consumed
        await().atMost(WAIT).until(() -> !Files.exists(folders.work("mara_cafe").resolve(".captiond/trigger.claimed")));

        assertThat(manifest("mara_cafe").has("upload")).isFalse();
        assertThat(folders.work("mara_cafe").resolve(".captiond/uploads")).doesNotExist();
        byte[] zip = Files.readAllBytes(folders.zip("mara_cafe"));
        assertThat(replicate.requests("POST", "/v1/files"))
                .noneMatch(r -> java.util.Arrays.equals(r.getPart("content").getBody().asBytes(), zip));
    }

    private static JsonNode manifest(String trigger) throws Exception {
        return Json.MAPPER.readTree(folders.manifest(trigger).toFile());
    }
}
