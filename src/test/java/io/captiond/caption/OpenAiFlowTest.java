package io.captiond.caption;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
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
 * The real routes against a local OpenAI-compatible server (as Ollama's /v1 answers, no key):
 * {@code auto} picks openai because only its base URL is set, and the dataset's anchor mode and
 * character preset reach the prompt.
 */
@CamelSpringBootTest
// a configuration of its own: its daemon stops after the class instead of polling on until the JVM ends
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class)
class OpenAiFlowTest {

    @RegisterExtension
    static WireMockExtension ollama = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    static Path root;
    static DropFolders folders;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.registerAuto(registry, Map.of("captiond.openai.base-url", () -> ollama.baseUrl() + "/v1",
                "captiond.openai.model", () -> "qwen2.5vl:7b"));
    }

    @Test
    void anOllamaCaptionInAnchorModeKeepsTheTriggerWhereTheModelPutIt() {
        ollama.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-7","object":"chat.completion","created":1764000000,"model":"qwen2.5vl:7b",
                         "system_fingerprint":"fp_ollama","choices":[{"index":0,"message":{"role":"assistant",
                         "content":"\\"a medium shot of annika_v2 sitting on a stone wall, looking over her shoulder\\""},
                         "finish_reason":"stop"}],"usage":{"prompt_tokens":1200,"completion_tokens":18,"total_tokens":1218}}""")));
        folders.write("oa_annika", "dataset.yaml", "trigger: annika_v2\nstyle: character\ntrigger_mode: anchor\n");
        folders.drop("oa_annika", "Portrait_5.jpg");
        folders.trigger("oa_annika");

        Map<String, byte[]> zip = folders.awaitZip("annika_v2", Duration.ofSeconds(30));

        assertThat(new String(zip.get("Portrait_5.txt"), StandardCharsets.UTF_8).strip())
                .isEqualTo("a medium shot of annika_v2 sitting on a stone wall, looking over her shoulder");
        var sent = ollama.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getBodyAsString().contains("annika_v2")).findFirst().orElseThrow();
        assertThat(sent.getBodyAsString()).contains("Do not describe the person's face").contains("by the name annika_v2");
        assertThat(sent.containsHeader("Authorization")).isFalse();
    }

    @Test
    void aContentFilterRefusalGoesToFailedAfterOneRequest() throws Exception {
        ollama.stubFor(post(urlEqualTo("/v1/chat/completions")).withRequestBody(containing("oa_filtered")).willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-8","object":"chat.completion","model":"qwen2.5vl:7b","choices":[{"index":0,
                         "message":{"role":"assistant","content":null,"refusal":"I can't help with that."},
                         "finish_reason":"content_filter"}]}""")));
        folders.drop("oa_filtered", "Portrait_5.jpg");

        Path reason = folders.failed("oa_filtered").resolve("Portrait_5.jpg.error.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));

        assertThat(Files.readString(reason)).contains("content_filter");
        ollama.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(containing("oa_filtered")));
    }
}
