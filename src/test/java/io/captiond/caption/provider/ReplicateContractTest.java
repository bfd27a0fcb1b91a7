package io.captiond.caption.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.captiond.support.ProviderHarness.describe;
import static io.captiond.support.ProviderHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.captiond.caption.CaptionRequest;
import io.captiond.caption.FatalCaptionException;
import io.captiond.caption.ProviderMisconfiguredException;
import io.captiond.caption.ProviderPausedException;
import io.captiond.caption.RetryableCaptionException;
import io.captiond.core.ImageRecord;
import io.captiond.support.ProviderHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replicate predictions over a real socket (protocols.md §3, §5): Prefer: wait, polling urls.get,
 * output arrays joined, problem+json errors, and the rule that a create is repeated only after a 429.
 */
class ReplicateContractTest {

    static final String CREATE = "/v1/models/google/gemini-2.5-flash/predictions";
    static final String TOKEN = "r8_test_not_a_real_token";
    static final String POLL = "/v1/predictions/ufawqhfynnddngldkgtslldrkq";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    ProviderHarness harness;
    ReplicateCaptioner captioner;

    @BeforeEach
    void setUp() {
        harness = new ProviderHarness(Map.of("captiond.replicate.base-url", server.baseUrl() + "/v1",
                "captiond.replicate.api-token", TOKEN, "captiond.replicate.poll-interval", "50ms",
                "captiond.replicate.wait-seconds", "1", "captiond.replicate.timeout", "3s", "captiond.rate.rpm", "600",
                "captiond.rate.max-retry-after", "5s"));
        captioner = harness.replicate();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }


    static String prediction(String status, String output, String error) {
        return """
                {"id":"ufawqhfynnddngldkgtslldrkq","model":"google/gemini-2.5-flash","version":"hidden","input":{},
                 "logs":"","output":%s,"error":%s,"status":"%s","created_at":"2026-11-25T01:00:00Z",
                 "urls":{"get":"%s/v1/predictions/ufawqhfynnddngldkgtslldrkq",
                         "cancel":"%s/v1/predictions/ufawqhfynnddngldkgtslldrkq/cancel"}}"""
                .formatted(output, error == null ? "null" : "\"" + error + "\"", status, server.baseUrl(), server.baseUrl());
    }

