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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ClipsOnceModeTest} on an OpenAI-compatible server (Ollama's answer shape): each clip goes
 * as its sampled frames in one message, introduced as frames of one clip.
 */
class ClipsOnceModeOpenAiTest extends ClipsOnceModeTest {

    static final String COMPLETIONS = "/v1/chat/completions";

    @RegisterExtension // not reset before the test: the daemon starts, and calls, before it
    static WireMockExtension ollama = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
            .resetOnEachTest(false).build();

    @BeforeAll
    static void clipsAndServer() throws Exception {
        dropClips("oai_clips");
        ollama.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-1","object":"chat.completion","model":"qwen2.5vl:7b","choices":[{"index":0,
                         "message":{"role":"assistant","content":"Caption: %s"},"finish_reason":"stop"}]}""".formatted(ANSWER))));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        onceMode(registry);
        registry.add("captiond.provider", () -> "openai");
        registry.add("captiond.openai.base-url", () -> ollama.baseUrl() + "/v1");
        registry.add("captiond.openai.model", () -> "qwen2.5vl:7b");
        registry.add("captiond.video.caption-frames", () -> "4");
    }

    @Test
    void aFolderOfPhoneClipsBecomesAVideoDatasetZipInOnceMode() throws Exception {
        assertOnceModeMadeTheVideoZip("oai_clips");

        var requests = ollama.findAll(postRequestedFor(urlEqualTo(COMPLETIONS)));
        assertThat(requests).hasSize(stems.size());
        for (var request : requests) {
            JsonNode body = Json.MAPPER.readTree(request.getBodyAsString());
            JsonNode content = body.path("messages").path(body.path("messages").size() - 1).path("content");
            List<String> images = new ArrayList<>();
            content.forEach(part -> images.add(part.path("image_url").path("url").asText()));
            assertThat(images.stream().filter(url -> url.startsWith("data:image/jpeg;base64,"))).hasSize(4);
            assertThat(content.toString()).contains("frames sampled evenly");
            assertThat(body.toString()).contains("video of oai_clips").doesNotContain("photo of");
        }
    }
}
