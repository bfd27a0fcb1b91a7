package io.captiond.caption.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.captiond.support.ProviderHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.captiond.support.Clips;
import io.captiond.support.ProviderHarness;
import io.captiond.support.VideoRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicate's video input over a real socket: a clip that fits {@code max-data-uri} goes as a
 * {@code data:video/mp4} URI in the model's video list; a larger one as its sampled frames in the
 * image list, introduced as frames of one clip.
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

    private JsonNode captionAndReadInput(String maxDataUri) throws Exception {
        Clips.assumeFfmpeg();
        harness = new ProviderHarness(Map.of("captiond.replicate.base-url", server.baseUrl() + "/v1",
                "captiond.replicate.api-token", "r8_test_not_a_real_token", "captiond.replicate.max-data-uri", maxDataUri,
                "captiond.rate.rpm", "600"));
        server.stubFor(post(urlEqualTo(CREATE)).willReturn(json(201, """
                {"id":"p1","status":"succeeded","output":["a test pattern ","drifting"],"error":null,
                 "urls":{"get":"%s/v1/predictions/p1"}}""".formatted(server.baseUrl()))));
        Path clip = Clips.h264(dir, "walk.mp4", 2, 320, 240, false);

        assertThat(harness.replicate(dataset -> dir.resolve("state").resolve(dataset)).describe(VideoRequests.request(clip, 4, harness.props)))
                .isEqualTo("a test pattern drifting");
        return new ObjectMapper().readTree(server.findAll(postRequestedFor(urlEqualTo(CREATE))).get(0).getBodyAsString())
                .path("input");
    }

    @Test
    void aClipThatFitsGoesAsAVideoDataUri() throws Exception {
        JsonNode input = captionAndReadInput("7MB");

        String uri = input.path("videos").path(0).asText();
        assertThat(uri).startsWith("data:video/mp4;base64,");
        assertThat(Base64.getDecoder().decode(uri.substring("data:video/mp4;base64,".length())))
                .isEqualTo(Files.readAllBytes(dir.resolve("walk.mp4")));
        assertThat(input.has("images")).isFalse();
        assertThat(input.path("prompt").asText()).isEqualTo("Write the caption for this video clip.");
        assertThat(input.path("system_instruction").asText()).contains("video LoRA");
    }

    @Test
    void aLargerClipGoesAsItsSampledFrames() throws Exception {
        JsonNode input = captionAndReadInput("10KB");

        assertThat(input.has("videos")).isFalse();
        assertThat(input.path("images").size()).isEqualTo(4);
        input.path("images").forEach(image -> assertThat(image.asText()).startsWith("data:image/jpeg;base64,"));
        assertThat(input.path("prompt").asText()).startsWith("The 4 images are frames sampled evenly");
    }
}
