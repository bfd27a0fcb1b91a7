package io.captiond.caption.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.captiond.support.ProviderHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.captiond.support.Clips;
import io.captiond.support.ProviderHarness;
import io.captiond.support.VideoRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicate's video input over a real socket: a clip that fits {@code max-data-uri} goes as a
 * {@code data:video/mp4} URI in the model's video list; a larger one up through the files API
 * ({@code POST /v1/files} multipart, its {@code urls.get} in the video list, deleted once the
 * prediction is over; a 429 on the upload waited out as advertised); one too large for the files
 * API (over {@code max-upload}, or refused with a 413) as its sampled frames in the image list,
 * introduced as frames of one clip.
 */
class ReplicateVideoContractTest {

    static final String CREATE = "/v1/models/google/gemini-2.5-flash/predictions";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    ProviderHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    static final String FILE_ID = "ZmlsZS10ZXN0LW5vdC1yZWFs";

    private ReplicateCaptioner captioner(String maxDataUri, String maxUpload) {
        Clips.assumeFfmpeg();
        harness = new ProviderHarness(Map.of("captiond.replicate.base-url", server.baseUrl() + "/v1",
                "captiond.replicate.api-token", "test-token-not-real", "captiond.replicate.max-data-uri", maxDataUri,
                "captiond.replicate.max-upload", maxUpload, "captiond.rate.rpm", "600",
                "captiond.rate.backoff-base", "10ms", "captiond.replicate.poll-interval", "10ms"));
        return harness.replicate(dataset -> dir.resolve("state").resolve(dataset));
    }

