package io.captiond.caption.provider;

import io.captiond.support.http.HttpReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.captiond.caption.FatalCaptionException;
import io.captiond.caption.ProviderPausedException;
import io.captiond.caption.RetryableCaptionException;
import io.captiond.caption.throttle.ProviderLimiter;
import io.captiond.support.http.RetryHints;
import io.captiond.config.CaptiondProperties;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gemini's Files API (protocols.md §1.4), for clips too large to send inline: a resumable upload
 * (start → chunks with {@code upload} → last chunk with {@code upload, finalize}), polled until the
 * file is {@code ACTIVE} ({@code FAILED} is final), and deleted once the caption is written. Every
 * request passes this API's own limiter, so uploads and polls never take generateContent's slots;
 * a 429 pauses only this limiter and the same chunk is sent again after the advertised wait, as
 * are chunks that come back without an upload status (the SDK's rule). Written here because no
 * Java client of Google's that runs on plain HTTP with an API key fits a Camel-HTTP provider.
 */
public class GeminiFiles {

    private static final Logger log = LoggerFactory.getLogger(GeminiFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An uploaded file: {@code files/abc}, the URI generateContent takes, its MIME type and state. */
    public record Uploaded(String name, String uri, String mimeType, String state) {
    }

    private final CaptiondProperties.Gemini config;
    private final ProviderHttp http;
    private final ProviderLimiter limiter;
    private final CaptiondProperties.Rate rate;
    private final Function<HttpReply, String> errorMessage;
    private final java.util.concurrent.atomic.AtomicInteger throttles = new java.util.concurrent.atomic.AtomicInteger();

    GeminiFiles(CaptiondProperties.Gemini config, ProviderHttp http, ProviderLimiter limiter, CaptiondProperties.Rate rate,
            Function<HttpReply, String> errorMessage) {
        this.config = config;
        this.http = http;
        this.limiter = limiter;
        this.rate = rate;
        this.errorMessage = errorMessage;
    }

    public ProviderLimiter limiter() {
        return limiter;
    }

    /** 429s the Files API answered in this process. */
    public int throttles() {
        return throttles.get();
    }

    public Uploaded upload(Path file, String displayName, String mimeType) throws IOException, InterruptedException {
        long size = Files.size(file);
        Map<String, String> start = new HashMap<>(key());
        start.put("X-Goog-Upload-Protocol", "resumable");
        start.put("X-Goog-Upload-Command", "start");
        start.put("X-Goog-Upload-Header-Content-Length", String.valueOf(size));
        start.put("X-Goog-Upload-Header-Content-Type", mimeType);
        byte[] meta = JSON.writeValueAsBytes(Map.of("file", Map.of("display_name", displayName)));
        HttpReply started = call("upload start", "POST", uploadUrl(), start, meta, "application/json");
        String session = header(started, "x-goog-upload-url");
        if (session == null) {
            throw new RetryableCaptionException("gemini upload start answered without x-goog-upload-url");
        }
        checkSameHost(session);
        int chunk = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 16, config.uploadChunk().toBytes()));
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long offset = 0;
            while (true) {
                int length = (int) Math.min(chunk, size - offset);
                byte[] bytes = new byte[length];
                in.seek(offset);
                in.readFully(bytes);
                boolean last = offset + length >= size;
                Map<String, String> headers = new HashMap<>(key());
                headers.put("X-Goog-Upload-Command", last ? "upload, finalize" : "upload");
                headers.put("X-Goog-Upload-Offset", String.valueOf(offset));
                HttpReply reply = call("upload chunk at " + offset, "POST", session, headers, bytes, "application/octet-stream");
                String status = header(reply, "x-goog-upload-status");
                offset += length;
                if ("final".equalsIgnoreCase(status) || last) {
                    if (!"final".equalsIgnoreCase(status)) {
                        throw new RetryableCaptionException("gemini upload finalize answered upload status '" + status + "'");
                    }
                    return file(JSON.readTree(reply.body()).path("file"), mimeType);
                }
            }
        }
    }

    /** Polls until ACTIVE; FAILED (the service could not process the video) is not worth another upload. */
    public Uploaded awaitActive(Uploaded file) throws InterruptedException {
        long deadline = System.nanoTime() + config.fileTimeout().toNanos();
        while (!"ACTIVE".equals(file.state())) {
            if ("FAILED".equals(file.state())) {
                throw new FatalCaptionException("gemini could not process the uploaded video " + file.name()
                        + " (state FAILED)");
            }
            if (System.nanoTime() > deadline) {
                throw new RetryableCaptionException("gemini file " + file.name() + " still " + file.state() + " after "
                        + config.fileTimeout().toSeconds() + " s (captiond.gemini.file-timeout)");
            }
            Thread.sleep(config.filePollInterval().toMillis());
            HttpReply reply = call("file status", "GET", base() + "/" + file.name(), key(), null, null);
            JsonNode node = parse(reply);
            JsonNode described = node.has("file") ? node.path("file") : node;
            file = file(described, file.mimeType());
            if ("FAILED".equals(file.state()) && described.has("error")) {
                throw new FatalCaptionException("gemini could not process the uploaded video " + file.name() + ": "
                        + described.path("error").path("message").asText("state FAILED"));
            }
        }
        return file;
    }

    /** Best effort: a file left behind expires after 48 h anyway. */
    public void delete(Uploaded file) {
        try {
            call("file delete", "DELETE", base() + "/" + file.name(), key(), null, null);
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.info("gemini file {} was not deleted ({}); it expires by itself after 48 h", file.name(), e.getMessage());
        }
    }

    /**
     * One request through this API's limiter, repeated after a 429 (as long as the server asks),
     * after a 5xx, a transport error or a chunk answer without upload status; other 4xx are final.
     */
    private HttpReply call(String what, String method, String url, Map<String, String> headers, byte[] body,
            String contentType) throws InterruptedException {
        boolean chunk = what.startsWith("upload chunk");
        for (int attempt = 1;; attempt++) {
            HttpReply reply;
            try (ProviderLimiter.Permit permit = limiter.acquire()) {
                try {
                    reply = http.send(method, url, headers, body, contentType);
                } catch (IOException e) {
                    reply = null;
                    if (attempt >= rate.maxAttempts()) {
                        throw new RetryableCaptionException("gemini " + what + " failed: " + e.getMessage(), null, e);
                    }
                }
                if (reply != null && reply.status() == 429) {
                    throttles.incrementAndGet();
                    Duration wait = advisedWait(reply);
                    if (wait.compareTo(rate.maxRetryAfter()) > 0) {
                        limiter.pause(wait, "Files API asked to wait " + wait.toSeconds() + " s");
                        throw new ProviderPausedException("gemini Files API asked for a wait of " + wait.toSeconds()
                                + " s: " + errorMessage.apply(reply), Instant.now().plus(wait));
                    }
                    limiter.pause(wait, "Files API 429: " + errorMessage.apply(reply));
                    limiter.throttled(permit);
                    if (attempt >= rate.maxAttempts()) {
                        throw new RetryableCaptionException("gemini " + what + ": still rate-limited after " + attempt
                                + " attempts", wait, null);
                    }
                    continue;
                }
                if (reply != null && reply.ok() && !(chunk && header(reply, "x-goog-upload-status") == null)) {
                    limiter.succeeded(permit);
                    return reply;
                }
                if (reply != null && !reply.ok() && reply.status() < 500 && reply.status() != 408) {
                    String message = "gemini " + what + ": HTTP " + reply.status() + " " + errorMessage.apply(reply);
                    throw reply.status() == 401 || reply.status() == 403
                            ? new FatalCaptionException(message + " (check GEMINI_API_KEY)")
                            : new FatalCaptionException(message);
                }
            }
            if (attempt >= rate.maxAttempts()) {
                throw new RetryableCaptionException("gemini " + what + " failed after " + attempt + " attempts"
                        + (reply == null ? "" : ": HTTP " + reply.status() + " " + errorMessage.apply(reply)));
            }
            Thread.sleep(Math.min(rate.backoffMax().toMillis(), rate.backoffBase().toMillis() << (attempt - 1)));
        }
    }

    private Duration advisedWait(HttpReply reply) {
        JsonNode error = ProviderCaptioner.errorJson(reply);
        JsonNode err = error == null ? JSON.createObjectNode() : error.path("error");
        Duration hint = RetryHints.first(RetryHints.fromGoogleDetails(err), RetryHints.fromHeaders(reply.headers()),
                RetryHints.fromText(err.path("message").asText("")));
        return hint != null ? hint : rate.backoffBase();
    }

    private JsonNode parse(HttpReply reply) {
        try {
            return JSON.readTree(reply.body() == null ? new byte[0] : reply.body());
        } catch (IOException e) {
            throw new RetryableCaptionException("gemini file status: unreadable answer", null, e);
        }
    }

    private static Uploaded file(JsonNode file, String mimeType) {
        String name = file.path("name").asText("");
        if (name.isEmpty() || !name.startsWith("files/")) {
            throw new RetryableCaptionException("gemini Files API answered without a file name");
        }
        return new Uploaded(name, file.path("uri").asText(""), file.path("mimeType").asText(mimeType),
                file.path("state").asText("PROCESSING"));
    }

    private Map<String, String> key() {
        return Map.of("x-goog-api-key", config.apiKey());
    }

    /** The API root with its version, whether the base URL was given with /v1beta or without. */
    private String base() {
        return GeminiCaptioner.apiRoot(config.baseUrl());
    }

    /** {@code https://host/v1beta} → {@code https://host/upload/v1beta/files}. */
    String uploadUrl() {
        URI base = URI.create(base());
        String root = base.getScheme() + "://" + base.getRawAuthority();
        return root + "/upload" + (base.getRawPath() == null ? "" : base.getRawPath()) + "/files";
    }

    /** The key goes only to the configured host, never to one an answer names. */
    private void checkSameHost(String session) {
        URI base = URI.create(base());
        URI upload = URI.create(session);
        if (!base.getScheme().equalsIgnoreCase(upload.getScheme()) || !base.getRawAuthority().equalsIgnoreCase(upload.getRawAuthority())) {
            throw new FatalCaptionException("gemini upload session " + upload.getScheme() + "://" + upload.getRawAuthority()
                    + " is outside captiond.gemini.base-url; not followed");
        }
    }

    private static String header(HttpReply reply, String name) {
        for (var entry : reply.headers().entrySet()) {
            if (entry.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
