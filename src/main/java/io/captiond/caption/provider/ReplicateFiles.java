package io.captiond.caption.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.captiond.caption.ProviderPausedException;
import io.captiond.caption.RetryableCaptionException;
import io.captiond.caption.throttle.ProviderLimiter;
import io.captiond.config.CaptiondProperties;
import io.captiond.support.http.Backoff;
import io.captiond.support.http.HttpReply;
import io.captiond.support.replicate.ReplicateClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicate's files API (protocols.md §3.3) for clips too large for a data URI: {@code POST /files}
 * with the clip as the multipart part {@code content}, streamed from disk; the answer's
 * {@code urls.get} is what the model's video input takes (the official clients do the same); the
 * file is deleted ({@code DELETE /files/{id}}) once the prediction is over.
 * <p>
 * These requests pass a limiter of their own ({@code captiond.replicate.files-rpm}): Replicate
 * counts them apart from prediction creates, so uploads never take the creates' slots. A second copy
 * of a file costs nothing, so an upload is repeated after a 429 (waiting what Replicate advertises,
 * at least the back-off), a 5xx or no answer; a wait longer than {@code captiond.rate.max-retry-after}
 * pauses the uploads instead. Other 4xx are handed back ({@link Refused}) for the captioner to sort:
 * a 413 (too large) falls back to frames, a 401 stops the provider.
 */
public class ReplicateFiles {

    private static final Logger log = LoggerFactory.getLogger(ReplicateFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An uploaded file: its id (for the delete) and the URL the model reads it from. */
    public record Uploaded(String id, String url) {
    }

    /** A 4xx other than 429: the request as sent will not succeed. */
    public static final class Refused extends Exception {
        private final transient HttpReply reply;

        Refused(HttpReply reply) {
            super("HTTP " + reply.status());
            this.reply = reply;
        }

        public HttpReply reply() {
            return reply;
        }
    }

    private final String base;
    private final ProviderHttp http;
    private final ProviderLimiter limiter;
    private final CaptiondProperties.Rate rate;
    private final Backoff backoff;
    private final Function<HttpReply, String> errorMessage;
    private final java.util.concurrent.atomic.AtomicInteger throttles = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Duration lastThrottleWait;

    ReplicateFiles(String baseUrl, ProviderHttp http, ProviderLimiter limiter, CaptiondProperties.Rate rate,
            Function<HttpReply, String> errorMessage) {
        this.base = baseUrl.replaceAll("/+$", "");
        this.http = http;
        this.limiter = limiter;
        this.rate = rate;
        this.backoff = new Backoff(rate.backoffBase(), rate.backoffMax());
        this.errorMessage = errorMessage;
    }

    public ProviderLimiter limiter() {
        return limiter;
    }

    /** 429s the files API answered in this process. */
    public int throttles() {
        return throttles.get();
    }

    /** The wait the last 429 was given (what Replicate advertised, at least the back-off); null before any. */
    public Duration lastThrottleWait() {
        return lastThrottleWait;
    }

    public Uploaded upload(Path clip, String mimeType) throws Refused, InterruptedException {
        HttpReply reply = call("file upload", () -> http.postFile(base + "/files", Map.of(), "content", clip, mimeType));
        JsonNode file;
        try {
            file = JSON.readTree(reply.body() == null ? new byte[0] : reply.body());
        } catch (IOException e) {
            throw new RetryableCaptionException("replicate file upload: unreadable answer", null, e);
        }
        String id = file == null ? "" : file.path("id").asText("");
        String url = file == null ? "" : file.path("urls").path("get").asText("");
        if (id.isEmpty() || url.isEmpty()) {
            throw new RetryableCaptionException("replicate file upload answered without id or urls.get");
        }
        return new Uploaded(id, url);
    }

    /** Best effort: a file left behind expires by itself (Replicate keeps uploads a day at most). */
    public void delete(Uploaded file) {
        try {
            call("file delete", () -> http.send("DELETE", base + "/files/" + file.id(), Map.of(), null, null));
        } catch (Refused | RuntimeException e) {
            log.info("replicate file {} was not deleted ({}); it expires by itself", file.id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Request {
        HttpReply send() throws IOException, InterruptedException;
    }

    private HttpReply call(String what, Request request) throws Refused, InterruptedException {
        for (int attempt = 1;; attempt++) {
            HttpReply reply;
            try (ProviderLimiter.Permit permit = limiter.acquire()) {
                try {
                    reply = request.send();
                } catch (IOException e) {
                    if (attempt >= rate.maxAttempts()) {
                        throw new RetryableCaptionException("replicate " + what + " failed: " + e.getMessage(), null, e);
                    }
                    reply = null;
                }
                if (reply != null && reply.ok()) {
                    limiter.succeeded(permit);
                    return reply;
                }
                if (reply != null && reply.status() == 429) {
                    Duration wait = throttled(what, reply, attempt, permit);
                    log.info("replicate {} throttled (429); trying again in {} ms", what, wait.toMillis());
                    continue; // the limiter holds the next attempt until the pause is over
                }
                if (reply != null && reply.status() < 500 && reply.status() != 408) {
                    throw new Refused(reply);
                }
            }
            if (attempt >= rate.maxAttempts()) {
                throw new RetryableCaptionException("replicate " + what + " failed after " + attempt + " attempts"
                        + (reply == null ? "" : ": HTTP " + reply.status() + " " + errorMessage.apply(reply)));
            }
            Thread.sleep(backoff.delay(attempt).toMillis());
        }
    }

    /** Pauses this limiter for what Replicate advertised (at least the back-off); too long a wait pauses uploads. */
    private Duration throttled(String what, HttpReply reply, int attempt, ProviderLimiter.Permit permit) {
        String detail = errorMessage.apply(reply);
        Duration advertised = ReplicateClient.advertisedWait(reply, detail);
        Duration wait = advertised != null && advertised.compareTo(backoff.ceiling(attempt)) > 0 ? advertised
                : backoff.ceiling(attempt);
        if (wait.compareTo(rate.maxRetryAfter()) > 0) {
            limiter.pause(wait, "files API asked to wait " + wait.toSeconds() + " s");
            throw new ProviderPausedException("replicate files API asked for a wait of " + wait.toSeconds() + " s: "
                    + detail, Instant.now().plus(wait));
        }
        throttles.incrementAndGet();
        lastThrottleWait = wait;
        limiter.pause(wait, "files API 429, waiting " + wait.toMillis() + " ms: " + detail);
        limiter.throttled(permit);
        if (attempt >= rate.maxAttempts()) {
            throw new RetryableCaptionException("replicate " + what + ": still rate-limited after " + attempt + " attempts",
                    wait, null);
        }
        return wait;
    }
}