    @Test
    void aPredictionFinishedWithinPreferWaitIsJoinedFromItsOutputArray() throws Exception {
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(201,
                prediction("succeeded", "[\"A dog \",\"running on \",\"a beach.\"]", null))));

        assertThat(describe(captioner)).isEqualTo("A dog running on a beach.");

        var sent = server.getAllServeEvents().get(0).getRequest();
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.getHeader("Prefer")).isEqualTo("wait=1");
        JsonNode input = new ObjectMapper().readTree(sent.getBodyAsString()).path("input");
        assertThat(input.path("images").path(0).asText()).startsWith("data:image/jpeg;base64,");
        assertThat(input.path("system_instruction").asText()).contains("LoRA");
        assertThat(input.path("max_output_tokens").asInt()).isEqualTo(512);
    }

    @Test
    void theTokenIsNeverSentToAPollUrlOutsideTheBaseUrl() {
        String elsewhere = prediction("processing", "null", null).replace(server.baseUrl() + "/v1/predictions",
                "http://127.0.0.1:9/v1/predictions");
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(202, elsewhere)));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("outside captiond.replicate.base-url").hasMessageNotContaining(TOKEN);
        server.verify(1, postRequestedFor(urlEqualTo(CREATE)));
    }

    @Test
    void anUnfinishedPredictionIsPolledThroughUrlsGetRidingOutA503() {
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(202, prediction("processing", "null", null))));
        String poll = "/v1/predictions/ufawqhfynnddngldkgtslldrkq";
        server.stubFor(get(urlEqualTo(poll)).inScenario("poll").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        server.stubFor(get(urlEqualTo(poll)).inScenario("poll").whenScenarioStateIs("up")
                .willReturn(json(200, prediction("processing", "[\"A dog\"]", null))).willSetStateTo("done"));
        server.stubFor(get(urlEqualTo(poll)).inScenario("poll").whenScenarioStateIs("done")
                .willReturn(json(200, prediction("succeeded", "[\"A dog\",\" asleep.\"]", null))));

        assertThat(describe(captioner)).isEqualTo("A dog asleep.");
        server.verify(1, postRequestedFor(urlEqualTo(CREATE)));
        server.verify(3, getRequestedFor(urlEqualTo(poll)));
    }

    @Test
    void aThrottledCreateWaitsTheResetTimeFromTheDetail() {
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(429,
                "{\"detail\":\"Request was throttled. Your rate limit resets in ~2s.\",\"status\":429}")
                .withHeader("Content-Type", "application/problem+json")));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOfSatisfying(RetryableCaptionException.class,
                e -> assertThat(e.delay()).isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void aCreateThatFailedWith5xxOrTimedOutIsNeverSentAgain() {
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(500, "{\"detail\":\"Internal server error\",\"status\":500}")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("billed");

        server.stubFor(post(urlEqualTo(CREATE)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("not sent again");
    }

    @Test
    void aWrongTokenStopsTheProviderUntilRestart() {
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(401,
                "{\"title\":\"Unauthenticated\",\"detail\":\"You did not pass a valid authentication token\",\"status\":401}")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOfSatisfying(ProviderMisconfiguredException.class, e -> {
            assertThat(e.getMessage()).contains("Unauthenticated").contains("REPLICATE_API_TOKEN").doesNotContain(TOKEN);
            assertThat(e.fix()).contains("captiond.replicate.api-token");
        });
    }

    @Test
    void validationErrorsAreFatalAndBillingPausesTheProvider() {
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(422,
                "{\"title\":\"Input validation failed\",\"detail\":\"- input.images: Additional property images is not allowed\",\"status\":422}")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("HTTP 422");

        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(402,
                "{\"title\":\"Billing required\",\"detail\":\"You need to set up billing to run this model.\",\"status\":402}")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(ProviderPausedException.class)
                .hasMessageContaining("Billing required");
    }

    @Test
    void aFailedPredictionIsNotACaptionAndIsTriedAgain() {
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(201,
                prediction("failed", "null", "CUDA out of memory. Tried to allocate 2.00 GiB"))));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class)
                .hasMessageContaining("failed: CUDA out of memory");
    }

    @Test
    void aSafetyRefusalIsFatalWithReplicatesReason() {
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(201,
                prediction("failed", "null", "The input or output was flagged as sensitive. Please try again with different inputs. (E005)"))));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("refused").hasMessageContaining("flagged as sensitive").hasMessageContaining("E005");

        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(201, prediction("processing", "null", null))));
        server.stubFor(get(urlEqualTo(POLL)).willReturn(json(200, prediction("failed", "null", "NSFW content detected"))));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("NSFW content detected");
        server.verify(2, postRequestedFor(urlEqualTo(CREATE))); // one create per refusal
    }

    @Test
    void aPredictionInFlightAtAStopIsPolledAfterTheRestartNotCreatedAgain(@TempDir Path work) throws Exception {
        ReplicateCaptioner before = harness.replicate(dataset -> work.resolve(dataset).resolve(".captiond"));
        // SIGTERM once the prediction has been polled (still processing)
        before.stopWhen(() -> !server.findAll(getRequestedFor(urlEqualTo(POLL))).isEmpty());
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(201, prediction("starting", "null", null))));
        server.stubFor(get(urlEqualTo(POLL)).willReturn(json(200, prediction("processing", "null", null))));
        CaptionRequest member = member();

        assertThatThrownBy(() -> before.describe(member)).isInstanceOf(ProviderPausedException.class)
                .hasMessageContaining("stopping");
        Path remembered = work.resolve("zeke/.captiond/predictions/IMG_1.jpg.json");
        assertThat(Files.readString(remembered)).contains("ufawqhfynnddngldkgtslldrkq");

        // the restart: a new captioner over the same folders; the prediction has finished meanwhile
        server.stubFor(get(urlEqualTo(POLL)).willReturn(json(200, prediction("succeeded", "[\"A dog \",\"asleep.\"]", null))));
        ReplicateCaptioner after = harness.replicate(dataset -> work.resolve(dataset).resolve(".captiond"));

        assertThat(after.describe(member)).isEqualTo("A dog asleep.");
        server.verify(1, postRequestedFor(urlEqualTo(CREATE)));
        assertThat(remembered).doesNotExist();
    }

    @Test
    void aPredictionGivenUpOnIsCancelled(@TempDir Path work) throws Exception {
        ReplicateCaptioner captioner = harness.replicate(dataset -> work.resolve(dataset).resolve(".captiond"));
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(201, prediction("starting", "null", null))));
        server.stubFor(get(urlEqualTo(POLL)).willReturn(json(200, prediction("processing", "null", null))));
        server.stubFor(post(urlEqualTo(POLL + "/cancel")).willReturn(json(200, prediction("canceled", "null", null))));

        assertThatThrownBy(() -> captioner.describe(member())).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("captiond.replicate.timeout").hasMessageContaining("cancelled");

        server.verify(1, postRequestedFor(urlEqualTo(POLL + "/cancel")));
        server.verify(1, postRequestedFor(urlEqualTo(CREATE)));
        assertThat(work.resolve("zeke/.captiond/predictions/IMG_1.jpg.json")).doesNotExist();
    }

    /** A request for a dataset member, as the caption stage makes it (its record names the member). */
    private static CaptionRequest member() {
        CaptionRequest plain = ProviderHarness.request(null);
        ImageRecord record = new ImageRecord("IMG_1.jpg", "jpeg", 1000, "IMG_1.jpg", "jpeg", 64, 48, 1000, null, null, null,
                Instant.parse("2026-11-28T06:00:00Z"), null);
        return new CaptionRequest(plain.preview(), record, plain.dataset(), null);
    }

    @Test
    void aTruncatedCreateAnswerIsNotCreatedAgain() {
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(201, prediction("succeeded", "[\"x\"]", null).substring(0, 60))));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("truncated").hasMessageContaining("not created again");
    }
}
