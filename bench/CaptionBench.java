import io.captiond.caption.ProviderPausedException;
import io.captiond.caption.RetryableCaptionException;
import io.captiond.caption.provider.GeminiCaptioner;
import io.captiond.support.ArrivalCountingServer;
import io.captiond.support.http.Backoff;
import io.captiond.support.ProviderHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Captioning throughput against a local Gemini-shaped server that counts arrivals per sliding
 * window (429 + Retry-After beyond the limit), side by side in one run: captiond's real
 * GeminiCaptioner (camel-http, ProviderLimiter, metrics) with <b>no concurrency set</b> and the
 * seeds' sequential loop (one request at a time, a fixed 2 s pause after each image, 3 retries).
 * captiond's side runs as the caption route does: {@code max-concurrency} workers, the limiter
 * gating them, retries after 5xx/timeouts with full-jitter back-off. No warm-up: the first regime
 * runs on a cold JVM and every regime on a fresh HTTP client.
 * <p>
 * Ideal, where the window binds: the sliding-window schedule, R at once and R more a window later,
 * plus one latency ({@code (ceil(N/R) - 1) × window + latency}); where latency binds (paced): N/R
 * × window + latency; local server: the fastest fixed concurrency of a sweep in the same run.
 * With faults, N counts every accepted attempt (the retries). {@code scale} multiplies every time
 * (window, latency, pauses, timeouts); 1 is real time.
 * Usage: java -cp <test classpath> bench/CaptionBench.java [scale] [faultRate] [regime,regime...]
 */
public class CaptionBench {

    static double scale;
    static List<String> only = List.of();

    public static void main(String[] args) throws Exception {
        scale = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        double faults = args.length > 1 ? Double.parseDouble(args[1]) : 0.1;
        only = args.length > 2 ? List.of(args[2].split(",")) : List.of();
        System.out.printf(Locale.ROOT, "# scale %.2f (window %.1f s); captiond: captiond.rate.concurrency unset (adaptive), "
                + "mode auto (Gemini: burst) unless named%n", scale, 60 * scale);
        windowBound("small_rate_bound", 20, 10, 1.0, 0, "auto");
        windowBound("rate_bound", 120, 60, 3.0, 0, "auto");
        windowBound("small_rate_bound_faults", 20, 10, 1.0, faults, "auto");
        windowBound("rate_bound_faults", 120, 60, 3.0, faults, "auto");
        latencyBound("latency_bound_paced", 100, 600, 1.0, "paced");
        latencyBound("latency_bound_burst", 100, 600, 1.0, "auto");
        localServer("local_server", 40, 1.0, 2, 0.5);
        seeds("small_rate_bound", 20, 10, 1.0);
        seeds("rate_bound", 120, 60, 3.0);
        seeds("latency_bound", 100, 600, 1.0);
        System.exit(0);
    }