    private JsonNode captionAndReadInput(String maxDataUri, String maxUpload) throws Exception {
        ReplicateCaptioner captioner = captioner(maxDataUri, maxUpload);
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(201, """
                {"id":"p1","status":"succeeded","output":["a test pattern ","drifting"],"error":null,
                 "urls":{"get":"%s/v1/predictions/p1"}}""".formatted(server.baseUrl()))));
        Path clip = Clips.h264(dir, "walk.mp4", 2, 320, 240, false);

        assertThat(captioner.describe(VideoRequests.request(clip, 4, harness.props))).isEqualTo("a test pattern drifting");
        return createInput(0);
    }

    private JsonNode createInput(int index) throws Exception {
        return new ObjectMapper().readTree(server.findAll(postRequestedFor(urlEqualTo(CREATE))).get(index).getBodyAsString())
                .path("input");
    }

    private String fileUrl() {
        return server.baseUrl() + "/v1/files/" + FILE_ID;
    }

    /** {@code POST /v1/files} answered 201 with the file object (shape of Replicate's schema and cassettes). */
    private void filesApiTakesUploads() {
        server.stubFor(post(urlEqualTo("/v1/files")).willReturn(json(201, """
                {"id":"%s","name":"walk.mp4","content_type":"video/mp4","size":1024,"etag":"0f4f",
                 "checksums":{"sha256":"9e1c","md5":"0f4f"},"metadata":{},"created_at":"2026-11-28T10:00:00.000Z",
                 "expires_at":"2026-11-29T10:00:00.000Z","urls":{"get":"%s"}}""".formatted(FILE_ID, fileUrl()))));
        server.stubFor(delete(urlEqualTo("/v1/files/" + FILE_ID)).willReturn(aResponse().withStatus(204)));
    }

    /** The prediction is created "starting", then polled: processing, then succeeded. */
    private void predictionRunsThenSucceeds() {
        String get = server.baseUrl() + "/v1/predictions/p2";
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(201, """
                {"id":"p2","status":"starting","output":null,"error":null,"urls":{"get":"%s","cancel":"%s/cancel"}}"""
                .formatted(get, get))));
        server.stubFor(get(urlEqualTo("/v1/predictions/p2")).inScenario("poll").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("done").willReturn(json(200, """
                        {"id":"p2","status":"processing","output":null,"error":null,"urls":{"get":"%s"}}""".formatted(get))));
        server.stubFor(get(urlEqualTo("/v1/predictions/p2")).inScenario("poll").whenScenarioStateIs("done")
                .willReturn(json(200, """
                        {"id":"p2","status":"succeeded","output":["a person walks ","past the camera"],"error":null,
                         "urls":{"get":"%s"}}""".formatted(get))));
    }

    @Test
    void aClipTooLargeForADataUriGoesUpThroughTheFilesApiAndIsDeletedOnceThePredictionIsOver() throws Exception {
        ReplicateCaptioner captioner = captioner("10KB", "100MB");
        filesApiTakesUploads();
        predictionRunsThenSucceeds();
        Path clip = Clips.h264(dir, "walk.mp4", 2, 320, 240, false);

        assertThat(captioner.describe(VideoRequests.request(clip, 4, harness.props))).isEqualTo("a person walks past the camera");

        LoggedRequest upload = server.findAll(postRequestedFor(urlEqualTo("/v1/files"))).get(0);
        assertThat(upload.getHeader("Authorization")).isEqualTo("Bearer test-token-not-real");
        assertThat(upload.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
        Request.Part content = upload.getPart("content");
        assertThat(content.getHeader("Content-Disposition").firstValue()).contains("filename=\"walk.mp4\"");
        assertThat(content.getHeader("Content-Type").firstValue()).isEqualTo("video/mp4");
        assertThat(content.getBody().asBytes()).isEqualTo(Files.readAllBytes(clip));

        JsonNode input = createInput(0);
        assertThat(input.path("videos").size()).isEqualTo(1);
        assertThat(input.path("videos").path(0).asText()).isEqualTo(fileUrl());
        assertThat(input.has("images")).isFalse();
        assertThat(input.path("prompt").asText()).isEqualTo("Write the caption for this video clip.");

        server.verify(1, deleteRequestedFor(urlEqualTo("/v1/files/" + FILE_ID)));
        List<String> order = server.getAllServeEvents().stream().map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl())
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        java.util.Collections.reverse(order); // WireMock lists the newest first
        assertThat(order).containsSubsequence("POST /v1/files", "POST " + CREATE, "GET /v1/predictions/p2",
                "GET /v1/predictions/p2", "DELETE /v1/files/" + FILE_ID);
        assertThat(order.get(order.size() - 1)).as("deleted after the last poll").isEqualTo("DELETE /v1/files/" + FILE_ID);
    }

    @Test
    void a429OnTheUploadIsWaitedOutAsAdvertisedOnTheFilesLimiterAlone() throws Exception {
        ReplicateCaptioner captioner = captioner("10KB", "100MB");
        filesApiTakesUploads();
        server.stubFor(post(urlEqualTo("/v1/files")).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED).atPriority(1)
                .willSetStateTo("throttled once").willReturn(json(429,
                        "{\"detail\":\"Request was throttled. Your rate limit resets in ~1s.\",\"status\":429}")
                        .withHeader("Retry-After", "1")));
        predictionRunsThenSucceeds();
        Path clip = Clips.h264(dir, "walk.mp4", 2, 320, 240, false);

        assertThat(captioner.describe(VideoRequests.request(clip, 4, harness.props))).isEqualTo("a person walks past the camera");

        List<LoggedRequest> uploads = server.findAll(postRequestedFor(urlEqualTo("/v1/files")));
        assertThat(uploads).hasSize(2);
        assertThat(uploads.get(1).getPart("content").getBody().asBytes()).isEqualTo(Files.readAllBytes(clip));
        assertThat(captioner.files().throttles()).isEqualTo(1);
        assertThat(captioner.files().lastThrottleWait()).as("the advertised second, not the 10 ms back-off")
                .isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(harness.count("captiond.provider.requests", "provider", "replicate", "outcome", "throttled"))
                .as("prediction creates saw no 429").isZero();
        assertThat(captioner.limiter().limit()).as("the creates' rate is untouched").isEqualTo(600.0);
        assertThat(createInput(0).path("videos").path(0).asText()).isEqualTo(fileUrl());
        server.verify(1, deleteRequestedFor(urlEqualTo("/v1/files/" + FILE_ID)));
    }

    @Test
    void aClipTheFilesApiRefusesAsTooLargeIsCaptionedFromItsFrames() throws Exception {
        server.stubFor(post(urlEqualTo("/v1/files")).willReturn(json(413,
                "{\"detail\":\"Files must be less than 100MB in size\",\"status\":413}")));
        JsonNode input = captionAndReadInput("10KB", "100MB");

        assertThat(input.has("videos")).isFalse();
        assertThat(input.path("images").size()).isEqualTo(4);
        server.verify(0, deleteRequestedFor(urlPathMatching("/v1/files/.*")));
    }

    @Test
    void aClipThatFitsGoesAsAVideoDataUri() throws Exception {
        JsonNode input = captionAndReadInput("7MB", "100MB");

        String uri = input.path("videos").path(0).asText();
        assertThat(uri).startsWith("data:video/mp4;base64,");
        assertThat(Base64.getDecoder().decode(uri.substring("data:video/mp4;base64,".length())))
                .isEqualTo(Files.readAllBytes(dir.resolve("walk.mp4")));
        assertThat(input.has("images")).isFalse();
        assertThat(input.path("prompt").asText()).isEqualTo("Write the caption for this video clip.");
        assertThat(input.path("system_instruction").asText()).contains("video LoRA");
        server.verify(0, postRequestedFor(urlEqualTo("/v1/files")));
    }

    @Test
    void aClipOverMaxUploadGoesAsItsSampledFramesWithoutAnUpload() throws Exception {
        JsonNode input = captionAndReadInput("10KB", "20KB");

        server.verify(0, postRequestedFor(urlEqualTo("/v1/files")));
        assertThat(input.has("videos")).isFalse();
        assertThat(input.path("images").size()).isEqualTo(4);
        input.path("images").forEach(image -> assertThat(image.asText()).startsWith("data:image/jpeg;base64,"));
        assertThat(input.path("prompt").asText()).startsWith("The 4 images are frames sampled evenly");
    }
}
