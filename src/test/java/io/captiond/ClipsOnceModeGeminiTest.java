package io.captiond;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.captiond.support.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ClipsOnceModeTest} on Gemini: each clip goes inline as video/mp4 in generateContent. */
class ClipsOnceModeGeminiTest extends ClipsOnceModeTest {

    static final String GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent";

    @RegisterExtension // not reset before the test: the daemon starts, and calls, before it
    static WireMockExtension gemini = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
            .resetOnEachTest(false).build();

    @BeforeAll
    static void clipsAndServer() throws Exception {
        dropClips("gem_clips");
        gemini.stubFor(post(urlEqualTo(GENERATE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"candidates":[{"content":{"role":"model","parts":[{"text":"**%s**\\n"}]},
                         "finishReason":"STOP","index":0}]}""".formatted(ANSWER))));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        onceMode(registry);
        registry.add("captiond.provider", () -> "gemini");
        registry.add("captiond.gemini.base-url", gemini::baseUrl);
        registry.add("captiond.gemini.api-key", () -> "test-key-not-real");
    }

    @Test
    void aFolderOfPhoneClipsBecomesAVideoDatasetZipInOnceMode() throws Exception {
        assertOnceModeMadeTheVideoZip("gem_clips");

        var requests = gemini.findAll(postRequestedFor(urlEqualTo(GENERATE)));
        assertThat(requests).hasSize(stems.size());
        for (var request : requests) {
            JsonNode body = Json.MAPPER.readTree(request.getBodyAsString());
            assertThat(body.path("contents").path(0).path("parts").path(0).path("inlineData").path("mimeType").asText())
                    .isEqualTo("video/mp4");
            assertThat(body.toString()).contains("video of gem_clips").doesNotContain("photo of");
        }
    }
}