    static Duration scaled(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000 * scale));
    }

    /** Whether the run names this regime (all regimes when none is named). */
    static boolean chosen(String name) {
        return only.isEmpty() || only.contains(name);
    }

    static void windowBound(String name, int images, int rpm, double latency, double faults, String mode) throws Exception {
        if (!chosen(name)) {
            return;
        }
        try (ArrivalCountingServer server = ArrivalCountingServer.cloud(rpm, scaled(60), scaled(latency))
                .faults(faults, scaled(latency * 4))) {
            server.warmUp();
            Run run = captiond(server, images, rpm, 0, mode, latency);
            int accepted = server.requests.get() - server.throttled.get();
            double ideal = (Math.ceil((double) accepted / rpm) - 1) * 60 * scale + latency * scale;
            report(name, String.format(Locale.ROOT, "%d images, %d rpm, %.1f s latency, %.0f %% faults", images, rpm,
                    latency, faults * 100), ideal, run, server);
        }
    }

    static void latencyBound(String name, int images, int rpm, double latency, String mode) throws Exception {
        if (!chosen(name)) {
            return;
        }
        try (ArrivalCountingServer server = ArrivalCountingServer.cloud(rpm, scaled(60), scaled(latency))) {
            server.warmUp();
            Run run = captiond(server, images, rpm, 0, mode, latency);
            double ideal = (double) images / rpm * 60 * scale + latency * scale;
            report(name, String.format(Locale.ROOT, "%d images, %d rpm, %.1f s latency, mode %s (ideal: paced schedule)",
                    images, rpm, latency, mode), ideal, run, server);
        }
    }

    /**
     * No rate limit; a local GPU server with {@code slots} at once, each slower by {@code slowdown}
     * per neighbour, the rest queued. captiond as a user would set it for Ollama: an OpenAI-compatible
     * server (paced), rpm 6000, the OpenAI provider's long timeout.
     */
    static void localServer(String name, int images, double latency, int slots, double slowdown) throws Exception {
        if (!chosen(name)) {
            return;
        }
        double best = Double.MAX_VALUE;
        int bestAt = 0;
        for (int fixed : new int[] {1, 2, 3, 4, 8, 16}) {
            try (ArrivalCountingServer server = new ArrivalCountingServer(0, scaled(60), scaled(latency), slots, slowdown)) {
                server.warmUp();
                Run run = captiond(server, images, 6000, fixed, "paced", latency * 100);
                System.out.printf(Locale.ROOT, "BENCH caption_%s_fixed_%d %.2f s%n", name, fixed, run.seconds);
                if (run.seconds < best) {
                    best = run.seconds;
                    bestAt = fixed;
                }
            }
        }
        try (ArrivalCountingServer server = new ArrivalCountingServer(0, scaled(60), scaled(latency), slots, slowdown)) {
            server.warmUp();
            Run run = captiond(server, images, 6000, 0, "paced", latency * 100);
            report(name, String.format(Locale.ROOT, "%d images, no limit (rpm 6000, paced), %.1f s latency, %d slots, +%.0f %% per neighbour; "
                    + "ideal: best fixed concurrency (%d)", images, latency, slots, slowdown * 100, bestAt), best, run, server);
            System.out.printf(Locale.ROOT, "BENCH caption_%s_server_max_in_flight %d count%n", name, server.maxInFlight());
        }
    }

    static void seeds(String name, int images, int rpm, double latency) throws Exception {
        if (!chosen(name + "_seed_loop")) {
            return;
        }
        try (ArrivalCountingServer server = ArrivalCountingServer.cloud(rpm, scaled(60), scaled(latency))) {
            server.warmUp();
            double seconds = seedLoop(server, images);
            System.out.printf(Locale.ROOT, "BENCH caption_%s_seed_loop %.2f s%n", name, seconds);
            System.out.printf(Locale.ROOT, "BENCH caption_%s_seed_loop_429s %d count%n", name, server.throttled.get());
        }
    }

    static void report(String name, String what, double ideal, Run run, ArrivalCountingServer server) {
        System.out.printf(Locale.ROOT, "# %s: %s%n", name, what);
        System.out.printf(Locale.ROOT, "BENCH caption_%s_ideal %.2f s%n", name, ideal);
        System.out.printf(Locale.ROOT, "BENCH caption_%s_captiond %.2f s%n", name, run.seconds);
        System.out.printf(Locale.ROOT, "BENCH caption_%s_efficiency %.3f ratio%n", name, ideal / run.seconds);
        System.out.printf(Locale.ROOT, "BENCH caption_%s_over_window_at_server %d count%n", name, server.overTheWindow());
        System.out.printf(Locale.ROOT, "BENCH caption_%s_max_arrivals_in_a_window %d count%n", name, server.maxInAnyWindow());
        System.out.printf(Locale.ROOT, "BENCH caption_%s_requests %d count%n", name, server.requests.get());
        System.out.printf(Locale.ROOT, "BENCH caption_%s_injected_faults %d count%n", name, server.injected.get());
        System.out.printf(Locale.ROOT, "BENCH caption_%s_backup_copies %d count%n", name, run.backups());
        List<Long> at = server.arrivalTimes();
        if (!at.isEmpty()) {
            // where the time went: the first window's arrivals, then the next window's
            StringBuilder timeline = new StringBuilder();
            for (int i : new int[] {0, at.size() / 2 - 1, at.size() / 2, at.size() - 1}) {
                timeline.append(String.format(Locale.ROOT, " #%d %.2f s", i + 1, (at.get(i) - run.t0) / 1e9));
            }
            System.out.printf(Locale.ROOT, "# %s arrivals after start:%s%n", name, timeline);
        }
        if (run.failed > 0) {
            System.out.printf(Locale.ROOT, "# %s: %d image(s) failed after 5 attempts%n", name, run.failed);
        }
    }

    record Run(double seconds, int failed, long t0, long backups) {
    }

    /** captiond: the real captioner and limiter, as many workers as the route has, retrying as the route does. */
    static Run captiond(ArrivalCountingServer server, int images, int rpm, int concurrency, String mode, double latency)
            throws Exception {
        Map<String, String> props = new HashMap<>(Map.of("captiond.gemini.base-url", server.url(),
                "captiond.gemini.api-key", "bench", "captiond.rate.rpm", String.valueOf(rpm),
                "captiond.rate.concurrency", String.valueOf(concurrency),
                "captiond.rate.window", scaled(60).toMillis() + "ms",
                "captiond.rate.backoff-base", scaled(2).toMillis() + "ms",
                "captiond.rate.backoff-max", scaled(60).toMillis() + "ms",
                "captiond.rate.max-attempts", "5",
                "captiond.rate.mode", mode,
                "captiond.gemini.timeout", scaled(latency * 2 + 1).toMillis() + "ms"));
        try (ProviderHarness harness = new ProviderHarness(props)) {
            GeminiCaptioner captioner = harness.gemini();
            Backoff backoff = new Backoff(harness.props.rate().backoffBase(), harness.props.rate().backoffMax());
            ExecutorService workers = Executors.newFixedThreadPool(harness.props.rate().workers());
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
            workers.shutdownNow();
            return new Run(seconds, failed, t0, captioner.limiter().backupCopies());
        }
    }

    /** The seeds' loop: one request at a time, fixed pause after each image, 3 retries with doubling waits. */
    static double seedLoop(ArrivalCountingServer server, int images) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        byte[] body = ("{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/jpeg\",\"data\":\""
                + Base64.getEncoder().encodeToString(ProviderHarness.preview().jpeg())
                + "\"}},{\"text\":\"Describe this image.\"}]}]}").getBytes(StandardCharsets.UTF_8);
        long pause = scaled(2).toMillis();
        long t0 = System.nanoTime();
        for (int i = 0; i < images; i++) {
            for (int attempt = 0; attempt <= 3; attempt++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url()
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
}
