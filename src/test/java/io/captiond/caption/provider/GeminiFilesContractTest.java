package io.captiond.caption.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.captiond.support.ProviderHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.captiond.caption.CaptionRequest;
import io.captiond.caption.FatalCaptionException;
import io.captiond.support.Clips;
import io.captiond.support.ProviderHarness;
import io.captiond.support.VideoRequests;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gemini's Files API resumable protocol (protocols.md §1.4) over a real socket: start with the
 * upload headers, chunks at the right offsets that add up to the clip, finalize, PROCESSING polled
 * to ACTIVE, the clip used by URI in generateContent and deleted afterwards; FAILED is final; a 429
 * on a chunk pauses only the Files API's limiter and the chunk is sent again. A small clip goes inline.
 */
class GeminiFilesContractTest {

    static final String KEY = "AIzaTestKey-not-a-real-one";
    static final String GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent";
    static final String SESSION = "/upload/v1beta/files?upload_id=session-1";

    @RegisterExtension
    static WireMockExtension gemini = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    ProviderHarness harness;
    Path clip;
    byte[] clipBytes;

    @BeforeEach
    void clip() throws Exception {
        Clips.assumeFfmpeg();
        clip = Clips.h264(dir, "walk.mp4", 2, 320, 240, false);
        clipBytes = Files.readAllBytes(clip);
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private GeminiCaptioner captioner(String maxInline) {
        Map<String, String> props = new HashMap<>(Map.of("captiond.gemini.base-url", gemini.baseUrl() + "/v1beta",
                "captiond.gemini.api-key", KEY, "captiond.gemini.max-inline-video", maxInline,
                "captiond.gemini.upload-chunk", "16KB", "captiond.gemini.file-poll-interval", "50ms",
                "captiond.rate.backoff-base", "100ms", "captiond.rate.max-retry-after", "5s", "captiond.rate.rpm", "600"));
        harness = new ProviderHarness(props);
        return harness.gemini();
    }

    private void stubUploadAndGenerate() {
        gemini.stubFor(post(urlEqualTo("/upload/v1beta/files")).willReturn(aResponse().withStatus(200)
                .withHeader("X-Goog-Upload-URL", gemini.baseUrl() + SESSION).withHeader("X-Goog-Upload-Status", "active")));
        gemini.stubFor(post(urlEqualTo(SESSION)).withHeader("X-Goog-Upload-Command", equalTo("upload"))
                .willReturn(aResponse().withStatus(200).withHeader("x-goog-upload-status", "active")));
        gemini.stubFor(post(urlEqualTo(SESSION)).withHeader("X-Goog-Upload-Command", equalTo("upload, finalize"))
                .willReturn(json(200, file("PROCESSING")).withHeader("x-goog-upload-status", "final")));
        gemini.stubFor(post(urlEqualTo(GENERATE)).willReturn(json(200, GeminiContractTest.answer(
                "a walk through a test pattern, static camera", "STOP"))));
        gemini.stubFor(delete(urlEqualTo("/v1beta/files/abc123")).willReturn(json(200, "{}")));
    }

    private String file(String state) {
        return """
                {"file":{"name":"files/abc123","uri":"%s/v1beta/files/abc123","mimeType":"video/mp4",
                 "sizeBytes":"%d","state":"%s"}}""".formatted(gemini.baseUrl(), clipBytes.length, state);
    }

    private void stubStates(String... states) {
        String scenario = "processing";
        for (int i = 0; i < states.length; i++) {
            gemini.stubFor(get(urlEqualTo("/v1beta/files/abc123")).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "poll" + i)
                    .willReturn(json(200, file(states[i]).replaceFirst("^\\s*\\{\"file\":", "").replaceFirst("}\\s*$", "")))
                    .willSetStateTo("poll" + (i + 1)));
        }
    }

