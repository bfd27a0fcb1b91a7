package io.captiond.caption.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.captiond.caption.FatalCaptionException;
import io.captiond.caption.ProviderMisconfiguredException;
import io.captiond.caption.ProviderPausedException;
import io.captiond.caption.RetryableCaptionException;
import io.captiond.support.ProviderHarness;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenAI-compatible chat completions over a real socket (protocols.md §2): OpenAI's own bodies and
 * the local servers' variants (Ollama's loading 503, vLLM's flat error object), the two kinds of 429
 * and the retry-after signals.
 */
class OpenAiContractTest {

    static final String PATH = "/v1/chat/completions";
    static final String KEY = "sk-test-not-a-real-key";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    ProviderHarness harness;

    OpenAiCaptioner captioner(String... extra) {
        Map<String, String> props = new HashMap<>(Map.of("captiond.openai.base-url", server.baseUrl() + "/v1",
                "captiond.openai.model", "qwen2.5vl:7b", "captiond.openai.api-key", KEY, "captiond.openai.timeout", "1500ms",
                "captiond.rate.rpm", "600", "captiond.rate.max-retry-after", "5s"));
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        harness = new ProviderHarness(props);
        return harness.openai();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }


    static String completion(String content, String finish) {
        return """
                {"id":"chatcmpl-1","object":"chat.completion","model":"qwen2.5vl:7b","choices":[{"index":0,
                 "message":{"role":"assistant","content":%s},"finish_reason":"%s"}],
                 "usage":{"prompt_tokens":900,"completion_tokens":20,"total_tokens":920}}"""
                .formatted(content == null ? "null" : new ObjectMapper().valueToTree(content).toString(), finish);
    }

    @Test
    void sendsADataUriImageWithTheConfiguredTokenFieldAndBearerKey() throws Exception {
        var captioner = captioner("captiond.caption.temperature", "0.3", "captiond.caption.length", "long");
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, completion("A red bicycle against a brick wall.", "stop"))));

        assertThat(describe(captioner)).isEqualTo("A red bicycle against a brick wall.");

        var sent = server.getAllServeEvents().get(0).getRequest();
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
        JsonNode body = new ObjectMapper().readTree(sent.getBodyAsString());
        assertThat(body.path("model").asText()).isEqualTo("qwen2.5vl:7b");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(512);
        assertThat(body.has("max_completion_tokens")).isFalse();
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("messages").path(0).path("content").asText()).contains("two to four sentences");
        assertThat(body.path("messages").path(1).path("content").path(1).path("image_url").path("url").asText())
                .startsWith("data:image/jpeg;base64,/9j/");
    }

    @Test
    void openAiReasoningModelsGetMaxCompletionTokensAndLocalServersNeedNoKey() throws Exception {
        var captioner = captioner("captiond.openai.max-tokens-field", "max_completion_tokens", "captiond.openai.api-key", "");
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, completion("A cat.", "stop"))));

        describe(captioner);

        var sent = server.getAllServeEvents().get(0).getRequest();
        assertThat(sent.containsHeader("Authorization")).isFalse();
        JsonNode body = new ObjectMapper().readTree(sent.getBodyAsString());
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(512);
        assertThat(body.has("max_tokens")).isFalse();
    }

    @Test
    void aBadKeyStopsTheProviderUntilRestartAndNamesTheSetting() {
        var captioner = captioner();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(401, """
                {"error":{"message":"Incorrect API key provided: sk-test***.","type":"invalid_request_error","param":null,
                 "code":"invalid_api_key"}}""")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(ProviderMisconfiguredException.class)
                .hasMessageContaining("invalid_api_key").hasMessageContaining("set OPENAI_API_KEY");
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(ProviderMisconfiguredException.class);
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void anUnknownModelIs404AndNamesTheModelSetting() {
        var captioner = captioner();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(404, """
                {"error":{"message":"The model `gpt-4o-mimi` does not exist or you do not have access to it.",
                 "type":"invalid_request_error","param":null,"code":"model_not_found"}}""")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOfSatisfying(ProviderMisconfiguredException.class,
                e -> assertThat(e.fix()).contains("captiond.openai.model").contains("captiond.openai.base-url"));
    }

    @Test
    void aBadRequestIsNotRetried() {
        var captioner = captioner();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(400, """
                {"object":"error","message":"At most 1 image(s) may be provided in one request.","type":"BadRequestError",
                 "param":null,"code":400}""")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("At most 1 image");
    }

    @Test
    void rateLimit429HonoursRetryAfterMsThenRetryAfterDate() {
        var captioner = captioner();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(429, """
                {"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}""")
                .withHeader("retry-after-ms", "1250").withHeader("retry-after", "2")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOfSatisfying(RetryableCaptionException.class,
                e -> assertThat(e.delay()).isEqualTo(Duration.ofMillis(1250)));

        String inThreeSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(4));
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(429, """
                {"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""")
                .withHeader("Retry-After", inThreeSeconds)));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOfSatisfying(RetryableCaptionException.class,
                e -> assertThat(e.delay()).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(4)));
    }

    @Test
    void insufficientQuotaPausesTheProviderInsteadOfRetrying() {
        var captioner = captioner();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(429, """
                {"error":{"message":"You exceeded your current quota, please check your plan and billing details.",
                 "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""")));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(ProviderPausedException.class)
                .hasMessageContaining("insufficient_quota");
        assertThat(captioner.limiter().pausedUntil()).isNotNull();
    }

    @Test
    void aModelStillLoadingIsRetryable() {
        var captioner = captioner();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(503, """
                {"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}""")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class)
                .hasMessageContaining("Loading model");
    }

    @Test
    void filteredRefusedAndEmptyAnswersAreNotCaptions() {
        var captioner = captioner();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, completion(null, "content_filter"))));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("content_filter");

        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, """
                {"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},
                 "finish_reason":"stop"}]}""")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("I can't help with that.");

        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, completion("", "length"))));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class)
                .hasMessageContaining("finish_reason length");
    }

    @Test
    void truncatedJsonIsRetryable() {
        var captioner = captioner();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"A ca")));
        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class)
                .hasMessageContaining("truncated");
    }
}
