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
import io.captiond.caption.CaptionRequest;
import io.captiond.support.Clips;
import io.captiond.support.ProviderHarness;
import io.captiond.support.VideoRequests;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI-compatible servers mostly take no video: a clip goes as frames sampled evenly by ffmpeg,
 * several images in one user message whose text says they are frames of one clip. The clip here
 * fades in from black over its length, so evenly spaced frames must get brighter step by step.
 */
class OpenAiVideoContractTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    ProviderHarness harness;

    @BeforeEach
    void setUp() {
        Clips.assumeFfmpeg();
        harness = new ProviderHarness(Map.of("captiond.openai.base-url", server.baseUrl() + "/v1",
                "captiond.openai.model", "qwen2.5vl:7b", "captiond.rate.rpm", "600"));
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void aClipIsSentAsEvenlySampledFramesOfOneClipInOneMessage() throws Exception {
        Path clip = dir.resolve("fade.mp4");
        Clips.ffmpeg("-f", "lavfi", "-i", "color=c=white:size=1280x720:rate=30,fade=in:0:120", "-t", "4",
                "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mp4", clip.toString());
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(json(200,
                "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"a white screen fading in\"},"
                        + "\"finish_reason\":\"stop\"}]}")));
        CaptionRequest request = VideoRequests.request(clip, 4, harness.props);

        assertThat(harness.openai().describe(request)).isEqualTo("a white screen fading in");

        JsonNode body = new ObjectMapper().readTree(server.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")))
                .get(0).getBodyAsString());
        JsonNode messages = body.path("messages");
        assertThat(messages.size()).isEqualTo(2);
        JsonNode content = messages.path(1).path("content");
        assertThat(content.path(0).path("type").asText()).isEqualTo("text");
        assertThat(content.path(0).path("text").asText()).contains("The 4 images are frames sampled evenly, in order, "
                + "from one 4.0-second video clip").contains("Write the caption for this video clip.");
        assertThat(messages.path(0).path("content").asText()).contains("video LoRA").contains("camera moves");

        List<Double> brightness = new ArrayList<>();
        for (int i = 1; i < content.size(); i++) {
            String url = content.path(i).path("image_url").path("url").asText();
            assertThat(url).startsWith("data:image/jpeg;base64,");
            BufferedImage frame = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(23))));
            assertThat(Math.max(frame.getWidth(), frame.getHeight())).isEqualTo(768);
            brightness.add((double) (frame.getRGB(frame.getWidth() / 2, frame.getHeight() / 2) & 0xFF));
        }
        assertThat(brightness).hasSize(4);
        for (int i = 1; i < brightness.size(); i++) {
            assertThat(brightness.get(i)).as("frame %d is later in the fade than frame %d", i, i - 1)
                    .isGreaterThan(brightness.get(i - 1) + 30);
        }
    }
}
