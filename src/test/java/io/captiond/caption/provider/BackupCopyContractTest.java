package io.captiond.caption.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.captiond.caption.provider.GeminiContractTest.KEY;
import static io.captiond.caption.provider.GeminiContractTest.PATH;
import static io.captiond.caption.provider.GeminiContractTest.answer;
import static io.captiond.support.ProviderHarness.describe;
import static io.captiond.support.ProviderHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.captiond.support.ProviderHarness;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request that hangs at the provider while the budget is idle gets a second copy
 * (captiond.rate.backups): the caption is whichever good answer comes first, where it used to wait
 * for the whole client timeout. Over a real socket to a Gemini-shaped server.
 */
class BackupCopyContractTest {

    @RegisterExtension
    static WireMockExtension gemini = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** The JVM's first request loads the HTTP client; done here so that no answer below is slowed by it. */
    @BeforeAll
    static void warmUp() {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, answer("warm", "STOP"))));
        try (ProviderHarness warm = harness("true")) {
            describe(warm.gemini());
        }
        gemini.resetAll();
    }

    static ProviderHarness harness(String backups) {
        Map<String, String> props = new HashMap<>(Map.of("captiond.gemini.base-url", gemini.baseUrl(),
                "captiond.gemini.api-key", KEY, "captiond.gemini.timeout", "60s", "captiond.rate.rpm", "600",
                "captiond.rate.backups", backups));
        return new ProviderHarness(props);
    }

    /** Answers at once, then hangs for {@code hangMillis} once, then answers at once again. */
    static void firstAnswersThenOneHangs(int hangMillis) {
        gemini.resetAll();
        gemini.stubFor(post(urlEqualTo(PATH)).inScenario("hang").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, answer("A quick first answer.", "STOP"))).willSetStateTo("hangs"));
        gemini.stubFor(post(urlEqualTo(PATH)).inScenario("hang").whenScenarioStateIs("hangs")
                .willReturn(json(200, answer("The hung request's answer.", "STOP")).withFixedDelay(hangMillis))
                .willSetStateTo("answers"));
        gemini.stubFor(post(urlEqualTo(PATH)).inScenario("hang").whenScenarioStateIs("answers")
                .willReturn(json(200, answer("The backup's answer.", "STOP"))));
    }

    @Test
    void aHangingRequestGetsABackupCopyAndTheFirstGoodAnswerIsTheCaption() throws Exception {
        firstAnswersThenOneHangs(20_000);
        try (ProviderHarness harness = harness("true")) {
            GeminiCaptioner captioner = harness.gemini();

            assertThat(describe(captioner)).isEqualTo("A quick first answer."); // the latency to compare with
            assertThat(describe(captioner)).isEqualTo("The backup's answer.");

            assertThat(harness.count("captiond.provider.requests", "provider", "gemini", "outcome", "ok")).isEqualTo(2);
        }
    }

    @Test
    void withBackupsOffTheHangingRequestIsAwaited() throws Exception {
        firstAnswersThenOneHangs(1_500);
        try (ProviderHarness harness = harness("false")) {
            GeminiCaptioner captioner = harness.gemini();

            assertThat(describe(captioner)).isEqualTo("A quick first answer.");
            assertThat(describe(captioner)).isEqualTo("The hung request's answer.");

            assertThat(gemini.getAllServeEvents()).hasSize(2);
        }
    }
}
