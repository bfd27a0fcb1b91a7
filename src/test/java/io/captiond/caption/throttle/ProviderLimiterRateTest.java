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
import io.captiond.support.ArrivalCountingServer;
import io.captiond.support.ProviderHarness;
import java.time.Duration;
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
 * The provider limiter against real servers, judged by the server's own count of arrivals: never
 * more than rpm arrivals in any window (cold and warm, with 5xx and timeouts retried), never more
 * than an explicit concurrency in flight, retries that wait the time a 429 advertised — for every
 * worker, not just the one that got it. Windows are a second long here (captiond.rate.window) so
 * the test runs in seconds.
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
        return captioner(server.baseUrl(), rpm, concurrency);
    }

    GeminiCaptioner captioner(String url, String rpm, String concurrency) {
        return captioner(url, rpm, concurrency, "1s");
    }

    GeminiCaptioner captioner(String url, String rpm, String concurrency, String window) {
        harness = new ProviderHarness(new HashMap<>(Map.of("captiond.gemini.base-url", url,
                "captiond.gemini.api-key", "k", "captiond.rate.rpm", rpm, "captiond.rate.concurrency", concurrency,
                "captiond.rate.window", window, "captiond.rate.max-retry-after", "10s")));
        return harness.gemini();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void coldAndWarmBurstsNeverPutMoreThanTheLimitIntoAnyWindowAsTheServerCountsArrivals() throws Exception {
        try (ArrivalCountingServer counting = ArrivalCountingServer.cloud(8, Duration.ofSeconds(2), Duration.ofMillis(30))) {
            counting.warmUp(); // the server is a warm, separate service; captiond's side starts cold:
            // a fresh HTTP client and no warm-up, so its first requests reach the server late
            GeminiCaptioner captioner = captioner(counting.url(), "8", "0", "2s");
            runConcurrently(16, 24, () -> describe(captioner));
            assertThat(counting.succeeded.get()).isEqualTo(24);
            assertThat(counting.overTheWindow()).isZero();
            assertThat(counting.maxInAnyWindow()).isEqualTo(8); // bursts fill the window, never overfill it

            counting.reset(); // warm now
            runConcurrently(16, 24, () -> describe(captioner));
            assertThat(counting.overTheWindow()).isZero();
            assertThat(counting.maxInAnyWindow()).isEqualTo(8);
        }
    }

    @Test
    void retriesAfter5xxAndTimeoutsStayInsideTheWindowToo() throws Exception {
        try (ArrivalCountingServer counting = ArrivalCountingServer.cloud(6, Duration.ofSeconds(1), Duration.ofMillis(20))
                .faults(0.3, Duration.ofMillis(1500))) {
            harness = new ProviderHarness(new HashMap<>(Map.of("captiond.gemini.base-url", counting.url(),
                    "captiond.gemini.api-key", "k", "captiond.rate.rpm", "6", "captiond.rate.window", "1s",
                    "captiond.gemini.timeout", "400ms", "captiond.rate.max-retry-after", "10s")));
            GeminiCaptioner captioner = harness.gemini();
            runConcurrently(12, 18, () -> describeRetrying(captioner));
            assertThat(counting.succeeded.get()).isEqualTo(18);
            assertThat(counting.injected.get()).as("faults were injected and retried").isPositive();
            assertThat(counting.overTheWindow()).isZero();
            assertThat(counting.maxInAnyWindow()).isLessThanOrEqualTo(6);
        }
    }

    @Test
    void anExplicitConcurrencyIsNeverExceededAtTheServer() throws Exception {
        try (ArrivalCountingServer counting = ArrivalCountingServer.cloud(0, Duration.ofSeconds(1), Duration.ofMillis(150))) {
            GeminiCaptioner captioner = captioner(counting.url(), "6000", "2");
            runConcurrently(8, 8, () -> describe(captioner));
            assertThat(counting.succeeded.get()).isEqualTo(8);
            assertThat(counting.maxInFlight()).isEqualTo(2);
        }
    }

    @Test
    void one429PausesEveryWorkerForTheAdvertisedTimeWithoutCuttingTheRate() throws Exception {
        GeminiCaptioner captioner = captioner("600", "4");
        server.stubFor(post(urlEqualTo(PATH)).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("""
                        {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}"""))
                .willSetStateTo("open"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("429").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200).withBody(OK)));

        assertThatThrownBy(() -> describe(captioner)).isInstanceOf(RetryableCaptionException.class);
        assertThat(captioner.limiter().limit()).as("the first 429 in a while only paces").isEqualTo(600);
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
        // no configured limit: start at Gemini's default of 8; paced, so every request is rate-bound
        harness = new ProviderHarness(new HashMap<>(Map.of("captiond.gemini.base-url", server.baseUrl(),
                "captiond.gemini.api-key", "k", "captiond.rate.rpm", "0", "captiond.rate.concurrency", "4",
                "captiond.rate.window", "1s", "captiond.rate.mode", "paced")));
        GeminiCaptioner captioner = harness.gemini();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(OK)));

        runConcurrently(4, 12, () -> describe(captioner));

        assertThat(captioner.limiter().limit()).isGreaterThan(12); // slow start: +0.5 per rate-bound success

        ProviderLimiter limiter = captioner.limiter();
        for (int i = 0; i < 2; i++) { // the first 429 in a while only paces; the second cuts the rate
            try (ProviderLimiter.Permit permit = limiter.acquire()) {
                limiter.throttled(permit);
            }
        }
        double afterThrottle = limiter.limit();
        runConcurrently(4, 6, () -> describe(captioner));
        assertThat(limiter.limit()).isGreaterThan(afterThrottle).isLessThan(afterThrottle + 1); // now additive
    }

    /** As the caption route does: another attempt after a retryable failure, a short back-off after a 5xx. */
    private static void describeRetrying(GeminiCaptioner captioner) {
        for (int attempt = 1; ; attempt++) {
            try {
                captioner.describe(ProviderHarness.request(null));
                return;
            } catch (RetryableCaptionException e) {
                if (attempt >= 10) {
                    throw e;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
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
