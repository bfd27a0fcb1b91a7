package io.captiond.caption.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
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
import io.captiond.caption.FatalCaptionException;
import io.captiond.caption.ProviderMisconfiguredException;
import io.captiond.caption.ProviderPausedException;
import io.captiond.caption.RetryableCaptionException;
import io.captiond.support.ProviderHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gemini's generateContent over a real socket, with the success and error bodies documented in
 * protocols.md §1.5–1.6: what captiond sends, which answers are captions, and how every failure is
 * sorted (retry after the advertised wait, quarantine at once, or pause the provider).
 */
class GeminiContractTest {

    static final String PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    static final String KEY = "AIzaTestKey-not-a-real-one";

    @RegisterExtension
    static WireMockExtension gemini = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    ProviderHarness harness;
    GeminiCaptioner captioner;

    /**
     * The JVM's first request loads and links the HTTP client: seconds on a busy machine, more than
     * the short timeout the tests below use. Done once here so that no test measures it.
     */
    @BeforeAll
    static void warmUp() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, answer("warm", "STOP"))));
        try (ProviderHarness warm = new ProviderHarness(Map.of("captiond.gemini.base-url", gemini.baseUrl(),
                "captiond.gemini.api-key", KEY))) {
            describe(warm.gemini());
        }
        gemini.resetAll();
    }

    @BeforeEach
    void setUp() {
        harness = new ProviderHarness(Map.of("captiond.gemini.base-url", gemini.baseUrl(), "captiond.gemini.api-key", KEY,
                "captiond.gemini.timeout", "1500ms", "captiond.rate.rpm", "600", "captiond.rate.max-retry-after", "5s",
                "captiond.rate.quota-pause", "1h"));
        captioner = harness.gemini();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }


    static String answer(String text, String finish) {
        return """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"thinking about it","thought":true},{"text":%s}]},
                  "finishReason":"%s","index":0}],
                 "usageMetadata":{"promptTokenCount":1290,"candidatesTokenCount":12,"totalTokenCount":1302},
                 "modelVersion":"gemini-2.5-flash"}""".formatted(new ObjectMapper().valueToTree(text).toString(), finish);
    }

    @Test
    void sendsImageBeforeTextWithKeyInHeaderAndReadsTheAnswerSkippingThoughts() throws Exception {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, answer("A man on a pier at dusk.", "STOP"))));

        assertThat(captioner.describe(ProviderHarness.request("pier, dusk, jacket"))).isEqualTo("A man on a pier at dusk.");

        var sent = gemini.getAllServeEvents().get(0).getRequest();
        assertThat(sent.getHeader("x-goog-api-key")).isEqualTo(KEY);
        assertThat(sent.getUrl()).doesNotContain(KEY);
        JsonNode body = new ObjectMapper().readTree(sent.getBodyAsString());
        JsonNode parts = body.path("contents").path(0).path("parts");
        assertThat(parts.path(0).path("inlineData").path("mimeType").asText()).isEqualTo("image/jpeg");
        assertThat(parts.path(0).path("inlineData").path("data").asText()).doesNotStartWith("data:").isNotEmpty();
        assertThat(parts.path(1).path("text").asText()).contains("pier, dusk, jacket");
        assertThat(body.path("systemInstruction").path("parts").path(0).path("text").asText())
                .contains("photo of zeke_portrait");
        assertThat(body.path("generationConfig").path("thinkingConfig").path("thinkingBudget").asInt()).isZero();
        assertThat(body.path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(512);
        assertThat(harness.count("captiond.provider.requests", "provider", "gemini", "outcome", "ok")).isEqualTo(1);
    }

    @Test
    void anInvalidKeyIs400AndStopsTheProviderWithoutBlamingTheImage() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(400, """
                {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
                 "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID",
                   "domain":"googleapis.com"}]}}""")));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOfSatisfying(ProviderMisconfiguredException.class, e -> {
            assertThat(e.problem()).contains("HTTP 400").contains("API_KEY_INVALID").doesNotContain(KEY);
            assertThat(e.fix()).contains("GEMINI_API_KEY");
            assertThat(e.until()).isNull(); // not before a restart
        });
        // the next image is not sent at all: the same key would get the same answer
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(ProviderMisconfiguredException.class);
        gemini.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(captioner.misconfiguration().fix()).contains("captiond.gemini.api-key");
    }

    @Test
    void permissionDeniedSaysWhichKeyToCheck() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(403, """
                {"error":{"code":403,"message":"Your API key was reported as leaked.","status":"PERMISSION_DENIED"}}""")));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(ProviderMisconfiguredException.class)
                .hasMessageContaining("PERMISSION_DENIED").hasMessageContaining("set GEMINI_API_KEY");
    }

    @Test
    void anUnknownModelIs404AndNamesTheModelSetting() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(404, """
                {"error":{"code":404,"message":"models/gemini-2.5-flash is not found for API version v1beta, or is not \
                supported for generateContent.","status":"NOT_FOUND"}}""")));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOfSatisfying(ProviderMisconfiguredException.class,
                e -> assertThat(e.fix()).contains("captiond.gemini.model ('gemini-2.5-flash')").contains("captiond.gemini.base-url"));
    }

    @Test
    void theBaseUrlWorksWithAndWithoutTheApiVersion() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, answer("A lighthouse.", "STOP"))));
        for (String base : new String[] {gemini.baseUrl(), gemini.baseUrl() + "/", gemini.baseUrl() + "/v1beta",
            gemini.baseUrl() + "/v1beta/"}) {
            try (ProviderHarness h = new ProviderHarness(Map.of("captiond.gemini.base-url", base, "captiond.gemini.api-key", KEY))) {
                assertThat(describe(h.gemini())).as(base).isEqualTo("A lighthouse.");
            }
        }
        gemini.verify(4, postRequestedFor(urlEqualTo(PATH)));
        assertThat(GeminiCaptioner.apiRoot("https://generativelanguage.googleapis.com/v1")).endsWith("/v1");
    }

    @Test
    void aKeyTheServerQuotesBackNeverReachesTheMessage() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(403, """
                {"error":{"code":403,"message":"Permission denied: Consumer 'api_key:%s' has been suspended.",
                 "status":"PERMISSION_DENIED"}}""".formatted(KEY))));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(ProviderMisconfiguredException.class)
                .hasMessageContaining("Consumer 'api_key:(redacted)' has been suspended").hasMessageNotContaining(KEY);
    }

    @Test
    void perMinute429WithRetryInfoPausesTheProviderForTheAdvertisedDelay() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(429, """
                {"error":{"code":429,"message":"You exceeded your current quota, please check your plan.","status":"RESOURCE_EXHAUSTED",
                 "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":
                   "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                   "quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaValue":"10"}]},
                  {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}}""")));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOfSatisfying(RetryableCaptionException.class,
                e -> assertThat(e.delay()).isEqualTo(Duration.ofMillis(1500)));
        assertThat(captioner.limiter().pausedUntil()).isNotNull();
        assertThat(harness.count("captiond.provider.throttled", "provider", "gemini")).isEqualTo(1);
    }

    @Test
    void retryInXsInTheMessageIsTheHintWhenThereIsNoRetryInfo() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(429, """
                {"error":{"code":429,"message":"Quota exceeded for metric. Please retry in 2.4s.","status":"RESOURCE_EXHAUSTED"}}""")));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOfSatisfying(RetryableCaptionException.class,
                e -> assertThat(e.delay()).isEqualTo(Duration.ofMillis(2400)));
    }

    @Test
    void bare429FallsBackToRetryAfterHeader() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(429, """
                [{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}]""")
                .withHeader("Retry-After", "3")));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOfSatisfying(RetryableCaptionException.class,
                e -> assertThat(e.delay()).isEqualTo(Duration.ofSeconds(3)));
    }

    @Test
    void dailyQuotaIsNotRetriedAndPausesTheProviderWithoutAnotherRequest() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(429, """
                {"error":{"code":429,"message":"You exceeded your current quota. Please retry in 20s.","status":"RESOURCE_EXHAUSTED",
                 "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":
                   "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                   "quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaValue":"250"}]},
                  {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"20s"}]}}""")));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(ProviderPausedException.class)
                .hasMessageContaining("quota exhausted");
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(ProviderPausedException.class)
                .hasMessageContaining("paused until");
        gemini.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void serverErrorsAreRetryable() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(503, """
                {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class)
                .hasMessageContaining("HTTP 503").hasMessageContaining("overloaded");

        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500).withBody("<html>Internal</html>")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class)
                .hasMessageContaining("HTTP 500");
    }

    @Test
    void aTimeoutAndAResetAreRetryable() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, answer("late", "STOP")).withFixedDelay(1800)));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class)
                .hasMessageContaining("Timeout");

        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class);
        assertThat(harness.count("captiond.provider.requests", "provider", "gemini", "outcome", "transport")).isEqualTo(2);
    }

    @Test
    void aTruncatedBodyIsRetryable() {
        String whole = answer("A cut-off answer", "STOP");
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, whole.substring(0, whole.length() / 2))));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void blockedPromptsAndSafetyStopsAreNotCaptionsAndNotRetried() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, """
                {"promptFeedback":{"blockReason":"IMAGE_SAFETY","safetyRatings":[]},"usageMetadata":{"promptTokenCount":1290}}""")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("blockReason IMAGE_SAFETY");

        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, """
                {"candidates":[{"finishReason":"SAFETY","index":0,"safetyRatings":[{"category":"HARM_CATEGORY_SEXUALLY_EXPLICIT",
                 "probability":"HIGH","blocked":true}]}]}""")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("finishReason SAFETY");
        gemini.verify(2, postRequestedFor(urlEqualTo(PATH))); // one request per refusal
    }

    @Test
    void aThinkingOnlyEmptyAnswerIsAskedAgainWithMoreOutputTokens() {
        String thinkingOnly = """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"hmm","thought":true}]},"finishReason":"MAX_TOKENS","index":0}],
                 "usageMetadata":{"promptTokenCount":1290,"thoughtsTokenCount":511,"totalTokenCount":1801}}""";
        gemini.stubFor(post(urlEqualTo(PATH)).inScenario("think").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, thinkingOnly)).willSetStateTo("again"));
        gemini.stubFor(post(urlEqualTo(PATH)).inScenario("think").whenScenarioStateIs("again")
                .withRequestBody(matchingJsonPath("$.generationConfig.maxOutputTokens", equalTo("2048")))
                .willReturn(json(200, answer("A woman reading by a window.", "STOP"))));

        assertThat(describe(captioner)).isEqualTo("A woman reading by a window.");

        gemini.resetAll();
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, thinkingOnly)));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class)
                .hasMessageContaining("thinking-budget=0");
    }

    @Test
    void anEmptyCandidateIsRetryable() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"  "}]},"finishReason":"STOP","index":0}]}""")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class)
                .hasMessageContaining("no caption text");
    }
}