    @Test
    void aLargeClipIsUploadedInChunksPolledUntilActiveUsedByUriAndDeleted() throws Exception {
        GeminiCaptioner captioner = captioner("1KB");
        stubUploadAndGenerate();
        stubStates("PROCESSING", "PROCESSING", "ACTIVE");
        CaptionRequest request = VideoRequests.request(clip, 4, harness.props);

        assertThat(captioner.describe(request)).isEqualTo("a walk through a test pattern, static camera");

        LoggedRequest start = gemini.findAll(postRequestedFor(urlEqualTo("/upload/v1beta/files"))).get(0);
        assertThat(start.getHeader("X-Goog-Upload-Protocol")).isEqualTo("resumable");
        assertThat(start.getHeader("X-Goog-Upload-Command")).isEqualTo("start");
        assertThat(start.getHeader("X-Goog-Upload-Header-Content-Length")).isEqualTo(String.valueOf(clipBytes.length));
        assertThat(start.getHeader("X-Goog-Upload-Header-Content-Type")).isEqualTo("video/mp4");
        assertThat(start.getHeader("x-goog-api-key")).isEqualTo(KEY);
        assertThat(new ObjectMapper().readTree(start.getBodyAsString()).path("file").path("display_name").asText())
                .isEqualTo("walk.mp4");

        List<LoggedRequest> chunks = gemini.findAll(postRequestedFor(urlEqualTo(SESSION)));
        assertThat(chunks).hasSizeGreaterThan(1);
        ByteArrayOutputStream uploaded = new ByteArrayOutputStream();
        for (int i = 0; i < chunks.size(); i++) {
            LoggedRequest chunk = chunks.get(i);
            assertThat(chunk.getHeader("X-Goog-Upload-Offset")).isEqualTo(String.valueOf(uploaded.size()));
            assertThat(chunk.getHeader("X-Goog-Upload-Command")).isEqualTo(i == chunks.size() - 1 ? "upload, finalize" : "upload");
            uploaded.write(chunk.getBody());
        }
        assertThat(uploaded.toByteArray()).isEqualTo(clipBytes);

        JsonNode body = new ObjectMapper().readTree(gemini.findAll(postRequestedFor(urlEqualTo(GENERATE))).get(0).getBodyAsString());
        JsonNode parts = body.path("contents").path(0).path("parts");
        assertThat(parts.path(0).path("fileData").path("fileUri").asText()).isEqualTo(gemini.baseUrl() + "/v1beta/files/abc123");
        assertThat(parts.path(0).path("fileData").path("mimeType").asText()).isEqualTo("video/mp4");
        assertThat(parts.path(1).path("text").asText()).contains("video clip");
        assertThat(body.path("systemInstruction").path("parts").path(0).path("text").asText()).contains("camera moves");
        assertThat(gemini.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlEqualTo("/v1beta/files/abc123")))).hasSize(3);
        gemini.verify(1, deleteRequestedFor(urlEqualTo("/v1beta/files/abc123")));
    }

    @Test
    void aFileThatFailsProcessingIsNotCaptionedAndIsStillDeleted() throws Exception {
        GeminiCaptioner captioner = captioner("1KB");
        stubUploadAndGenerate();
        stubStates("PROCESSING", "FAILED");
        CaptionRequest request = VideoRequests.request(clip, 4, harness.props);

        assertThatThrownBy(() -> captioner.describe(request)).isInstanceOf(FatalCaptionException.class)
                .hasMessageContaining("FAILED");
        gemini.verify(0, postRequestedFor(urlEqualTo(GENERATE)));
        gemini.verify(1, deleteRequestedFor(urlEqualTo("/v1beta/files/abc123")));
    }

    @Test
    void a429OnAChunkPausesOnlyTheFilesApiAndTheSameChunkIsSentAgain() throws Exception {
        GeminiCaptioner captioner = captioner("1KB");
        stubUploadAndGenerate();
        gemini.stubFor(post(urlEqualTo(SESSION)).withHeader("X-Goog-Upload-Offset", equalTo("0")).inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED).atPriority(1)
                .willReturn(json(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\","
                        + "\"status\":\"RESOURCE_EXHAUSTED\"}}").withHeader("Retry-After", "1"))
                .willSetStateTo("retried"));
        stubStates("ACTIVE");
        CaptionRequest request = VideoRequests.request(clip, 4, harness.props);

        assertThat(captioner.describe(request)).isNotBlank();

        List<LoggedRequest> chunks = gemini.findAll(postRequestedFor(urlEqualTo(SESSION)));
        assertThat(chunks.get(0).getHeader("X-Goog-Upload-Offset")).isEqualTo("0");
        assertThat(chunks.get(1).getHeader("X-Goog-Upload-Offset")).isEqualTo("0"); // the same chunk again
        assertThat(captioner.files().throttles()).isEqualTo(1);
        assertThat(harness.count("captiond.provider.requests", "provider", "gemini", "outcome", "throttled"))
                .as("generateContent saw no 429").isZero();
        assertThat(captioner.limiter().limit()).as("generateContent's rate is untouched").isEqualTo(600.0);
        gemini.verify(1, postRequestedFor(urlEqualTo(GENERATE)));
    }

    @Test
    void aSmallClipGoesInlineWithoutAnyUpload() throws Exception {
        GeminiCaptioner captioner = captioner("20MB");
        stubUploadAndGenerate();
        CaptionRequest request = VideoRequests.request(clip, 4, harness.props);

        assertThat(captioner.describe(request)).isNotBlank();

        gemini.verify(0, postRequestedFor(urlPathEqualTo("/upload/v1beta/files")));
        JsonNode body = new ObjectMapper().readTree(gemini.findAll(postRequestedFor(urlEqualTo(GENERATE))).get(0).getBodyAsString());
        JsonNode inline = body.path("contents").path(0).path("parts").path(0).path("inlineData");
        assertThat(inline.path("mimeType").asText()).isEqualTo("video/mp4");
        assertThat(Base64.getDecoder().decode(inline.path("data").asText())).isEqualTo(clipBytes);
    }
}
