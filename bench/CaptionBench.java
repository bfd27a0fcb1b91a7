import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.captiond.caption.ProviderPausedException;
import io.captiond.caption.RetryableCaptionException;
import io.captiond.caption.provider.GeminiCaptioner;
import io.captiond.support.http.Backoff;
import io.captiond.support.ProviderHarness;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Captioning throughput against a local Gemini-shaped endpoint with a latency and a sliding-window
 * rate limit (429 + Retry-After when exceeded, optional 503 storms), in two regimes, for captiond's
 * provider limiter and, on the same endpoint in the same run, for the seeds' sequential loop (one
 * request at a time, a fixed 2 s pause after each image, 3 retries with exponential back-off).
 * <p>
 * captiond's side is the real GeminiCaptioner (camel-http, ProviderLimiter, metrics) driven by
 * {@code concurrency} workers that retry as the caption route does (full-jitter back-off for
 * server errors, the limiter's pause for 429s, max-attempts). The routes' file handling is left
 * out: this measures the caption stage, not pickup or packaging (bench/pickup.sh, package.sh).
 * One untimed warm-up request precedes captiond's timed run (the seed loop needs none: it has no
 * limiter a cold JVM could mislead).
 * <p>
 * Efficiency = ideal / actual, ideal = n / rpm * window + latency (exactly rpm requests per window,
 * unlimited concurrency, plus one latency). {@code scale} multiplies every time (window, latency,
 * the seed loop's pauses): 1 is real time, 0.1 runs ten times faster with the same ratios.
 * Usage: java -cp <test classpath> bench/CaptionBench.java [scale] [concurrency] [faultRate] [rate_bound|latency_bound|adaptive]
 */
public class CaptionBench {

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        double faults = args.length > 2 ? Double.parseDouble(args[2]) : 0;
        String only = args.length > 3 ? args[3] : "all";
        System.out.printf(Locale.ROOT, "# scale %.2f (window %.1f s), captiond concurrency %d, 503 fault rate %.2f%n",
                scale, 60 * scale, concurrency, faults);
        if (only.equals("all") || only.equals("rate_bound")) {
            regime("rate_bound", 120, 60, 3.0, scale, concurrency, faults);
        }
        if (only.equals("all") || only.equals("latency_bound")) {
            regime("latency_bound", 100, 600, 1.0, scale, concurrency, faults);
        }
        if (only.equals("adaptive")) {
            adaptive(scale, concurrency);
        }
        System.exit(0);
    }

    static void regime(String name, int images, int rpm, double latencySeconds, double scale, int concurrency,
            double faults) throws Exception {
        Duration window = Duration.ofMillis(Math.round(60_000 * scale));
        Duration latency = Duration.ofMillis(Math.round(latencySeconds * 1000 * scale));
        double ideal = (double) images / rpm * window.toMillis() / 1000.0 + latency.toMillis() / 1000.0;

        Endpoint ours = Endpoint.start(rpm, window, latency, faults);
        double captiond = captiond(ours, images, rpm, window, concurrency, scale);
        ours.stop();

        Endpoint seeds = Endpoint.start(rpm, window, latency, faults);
        double seed = seedLoop(seeds, images, scale);
        seeds.stop();

        System.out.printf(Locale.ROOT, "# %s: %d images, %d rpm, latency %.1f s (scaled: window %.1f s, latency %.2f s)%n",
                name, images, rpm, latencySeconds, window.toMillis() / 1000.0, latency.toMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "BENCH caption_%s_ideal %.1f s%n", name, ideal);
        System.out.printf(Locale.ROOT, "BENCH caption_%s_captiond %.1f s%n", name, captiond);
        System.out.printf(Locale.ROOT, "BENCH caption_%s_efficiency %.3f ratio%n", name, ideal / captiond);
        System.out.printf(Locale.ROOT, "BENCH caption_%s_captiond_429s %d count%n", name, ours.throttled.get());
        System.out.printf(Locale.ROOT, "BENCH caption_%s_captiond_requests %d count%n", name, ours.requests.get());
        System.out.printf(Locale.ROOT, "BENCH caption_%s_seed_loop %.1f s%n", name, seed);
        System.out.printf(Locale.ROOT, "BENCH caption_%s_seed_loop_429s %d count%n", name, seeds.throttled.get());
        System.out.printf(Locale.ROOT, "BENCH caption_%s_speedup_vs_seed_loop %.1f ratio%n", name, seed / captiond);
    }

    /**
     * No configured rpm: captiond starts at Gemini's default (8) against a server allowing 60 and
     * should find it (slow start, then AIMD). Prints the limit it holds at the end and the 429s.
     */
    static void adaptive(double scale, int concurrency) throws Exception {
        Duration window = Duration.ofMillis(Math.round(60_000 * scale));
        Endpoint server = Endpoint.start(60, window, Duration.ofMillis(Math.round(1000 * scale)), 0);
        double[] limit = new double[1];
        double seconds = captiond(server, 240, 0, window, concurrency, scale, limit);
        server.stop();
        System.out.printf(Locale.ROOT, "# adaptive: 240 images, server limit 60 rpm, captiond.rate.rpm=0 (starts at 8)%n");
        System.out.printf(Locale.ROOT, "BENCH caption_adaptive_captiond %.1f s%n", seconds);
        System.out.printf(Locale.ROOT, "BENCH caption_adaptive_final_rpm %.1f rpm%n", limit[0]);
        System.out.printf(Locale.ROOT, "BENCH caption_adaptive_429s %d count%n", server.throttled.get());
    }

    static double captiond(Endpoint endpoint, int images, int rpm, Duration window, int concurrency, double scale)
            throws Exception {
        return captiond(endpoint, images, rpm, window, concurrency, scale, new double[1]);
    }

    /** captiond: the real captioner and limiter, workers retrying as the caption route does. */
    static double captiond(Endpoint endpoint, int images, int rpm, Duration window, int concurrency, double scale,
            double[] finalLimit) throws Exception {
        try (ProviderHarness harness = new ProviderHarness(Map.of("captiond.gemini.base-url", endpoint.url(),
                "captiond.gemini.api-key", "bench", "captiond.rate.rpm", String.valueOf(rpm),
                "captiond.rate.concurrency", String.valueOf(concurrency),
                "captiond.rate.window", window.toMillis() + "ms",
                "captiond.rate.backoff-base", Math.round(2000 * scale) + "ms",
                "captiond.rate.backoff-max", Math.round(60000 * scale) + "ms",
                "captiond.rate.max-attempts", "5"))) {
            GeminiCaptioner captioner = harness.gemini();
            // one untimed request first: the JVM loads the HTTP client on its first call, a one-off
            // delay (hundreds of ms) between a request's send slot and its arrival
            captioner.describe(ProviderHarness.request(null));
            endpoint.reset();
            Backoff backoff = new Backoff(harness.props.rate().backoffBase(), harness.props.rate().backoffMax());
            ExecutorService workers = Executors.newFixedThreadPool(concurrency);
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                done.add(workers.submit(() -> {
                    for (int attempt = 1; ; attempt++) {
                        try {
                            return captioner.describe(ProviderHarness.request(null));
                        } catch (RetryableCaptionException e) {
                            if (attempt >= 5) {
                                throw e;
                            }
                            Thread.sleep(e.delay() != null ? 0 : backoff.delay(attempt).toMillis());
                        } catch (ProviderPausedException e) {
                            throw e;
                        }
                    }
                }));
            }
            int failed = 0;
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (Exception e) {
                    failed++;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            finalLimit[0] = captioner.limiter().limit();
            workers.shutdownNow();
            if (failed > 0) {
                System.out.println("# captiond: " + failed + " image(s) failed after 5 attempts");
            }
            return seconds;
        }
    }

    /** The seeds' loop: one request at a time, fixed pause after each image, 3 retries with doubling waits. */
    static double seedLoop(Endpoint endpoint, int images, double scale) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        byte[] body = ("{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/jpeg\",\"data\":\""
                + Base64.getEncoder().encodeToString(ProviderHarness.preview().jpeg())
                + "\"}},{\"text\":\"Describe this image.\"}]}]}").getBytes(StandardCharsets.UTF_8);
        long pause = Math.round(2000 * scale);
        long t0 = System.nanoTime();
        for (int i = 0; i < images; i++) {
            for (int attempt = 0; attempt <= 3; attempt++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(endpoint.url()
                        + "/models/gemini-2.5-flash:generateContent")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    break;
                }
                Thread.sleep(pause * (1L << attempt));
            }
            Thread.sleep(pause);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** A Gemini-shaped server: fixed latency, a sliding-window limit (429 + Retry-After), optional 503s. */
    static final class Endpoint {
        final HttpServer server;
        final int rpm;
        final long windowNanos;
        final long latencyMillis;
        final double faults;
        final ArrayDeque<Long> accepted = new ArrayDeque<>();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger throttled = new AtomicInteger();

        private Endpoint(HttpServer server, int rpm, Duration window, Duration latency, double faults) {
            this.server = server;
            this.rpm = rpm;
            this.windowNanos = window.toNanos();
            this.latencyMillis = latency.toMillis();
            this.faults = faults;
        }

        static Endpoint start(int rpm, Duration window, Duration latency, double faults) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
            Endpoint endpoint = new Endpoint(server, rpm, window, latency, faults);
            server.createContext("/", endpoint::handle);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return endpoint;
        }

        synchronized void reset() {
            accepted.clear();
            requests.set(0);
            throttled.set(0);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void stop() {
            server.stop(0);
        }

        /** Nanoseconds until a request would fit in the window, or 0 (and it is counted) when it fits now. */
        synchronized long admit() {
            long now = System.nanoTime();
            while (!accepted.isEmpty() && now - accepted.peekFirst() >= windowNanos) {
                accepted.pollFirst();
            }
            if (accepted.size() >= rpm) {
                return accepted.peekFirst() + windowNanos - now;
            }
            accepted.addLast(now);
            return 0;
        }

        void handle(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            long wait = admit();
            try {
                if (wait > 0) {
                    throttled.incrementAndGet();
                    exchange.getResponseHeaders().add("Retry-After", String.format(Locale.ROOT, "%.3f", wait / 1e9));
                    reply(exchange, 429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\","
                            + "\"status\":\"RESOURCE_EXHAUSTED\"}}");
                    return;
                }
                Thread.sleep(latencyMillis);
                if (faults > 0 && ThreadLocalRandom.current().nextDouble() < faults) {
                    reply(exchange, 503, "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}");
                    return;
                }
                reply(exchange, 200, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
                        + "\"A caption from the bench endpoint.\"}]},\"finishReason\":\"STOP\",\"index\":0}]}");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void reply(HttpExchange exchange, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }
    }
}
