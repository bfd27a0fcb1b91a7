package io.captiond.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Gemini-shaped {@code generateContent} server over a real socket that enforces and counts a
 * sliding-window limit the way a provider does, by <b>arrival</b> (the moment the whole request
 * has been read): over {@code rpm} arrivals in the last window get a 429 with Retry-After. It also
 * keeps every arrival, so a test can ask for the most that ever fell into one window, and it can
 * play a local GPU server ({@code slots} requests served at once, each slower the more run
 * together, the rest queued) and inject 503s and hung requests (timeouts).
 */
public final class ArrivalCountingServer implements AutoCloseable {

    private static final String OK = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
            + "\"A caption from the arrival-counting server.\"}]},\"finishReason\":\"STOP\",\"index\":0}]}";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final int rpm;
    private final long windowNanos;
    private final long latencyMillis;
    private final Semaphore slots;
    private final double slowdown;
    private volatile double faults;
    private volatile long hangMillis;
    private final ArrayDeque<Long> accepted = new ArrayDeque<>();
    private final List<Long> arrivals = new ArrayList<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger inService = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger throttled = new AtomicInteger();
    public final AtomicInteger succeeded = new AtomicInteger();
    public final AtomicInteger injected = new AtomicInteger();

    /**
     * @param rpm      arrivals allowed per window (0 = no limit)
     * @param slots    requests served at once (0 = unlimited, a cloud API); the rest wait in line
     * @param slowdown how much slower each request gets per other request served with it
     */
    public ArrivalCountingServer(int rpm, Duration window, Duration latency, int slots, double slowdown) {
        this.rpm = rpm;
        this.windowNanos = window.toNanos();
        this.latencyMillis = latency.toMillis();
        this.slots = slots > 0 ? new Semaphore(slots, true) : null;
        this.slowdown = slowdown;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 500);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A cloud API: fixed latency, unlimited parallelism. */
    public static ArrivalCountingServer cloud(int rpm, Duration window, Duration latency) {
        return new ArrivalCountingServer(rpm, window, latency, 0, 0);
    }

    /** After an accepted arrival, this share of requests fails: half 503s, half hang for {@code hang} (a timeout). */
    public ArrivalCountingServer faults(double rate, Duration hang) {
        this.faults = rate;
        this.hangMillis = hang.toMillis();
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * A few requests from another client, then a reset: in a test the server shares the JVM with
     * captiond, and its own first requests (thread start, class loading) would be stamped late.
     */
    public ArrivalCountingServer warmUp() {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        try {
            for (int i = 0; i < 3; i++) {
                client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url() + "/warm-up"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reset();
        return this;
    }

    public synchronized void reset() {
        accepted.clear();
        arrivals.clear();
        requests.set(0);
        throttled.set(0);
        succeeded.set(0);
        injected.set(0);
        maxActive.set(0);
    }

    /** Every arrival so far (System.nanoTime), in order. */
    public synchronized List<Long> arrivalTimes() {
        return List.copyOf(arrivals);
    }

    /** The most arrivals (accepted or not) that fell into any one window. */
    public synchronized int maxInAnyWindow() {
        List<Long> sorted = new ArrayList<>(arrivals);
        sorted.sort(null);
        int most = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (sorted.get(to) - sorted.get(from) >= windowNanos) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }

    /** Arrivals beyond the limit in some window: the requests the server had to refuse. */
    public int overTheWindow() {
        return throttled.get();
    }

    /** The most requests the server held at once. */
    public int maxInFlight() {
        return maxActive.get();
    }

    /** Nanoseconds until a request would fit in the window, or 0 (and it is counted) when it fits now. */
    private synchronized long admit(long now) {
        arrivals.add(now);
        if (rpm <= 0) {
            return 0;
        }
        while (!accepted.isEmpty() && now - accepted.peekFirst() >= windowNanos) {
            accepted.pollFirst();
        }
        if (accepted.size() >= rpm) {
            return accepted.peekFirst() + windowNanos - now;
        }
        accepted.addLast(now);
        return 0;
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        long wait = admit(System.nanoTime());
        requests.incrementAndGet();
        int now = active.incrementAndGet();
        maxActive.accumulateAndGet(now, Math::max);
        try {
            if (wait > 0) {
                throttled.incrementAndGet();
                exchange.getResponseHeaders().add("Retry-After", String.format(Locale.ROOT, "%.3f", wait / 1e9));
                reply(exchange, 429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\","
                        + "\"status\":\"RESOURCE_EXHAUSTED\"}}");
                return;
            }
            double roll = faults > 0 ? ThreadLocalRandom.current().nextDouble() : 1;
            if (roll < faults / 2) {
                injected.incrementAndGet();
                Thread.sleep(hangMillis);
                reply(exchange, 504, "{\"error\":{\"code\":504,\"message\":\"Deadline exceeded.\",\"status\":\"DEADLINE_EXCEEDED\"}}");
                return;
            }
            serve();
            if (roll < faults) {
                injected.incrementAndGet();
                reply(exchange, 503, "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}");
                return;
            }
            succeeded.incrementAndGet();
            reply(exchange, 200, OK);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (timed out): nothing to answer
        } finally {
            active.decrementAndGet();
        }
    }

    /** The model's work: a fixed latency, or on a local server a slot, slower the more slots are busy. */
    private void serve() throws InterruptedException {
        if (slots == null) {
            Thread.sleep(latencyMillis);
            return;
        }
        slots.acquire();
        try {
            int busy = inService.incrementAndGet();
            Thread.sleep(Math.round(latencyMillis * (1 + slowdown * (busy - 1))));
        } finally {
            inService.decrementAndGet();
            slots.release();
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
