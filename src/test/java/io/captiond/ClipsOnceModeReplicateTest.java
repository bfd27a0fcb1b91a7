package io.captiond;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
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

/**
 * {@link ClipsOnceModeTest} on Replicate: each clip, over {@code max-data-uri} here, goes up through
 * the files API, the prediction reads its {@code urls.get} in the model's video input, and the file
 * is deleted afterwards.
 */
class ClipsOnceModeReplicateTest extends ClipsOnceModeTest {

    static final String PREDICTIONS = "/v1/models/google/gemini-2.5-flash/predictions";
    static final String FILE_ID = "ZmlsZS1vbmNlLW1vZGU";

    @RegisterExtension // not reset before the test: the daemon starts, and calls, before it
    static WireMockExtension replicate = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
            .resetOnEachTest(false).build();

    @BeforeAll
    static void clipsAndServer() throws Exception {
        dropClips("rep_clips");
        replicate.stubFor(post(urlEqualTo("/v1/files")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"%s","name":"clip.mp4","content_type":"video/mp4","size":1024,"metadata":{},
                         "urls":{"get":"%s/v1/files/%s"}}""".formatted(FILE_ID, replicate.baseUrl(), FILE_ID))));
        replicate.stubFor(delete(urlEqualTo("/v1/files/" + FILE_ID)).willReturn(aResponse().withStatus(204)));
        replicate.stubFor(post(urlEqualTo(PREDICTIONS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"p1","status":"succeeded","output":["%s","%s"],"error":null,
                         "urls":{"get":"%s/v1/predictions/p1"}}""".formatted(ANSWER.substring(0, 14), ANSWER.substring(14),
                        replicate.baseUrl()))));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        onceMode(registry);
        registry.add("captiond.provider", () -> "replicate");
        registry.add("captiond.replicate.base-url", () -> replicate.baseUrl() + "/v1");
        registry.add("captiond.replicate.api-token", () -> "test-token-not-real");
        registry.add("captiond.replicate.max-data-uri", () -> "1KB");
    }

    @Test
    void aFolderOfPhoneClipsBecomesAVideoDatasetZipInOnceMode() throws Exception {
        assertOnceModeMadeTheVideoZip("rep_clips");

        var requests = replicate.findAll(postRequestedFor(urlEqualTo(PREDICTIONS)));
        assertThat(requests).hasSize(stems.size());
        for (var request : requests) {
            JsonNode input = Json.MAPPER.readTree(request.getBodyAsString()).path("input");
            assertThat(input.path("videos").path(0).asText()).isEqualTo(replicate.baseUrl() + "/v1/files/" + FILE_ID);
            assertThat(input.toString()).contains("video of rep_clips").doesNotContain("photo of");
        }
        replicate.verify(stems.size(), postRequestedFor(urlEqualTo("/v1/files")));
        replicate.verify(stems.size(), deleteRequestedFor(urlEqualTo("/v1/files/" + FILE_ID)));
    }
}
