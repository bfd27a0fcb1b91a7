package io.captiond.caption;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.captiond.CaptiondApplication;
import io.captiond.support.DropFolders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real routes against a local server speaking Replicate's predictions API: {@code auto} picks
 * replicate from the token; the prediction is still processing when Prefer: wait ends, so it is
 * polled, and its output array becomes one caption with prefix, suffix and a find/replace rule.
 */
@CamelSpringBootTest
// a configuration of its own: its daemon stops after the class instead of polling on until the JVM ends
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class)
class ReplicateFlowTest {

    static final String TOKEN = "r8_flow_test_secret";

    @RegisterExtension
    static WireMockExtension replicate = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    static Path root;
    static DropFolders folders;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.registerAuto(registry, Map.of("captiond.replicate.api-token", () -> TOKEN,
                "captiond.replicate.base-url", () -> replicate.baseUrl() + "/v1",
                "captiond.replicate.poll-interval", () -> "100ms", "captiond.caption.suffix", () -> ", film grain",
                "captiond.caption.replace[0].find", () -> "automobile", "captiond.caption.replace[0].with", () -> "car"));
    }

    static String prediction(String status, String output) {
        return """
                {"id":"rep123","model":"google/gemini-2.5-flash","version":"hidden","status":"%s","output":%s,"error":null,
                 "urls":{"get":"%s/v1/predictions/rep123","cancel":"%s/v1/predictions/rep123/cancel"}}"""
                .formatted(status, output, replicate.baseUrl(), replicate.baseUrl());
    }

    @Test
    void aPolledPredictionBecomesTheCaptionInTheZip() throws Exception {
        replicate.stubFor(post(urlEqualTo("/v1/models/google/gemini-2.5-flash/predictions")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json").withBody(prediction("processing", "null"))));
        replicate.stubFor(get(urlEqualTo("/v1/predictions/rep123")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(prediction("succeeded", "[\"An old \",\"automobile parked \",\"on a gravel road\"]"))));
        folders.drop("rep_cars", "samsung_gt-i9000_orientation6.jpg");
        folders.trigger("rep_cars");

        Map<String, byte[]> zip = folders.awaitZip("rep_cars", Duration.ofSeconds(30));

        assertThat(new String(zip.get("samsung_gt-i9000_orientation6.txt"), StandardCharsets.UTF_8).strip())
                .isEqualTo("photo of rep_cars, an old car parked on a gravel road, film grain");
        replicate.verify(1, postRequestedFor(urlEqualTo("/v1/models/google/gemini-2.5-flash/predictions"))
                .withRequestBody(containing("rep_cars")));
        assertThat(Files.readString(folders.manifest("rep_cars"))).contains("replicate/google/gemini-2.5-flash")
                .doesNotContain(TOKEN);
    }

    @Test
    void aPredictionFlaggedAsSensitiveGoesToFailedWithReplicatesReasonAndIsCreatedOnce() throws Exception {
        replicate.stubFor(post(urlEqualTo("/v1/models/google/gemini-2.5-flash/predictions")).withRequestBody(containing("rep_flagged"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"id":"rep_e005","model":"google/gemini-2.5-flash","version":"hidden","status":"failed","output":null,
                         "error":"The input or output was flagged as sensitive. Please try again with different inputs. (E005)",
                         "urls":{"get":"%s/v1/predictions/rep_e005"}}""".formatted(replicate.baseUrl()))));
        folders.drop("rep_flagged", "flower.webp");

        Path reason = folders.failed("rep_flagged").resolve("flower.webp.error.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));

        assertThat(Files.readString(reason)).contains("flagged as sensitive").contains("E005");
        replicate.verify(1, postRequestedFor(urlEqualTo("/v1/models/google/gemini-2.5-flash/predictions"))
                .withRequestBody(containing("rep_flagged")));
    }
}
