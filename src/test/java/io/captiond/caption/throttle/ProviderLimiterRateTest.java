package io.captiond.caption.throttle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.captiond.support.ProviderHarness.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.captiond.caption.RetryableCaptionException;
import io.captiond.caption.provider.GeminiCaptioner;
import io.captiond.support.ProviderHarness;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The provider limiter against a real server, judged by the server's own request journal: never
 * more than rpm arrivals in any window, never more than concurrency in flight, retries that wait
 * the time a 429 advertised — for every worker, not just the one that got it. Windows are a
 * second long here (captiond.rate.window) so the test runs in seconds.
 */
class ProviderLimiterRateTest {

    static final String PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    static final String OK = """
            {"candidates":[{"content":{"parts":[{"text":"A caption."}]},"finishReason":"STOP"}]}""";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()
            .containerThreads(40)).build();

    ProviderHarness harness;

    GeminiCaptioner captioner(String rpm, String concurrency) {
        harness = new ProviderHarness(new HashMap<>(Map.of("captiond.gemini.base-url", server.baseUrl(),
                "captiond.gemini.api-key", "k", "captiond.rate.rpm", rpm, "captiond.rate.concurrency", concurrency,
                "captiond.rate.window", "1s", "captiond.rate.max-retry-after", "10s")));
        return harness.gemini();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void neverMoreThanRpmRequestsInAnyWindowEvenWithManyWorkers() throws Exception {
        GeminiCaptioner captioner = captioner("8", "16");
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(OK).withFixedDelay(30)));
        describe(captioner); // the JVM's first request loads the HTTP client's classes: its arrival lags its slot
        server.resetRequests();

        long t0 = System.currentTimeMillis();
        runConcurrently(16, 24, () -> describe(captioner));
        long took = System.currentTimeMillis() - t0;

        List<Long> arrivals = arrivals();
        assertThat(arrivals).hasSize(24);
        for (int i = 0; i + 8 < arrivals.size(); i++) {
            assertThat(arrivals.get(i + 8) - arrivals.get(i)).as("arrivals %d and %d", i, i + 8).isGreaterThanOrEqualTo(1000);
        }
        // paced, not merely capped: 24 requests at 8 per second take about 3 s; bursts of 8 per window
        // would be done in about 2 s (the upper bound only leaves a loaded machine room)
        assertThat(took).isBetween(2800L, 6000L);
    }

    @Test
    void neverMoreThanConcurrencyInFlight() throws Exception {
        GeminiCaptioner captioner = captioner("6000", "2");
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(OK).withFixedDelay(250)));

        runConcurrently(8, 6, () -> describe(captioner));

        List<Long> arrivals = arrivals();
        assertThat(arrivals).hasSize(6);
        for (int i = 0; i + 2 < arrivals.size(); i++) {
            assertThat(arrivals.get(i + 2) - arrivals.get(i)).isGreaterThanOrEqualTo(245);
        }
    }

    @Test
    void one429PausesEveryWorkerForTheAdvertisedTimeAndLowersTheRate() throws Exception {
        GeminiCaptioner captioner = captioner("600", "4");
        server.stubFor(post(urlEqualTo(PATH)).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("""
                        {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}"""))
                .willSetStateTo("open"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("429").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200).withBody(OK)));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class);
        assertThat(captioner.limiter().limit()).isEqualTo(600 * ProviderLimiter.DECREASE);
        // the next three requests are other images on other workers: none goes before the second is over
        runConcurrently(3, 3, () -> describe(captioner));

        List<Long> arrivals = arrivals();
        assertThat(arrivals).hasSize(4);
        for (int i = 1; i < 4; i++) {
            assertThat(arrivals.get(i) - arrivals.get(0)).isGreaterThanOrEqualTo(1000);
        }
        assertThat(harness.count("captiond.provider.throttled", "provider", "gemini")).isEqualTo(1);
    }

    @Test
    void anUnsetRateGrowsFromTheProviderDefaultUntilTheFirst429() throws Exception {
        GeminiCaptioner captioner = captioner("0", "4"); // no configured limit: start at Gemini's default of 8
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(OK)));

        runConcurrently(4, 12, () -> describe(captioner));

        assertThat(captioner.limiter().limit()).isGreaterThan(12); // slow start: +0.5 per rate-bound success

        ProviderLimiter limiter = captioner.limiter();
        try (ProviderLimiter.Permit permit = limiter.acquire()) {
            limiter.throttled(permit);
        }
        double afterThrottle = limiter.limit();
        runConcurrently(4, 6, () -> describe(captioner));
        assertThat(limiter.limit()).isGreaterThan(afterThrottle).isLessThan(afterThrottle + 1); // now additive
    }

    private static List<Long> arrivals() {
        return server.getAllServeEvents().stream().map(e -> e.getRequest().getLoggedDate().getTime()).sorted().toList();
    }

    private static void runConcurrently(int threads, int tasks, Runnable task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                futures.add(pool.submit(task));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
