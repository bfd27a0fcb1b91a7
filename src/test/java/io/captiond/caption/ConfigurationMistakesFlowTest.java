package io.captiond.caption;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.captiond.support.DropFolders;
import io.captiond.support.InProcessDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A mistake in the provider's settings costs the user nothing: a wrong key, a wrong base URL or a
 * model that does not exist leaves every image uncaptioned in work/ (nothing in failed/), says once
 * what is wrong and which setting fixes it (log, CAPTIOND-ERROR.txt in the dataset's folder,
 * /actuator/health DOWN), and the next start with the setting fixed captions the dataset and
 * removes the problem file. The daemon runs in this JVM and is restarted over the same folders.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationMistakesFlowTest {

    static final String GEMINI_PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    static final String WRONG_KEY = "AIzaWrongKey-typo";
    static final String RIGHT_KEY = "AIzaRightKey-secret";
    static final List<String> PHOTOS = List.of("flower.webp", "Landscape_6.jpg", "Portrait_5.jpg");
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path root;

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    @Test
    void aWrongGeminiKeyQuarantinesNothingAndTheRestartWithTheRightKeyCaptionsTheDataset(CapturedOutput log) {
        server.stubFor(post(urlEqualTo(GEMINI_PATH)).withHeader("x-goog-api-key", equalTo(WRONG_KEY)).willReturn(json(400, """
                {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
                 "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID",
                   "domain":"googleapis.com"}]}}""")));
        server.stubFor(post(urlEqualTo(GEMINI_PATH)).withHeader("x-goog-api-key", equalTo(RIGHT_KEY)).willReturn(json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"A photo on a table."}]},"finishReason":"STOP"}]}""")));
        DropFolders folders = new DropFolders(root);
        PHOTOS.forEach(photo -> folders.drop("cfg_gem", photo));
        folders.trigger("cfg_gem");
        Path problemFile = folders.inbox("cfg_gem").resolve("CAPTIOND-ERROR.txt");

        try (ConfigurableApplicationContext daemon = InProcessDaemon.start(folders, Map.of("captiond.provider", "gemini",
                "captiond.gemini.base-url", server.baseUrl() + "/v1beta", "captiond.gemini.api-key", WRONG_KEY,
                "captiond.rate.concurrency", "1"))) {
            awaitAllWaiting(folders, daemon, "cfg_gem", problemFile);

            assertThat(Files.readString(problemFile).strip()).contains("API_KEY_INVALID").contains("GEMINI_API_KEY")
                    .contains("restart captiond").doesNotContain(WRONG_KEY);
            var health = daemon.getBean("captioning", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("configurationProblem").toString()).contains("API_KEY_INVALID");
            assertThat(health.getDetails().get("fix").toString()).contains("captiond.gemini.api-key");
            // one request told captiond the key is wrong; the other images were not sent with it
            server.verify(1, postRequestedFor(urlEqualTo(GEMINI_PATH)).withHeader("x-goog-api-key", equalTo(WRONG_KEY)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(log.getAll().split("gemini cannot be used: ", -1)).as("said once in the log").hasSize(2);
        assertThat(log.getAll()).doesNotContain(WRONG_KEY).doesNotContain("Quarantined cfg_gem");

        // the user fixes the key and restarts; the base URL without /v1beta works as well
        try (ConfigurableApplicationContext daemon = InProcessDaemon.start(folders, Map.of("captiond.provider", "gemini",
                "captiond.gemini.base-url", server.baseUrl(), "captiond.gemini.api-key", RIGHT_KEY))) {
            assertThat(folders.awaitZip("cfg_gem", WAIT)).hasSize(2 * PHOTOS.size());
            await().atMost(WAIT).until(() -> !Files.exists(problemFile));
            assertThat(daemon.getBean("captioning", HealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        }
        assertThat(folders.list(folders.failed("cfg_gem"))).isEmpty();
    }

    @Test
    void aWrongOpenAiKeyAndAModelThatDoesNotExistLeaveEveryImageWaiting() throws Exception {
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).withHeader("Authorization", equalTo("Bearer sk-wrong"))
                .willReturn(json(401, """
                        {"error":{"message":"Incorrect API key provided: sk-wrong.","type":"invalid_request_error",
                         "param":null,"code":"invalid_api_key"}}""")));
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).withRequestBody(containing("\"model\":\"gpt-4o-mimi\""))
                .willReturn(json(404, """
                        {"error":{"message":"The model `gpt-4o-mimi` does not exist or you do not have access to it.",
                         "type":"invalid_request_error","param":null,"code":"model_not_found"}}""")));
        DropFolders folders = new DropFolders(root);
        PHOTOS.forEach(photo -> folders.drop("cfg_key", photo));

        for (var mistake : List.of(
                new Mistake("cfg_key", Map.of("captiond.openai.api-key", "sk-wrong", "captiond.openai.model", "gpt-4o-mini"),
                        "invalid_api_key", "OPENAI_API_KEY"),
                new Mistake("cfg_model", Map.of("captiond.openai.api-key", "sk-right", "captiond.openai.model", "gpt-4o-mimi"),
                        "model_not_found", "captiond.openai.model ('gpt-4o-mimi')"))) {
            Map<String, String> settings = new java.util.HashMap<>(mistake.settings());
            settings.putAll(Map.of("captiond.provider", "openai", "captiond.openai.base-url", server.baseUrl() + "/v1",
                    "captiond.rate.concurrency", "1"));
            PHOTOS.forEach(photo -> folders.drop(mistake.dataset(), photo));
            Path problemFile = folders.inbox(mistake.dataset()).resolve("CAPTIOND-ERROR.txt");
            try (ConfigurableApplicationContext daemon = InProcessDaemon.start(folders, settings)) {
                awaitAllWaiting(folders, daemon, mistake.dataset(), problemFile);

                assertThat(Files.readString(problemFile)).contains(mistake.reason()).contains(mistake.setting());
                var health = daemon.getBean("captioning", HealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails().toString()).contains(mistake.reason()).doesNotContain("sk-wrong");
            }
        }
        assertThat(folders.list(folders.failed("cfg_key"))).isEmpty();
        assertThat(folders.list(folders.failed("cfg_model"))).isEmpty();
    }

    record Mistake(String dataset, Map<String, String> settings, String reason, String setting) {
    }

    /** Waits until the dataset's problem file is written and every photo sits in work/ without a caption, none queued. */
    private static void awaitAllWaiting(DropFolders folders, ConfigurableApplicationContext daemon, String dataset,
            Path problemFile) {
        CaptionQueue queue = daemon.getBean(CaptionQueue.class);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(problemFile)
                && folders.list(folders.work(dataset)).stream().filter(n -> !n.startsWith(".")).count() == PHOTOS.size()
                && queue.size() == 0);
        assertThat(folders.list(folders.work(dataset))).noneMatch(n -> n.endsWith(".txt"));
        assertThat(folders.list(folders.failed(dataset))).isEmpty();
    }
}
