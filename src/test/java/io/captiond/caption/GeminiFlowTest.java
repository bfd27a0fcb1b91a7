package io.captiond.caption;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.captiond.CaptiondApplication;
import io.captiond.caption.provider.ProviderCaptioner;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import io.captiond.support.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real routes with {@code captiond.provider=gemini} against a local server speaking Gemini's
 * protocol: photos plus trigger.done become a zip whose captions are the model's, cleaned and
 * carrying the trigger; failures are retried, quarantined or waited out as the folder contract says.
 * Each test has its own dataset (the stubs match on the trigger word in the prompt).
 */
@CamelSpringBootTest
// a configuration of its own: its daemon stops after the class instead of polling on until the JVM ends
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class)
@ExtendWith(OutputCaptureExtension.class)
class GeminiFlowTest {

    static final String PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    static final String KEY = "AIzaFlowTestKey-secret";
    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static WireMockExtension gemini = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    static Path root;
    static DropFolders folders;

    @Autowired
    Captioner captioner;

    @Autowired
    org.springframework.boot.actuate.health.HealthIndicator captioning;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.register(registry);
        registry.add("captiond.provider", () -> "gemini");
        registry.add("captiond.gemini.base-url", gemini::baseUrl);
        registry.add("captiond.gemini.api-key", () -> KEY);
        registry.add("captiond.gemini.timeout", () -> "3s");
        registry.add("captiond.rate.rpm", () -> "600");
        registry.add("captiond.rate.window", () -> "1s");
        registry.add("captiond.rate.max-attempts", () -> "3");
        registry.add("captiond.rate.backoff-base", () -> "50ms");
        registry.add("captiond.rate.backoff-max", () -> "200ms");
        registry.add("captiond.rate.quota-pause", () -> "2s");
    }

    static ResponseDefinitionBuilder answer(String text) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                {"candidates":[{"content":{"role":"model","parts":[{"text":%s}]},"finishReason":"STOP","index":0}]}"""
                .formatted(Json.MAPPER.valueToTree(text).toString()));
    }

    static ResponseDefinitionBuilder error(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String caption(Map<String, byte[]> zip, String name) {
        return new String(zip.get(name), StandardCharsets.UTF_8).strip();
    }

    @Test
    void aModelCaptionIsCleanedGivenTheTriggerAndShippedInTheZipAndAnUpperCaseTagsFileReachesTheModel() throws Exception {
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_pier"))
                .willReturn(answer("Here is a caption:\n\u201C**A man** leaning on a wooden pier rail at dusk.\u201D")));
        folders.write("gem_pier", "Landscape_6.TAGS", "pier, dusk, man"); // companions match in any case, like images
        folders.drop("gem_pier", "Landscape_6.jpg");
        folders.trigger("gem_pier");

        Map<String, byte[]> zip = folders.awaitZip("gem_pier", WAIT);

        assertThat(caption(zip, "Landscape_6.txt")).isEqualTo("photo of gem_pier, a man leaning on a wooden pier rail at dusk.");
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest("gem_pier").toFile());
        assertThat(manifest.path("images").get(0).path("captioner").asText()).isEqualTo("gemini/gemini-2.5-flash");
        var sent = gemini.getAllServeEvents().stream().filter(e -> e.getRequest().getBodyAsString().contains("gem_pier"))
                .findFirst().orElseThrow().getRequest();
        assertThat(sent.getBodyAsString()).contains("pier, dusk, man");
        assertThat(Files.readString(folders.manifest("gem_pier"))).doesNotContain(KEY);
    }

    @Test
    void theHttpClientsDebugWireLogShowsTheKeyHeaderMasked(CapturedOutput output) {
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_wire")).willReturn(answer("A flower.")));
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        String[] wireLoggers = {"org.apache.hc.client5.http.wire", "org.apache.hc.client5.http.headers"};
        for (String logger : wireLoggers) {
            logging.setLogLevel(logger, LogLevel.DEBUG);
        }
        try {
            folders.drop("gem_wire", "flower.webp");
            folders.trigger("gem_wire");
            folders.awaitZip("gem_wire", WAIT);
        } finally {
            for (String logger : wireLoggers) {
                logging.setLogLevel(logger, null);
            }
        }
        assertThat(output.getAll()).as("the wire log was on").containsIgnoringCase("x-goog-api-key: (redacted)");
        assertThat(output.getAll()).doesNotContain(KEY).doesNotContain("FlowTestKey");
    }

    @Test
    void anUpperCaseTxtIsTheUsersCaptionAtCaptionTimeAndNoModelCaptionIsPaidFor() throws Exception {
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_upper")).willReturn(answer("A paid caption.")));
        folders.write("gem_upper", "IMG_1.TXT", "my own words about the flower");
        folders.drop("gem_upper", Fixtures.image("flower.webp"), "IMG_1.webp");
        folders.trigger("gem_upper");

        Map<String, byte[]> zip = folders.awaitZip("gem_upper", WAIT);

        assertThat(caption(zip, "IMG_1.txt")).isEqualTo("gem_upper, my own words about the flower");
        gemini.verify(0, postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("gem_upper")));
        assertThat(Json.MAPPER.readTree(folders.manifest("gem_upper").toFile()).path("images").get(0).path("captioner")
                .asText()).isEqualTo("user");
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUntilTheCaptionComes() {
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_retry")).inScenario("retry")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(error(503, """
                        {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}"""))
                .willSetStateTo("reset"));
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_retry")).inScenario("retry")
                .whenScenarioStateIs("reset").willReturn(aResponse().withStatus(200).withBody("{\"candidates\":[{\"con"))
                .willSetStateTo("ok"));
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_retry")).inScenario("retry")
                .whenScenarioStateIs("ok").willReturn(answer("A flower in a pot.")));
        folders.drop("gem_retry", "flower.webp");
        folders.trigger("gem_retry");

        Map<String, byte[]> zip = folders.awaitZip("gem_retry", WAIT);

        assertThat(caption(zip, "flower.txt")).isEqualTo("photo of gem_retry, a flower in a pot.");
        gemini.verify(3, postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("gem_retry")));
    }

    @Test
    void aThrottledCaptionIsRetriedNoSoonerThanTheServerAsked() {
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_slow")).inScenario("slow")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(error(429, """
                        {"error":{"code":429,"message":"Quota exceeded for quota metric 'Generate Content API requests per minute'.",
                         "status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo",
                         "retryDelay":"1.2s"}]}}""")).willSetStateTo("ok"));
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_slow")).inScenario("slow")
                .whenScenarioStateIs("ok").willReturn(answer("A kettle on a stove.")));
        folders.drop("gem_slow", "flower.webp");
        folders.trigger("gem_slow");

        Map<String, byte[]> zip = folders.awaitZip("gem_slow", WAIT);

        assertThat(caption(zip, "flower.txt")).isEqualTo("photo of gem_slow, a kettle on a stove.");
        var times = gemini.findAll(postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("gem_slow"))).stream()
                .map(r -> r.getLoggedDate().getTime()).sorted().toList();
        assertThat(times).hasSize(2);
        assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(1200);
    }

    @Test
    void throttlingNeverUsesUpAnImagesAttempts() {
        String throttled = """
                {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
                 "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.1s"}]}}""";
        String state = Scenario.STARTED;
        for (int i = 1; i <= 5; i++) { // five 429s in a row, more than max-attempts (3)
            gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_busy")).inScenario("busy")
                    .whenScenarioStateIs(state).willReturn(error(429, throttled)).willSetStateTo("429-" + i));
            state = "429-" + i;
        }
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_busy")).inScenario("busy")
                .whenScenarioStateIs(state).willReturn(answer("A busy market street.")));
        folders.drop("gem_busy", "flower.webp");
        folders.trigger("gem_busy");

        Map<String, byte[]> zip = folders.awaitZip("gem_busy", WAIT);

        assertThat(caption(zip, "flower.txt")).isEqualTo("photo of gem_busy, a busy market street.");
        gemini.verify(6, postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("gem_busy")));
    }

    @Test
    void aMemberIsQuarantinedWithTheLastErrorAfterMaxAttempts() throws Exception {
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_down")).willReturn(error(500, """
                {"error":{"code":500,"message":"An internal error has occurred.","status":"INTERNAL"}}""")));
        folders.drop("gem_down", "flower.webp");

        Path reason = folders.failed("gem_down").resolve("flower.webp.error.txt");
        await().atMost(WAIT).until(() -> Files.exists(reason));

        assertThat(Files.readString(reason)).contains("stage: caption").contains("HTTP 500 INTERNAL");
        gemini.verify(3, postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("gem_down")));
    }

    @Test
    void aSafetyStopIsQuarantinedWithGeminisReasonAfterOneRequest() throws Exception {
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_blocked")).willReturn(error(200, """
                {"candidates":[{"finishReason":"PROHIBITED_CONTENT","index":0}]}""")));
        folders.drop("gem_blocked", "flower.webp");

        Path reason = folders.failed("gem_blocked").resolve("flower.webp.error.txt");
        await().atMost(WAIT).until(() -> Files.exists(reason));

        assertThat(Files.readString(reason)).contains("stage: caption").contains("finishReason PROHIBITED_CONTENT");
        gemini.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("gem_blocked")));
    }

    @Test
    void aRefusalIsNotACaption() throws Exception {
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_sorry"))
                .willReturn(answer("I'm sorry, but I can't help with identifying people in images.")));
        folders.drop("gem_sorry", "flower.webp");

        Path reason = folders.failed("gem_sorry").resolve("flower.webp.error.txt");
        await().atMost(WAIT).until(() -> Files.exists(reason));

        assertThat(Files.readString(reason)).contains("refusal");
        assertThat(folders.list(folders.work("gem_sorry"))).doesNotContain("flower.txt");
        gemini.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("gem_sorry"))); // not asked again
    }

    @Test
    void aDailyQuotaLeavesTheImageWaitingUncaptionedAndNothingIsQuarantined(CapturedOutput log) throws Exception {
        gemini.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing("gem_quota")).willReturn(error(429, """
                {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED",
                 "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{
                   "quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaValue":"250"}]}]}}""")));
        folders.drop("gem_quota", "flower.webp");
        folders.trigger("gem_quota");

        await().atMost(WAIT).until(() -> ((ProviderCaptioner) captioner).limiter().pauseReason() != null);
        assertThat(((ProviderCaptioner) captioner).limiter().pauseReason()).contains("quota exhausted");
        var health = captioning.health();
        assertThat(health.getDetails()).containsKeys("pausedUntil", "pauseReason");
        assertThat(health.getDetails().toString()).contains("gemini/gemini-2.5-flash").doesNotContain(KEY);
        // the package route has looked at the dataset since the pause and decided that it waits
        await().atMost(WAIT).until(() -> log.getAll().contains("Dataset 'gem_quota' has trigger.done; waiting: "
                + "0 file(s) still arriving or being normalised, 1 image(s) waiting for a caption (gemini/gemini-2.5-flash is paused until"));

        assertThat(folders.list(folders.work("gem_quota"))).contains("flower.webp").doesNotContain("flower.txt");
        assertThat(folders.list(folders.failed("gem_quota"))).isEmpty();
        assertThat(folders.zip("gem_quota")).doesNotExist(); // the dataset waits for its caption
        gemini.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("gem_quota")));
        assertThat(log.getAll()).contains("Dataset 'gem_quota' has trigger.done; waiting: 0 file(s) still arriving or "
                + "being normalised, 1 image(s) waiting for a caption (gemini/gemini-2.5-flash is paused until");
    }
}
