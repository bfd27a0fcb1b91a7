package io.captiond.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local OpenAI-compatible vision server (POST /v1/chat/completions) having a bad day: each
 * request draws, from a seeded random, a success or (in turn) one of the faults real servers produce — 429
 * with {@code Retry-After} or {@code retry-after-ms}, 500/503 with OpenAI's error body, a response
 * slower than the client's timeout, a connection closed without an answer, truncated JSON, an empty
 * answer, a {@code content_filter} refusal. It records when each request arrived, which image it
 * carried (a digest of the data URL) and what it was told, so a test can judge the client.
 * Hand-written on the JDK's HttpServer because WireMock cannot draw a fault per request from one
 * seeded sequence and time-stamp when each answer left.
 */
public final class StormyVisionServer implements AutoCloseable {

    public enum Fault { OK, RETRY_AFTER_SECONDS, RETRY_AFTER_MS, HTTP_500, HTTP_503, TOO_SLOW, HANG_UP, TRUNCATED, EMPTY, CONTENT_FILTER }

    /** One request: arrival and answer times (System.nanoTime), the image it carried, what it got. */
    public record Call(long arrivedNanos, long answeredNanos, String image, Fault fault, long advertisedWaitMillis) {
    }

    private static final Pattern DATA_URL = Pattern.compile("data:image/[a-z]+;base64,[A-Za-z0-9+/=]+");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Random random;
    private final long slowMillis;
    private final List<Call> calls = new ArrayList<>();
    private final List<Long> arrivals = new ArrayList<>();

    private final int okPercent;
    private int faultsServed;
    private final long latencyMillis;

    private StormyVisionServer(long seed, int okPercent, long latencyMillis, long slowMillis) throws IOException {
        this.random = new Random(seed);
        this.okPercent = okPercent;
        this.latencyMillis = latencyMillis;
        this.slowMillis = slowMillis;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** 40 % answers, 60 % faults; {@code slowMillis}: how long a TOO_SLOW answer takes (over the client's timeout). */
    public static StormyVisionServer stormy(long seed, long slowMillis) throws IOException {
        return new StormyVisionServer(seed, 40, 0, slowMillis);
    }

    /** A good day: every request answered after {@code latencyMillis}, as a model server takes its time. */
    public static StormyVisionServer calm(long latencyMillis) throws IOException {
        return new StormyVisionServer(0, 100, latencyMillis, 0);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** When each request arrived (System.nanoTime), including those not answered yet. */
    public synchronized List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    private synchronized Fault draw() {
        int roll = random.nextInt(100);
        if (roll < okPercent) {
            return Fault.OK;
        }
        Fault[] faults = {Fault.RETRY_AFTER_SECONDS, Fault.RETRY_AFTER_MS, Fault.HTTP_500, Fault.HTTP_503, Fault.TOO_SLOW,
            Fault.HANG_UP, Fault.TRUNCATED, Fault.EMPTY, Fault.CONTENT_FILTER};
        return faults[faultsServed++ % faults.length]; // in turn, so that every kind comes up
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        synchronized (this) {
            arrivals.add(arrived);
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String image = digest(body);
        Fault fault = draw();
        long wait = 0;
        sleep(latencyMillis);
        try {
            switch (fault) {
                case OK -> json(exchange, 200, answer("\"A potted flower on a sunlit windowsill.\"", "stop"));
                case RETRY_AFTER_SECONDS -> {
                    wait = 1000;
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    json(exchange, 429, error("Rate limit reached for requests", "requests", "rate_limit_exceeded"));
                }
                case RETRY_AFTER_MS -> {
                    wait = 700;
                    exchange.getResponseHeaders().add("retry-after-ms", "700");
                    json(exchange, 429, error("Rate limit reached for requests", "requests", "rate_limit_exceeded"));
                }
                case HTTP_500 -> json(exchange, 500, error("The server had an error while processing your request.", "server_error", null));
                case HTTP_503 -> json(exchange, 503, error("The engine is currently overloaded, please try again later", "server_error", null));
                case TOO_SLOW -> {
                    sleep(slowMillis);
                    json(exchange, 200, answer("\"too late\"", "stop"));
                }
                case HANG_UP -> { } // closed below before any answer: the client sees the connection drop
                case TRUNCATED -> json(exchange, 200, answer("\"A flower", "stop").substring(0, 60));
                case EMPTY -> json(exchange, 200, answer("\"\"", "stop"));
                case CONTENT_FILTER -> json(exchange, 200, answer("null", "content_filter"));
            }
        } catch (IOException e) {
            // the client gave up first (TOO_SLOW): that is the point
        } finally {
            exchange.close();
            synchronized (this) {
                calls.add(new Call(arrived, System.nanoTime(), image, fault, wait));
            }
        }
    }

    private static String answer(String content, String finishReason) {
        return """
                {"id":"chatcmpl-storm","object":"chat.completion","created":1764000000,"model":"storm-vl",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"%s"}],
                 "usage":{"prompt_tokens":900,"completion_tokens":12,"total_tokens":912}}""".formatted(content, finishReason);
    }

    private static String error(String message, String type, String code) {
        return """
                {"error":{"message":"%s","type":"%s","param":null,"code":%s}}"""
                .formatted(message, type, code == null ? "null" : "\"" + code + "\"");
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String digest(String body) {
        Matcher m = DATA_URL.matcher(body);
        if (!m.find()) {
            return "no-image";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(m.group().getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
