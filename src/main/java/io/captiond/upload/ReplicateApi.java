package io.captiond.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.captiond.config.CaptiondProperties;
import io.captiond.support.Json;
import io.captiond.support.http.Backoff;
import io.captiond.support.http.HttpReply;
import io.captiond.support.http.MultipartFileBody;
import io.captiond.support.replicate.ReplicateClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicate's HTTP API as the upload stage uses it (protocols.md §3): Bearer auth, problem+json
 * errors, and the retry rules that keep a training from being paid for twice:
 * <ul>
 * <li>GETs retry 429, 5xx and timeouts with back-off;</li>
 * <li>POSTs retry only 429 (a throttled request was not carried out); a 5xx or a timeout surfaces as
 * {@link ReplicateUnreachable}, and the caller decides (the training starter looks the training up);</li>
 * <li>the file upload also retries 5xx and timeouts: a second copy of a file costs nothing;</li>
 * <li>a 429 waits as long as Replicate advertises ({@code Retry-After}, or "resets in ~N s" in the detail).</li>
 * </ul>
 * Requests go through the daemon's one {@link ReplicateClient} (shared with the Replicate
 * captioner), which sends the token only to the configured base URL; it reaches no message, log
 * line or exception. Back-off is the captioner's {@link Backoff} (exponential, full jitter).
 */
public class ReplicateApi {

    private static final Logger log = LoggerFactory.getLogger(ReplicateApi.class);

    private final ReplicateClient client;
    private final CaptiondProperties.Upload settings;
    private final Pauses pauses;
    private final Backoff backoff;

    /** On the daemon's shared {@link ReplicateClient}. */
    public ReplicateApi(ReplicateClient client, CaptiondProperties.Upload settings, Pauses pauses) {
        this.client = client;
        this.settings = settings;
        this.pauses = pauses;
        // exponential from retry-delay, capped at the poll maximum, full jitter: the captioner's back-off
        this.backoff = new Backoff(settings.retryDelay(), settings.pollMaxInterval().compareTo(settings.retryDelay()) > 0
                ? settings.pollMaxInterval() : settings.retryDelay());
    }

    /** With a client of its own (tools and tests that run the upload stage alone). */
    public ReplicateApi(URI baseUrl, Supplier<String> token, CaptiondProperties.Upload settings, Pauses pauses) {
        this(new ReplicateClient(baseUrl.toString(), token, Duration.ofSeconds(10)), settings, pauses);
    }

    public boolean hasToken() {
        return client.hasToken();
    }

    /** GET {@code pathOrUrl} (a path under the base URL, or a full URL that starts with it). */
    public JsonNode get(String what, String pathOrUrl) {
        return send(what, "GET", pathOrUrl, Map.of(), () -> null, true, settings.requestTimeout());
    }

    public JsonNode post(String what, String path, Object body) {
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the request for " + what, e);
        }
        return send(what, "POST", path, Map.of("Content-Type", "application/json"),
                () -> HttpRequest.BodyPublishers.ofByteArray(json), false, settings.requestTimeout());
    }

    /** {@code POST /files}: the zip as the multipart part {@code content}, streamed from disk. */
    public JsonNode uploadFile(Path zip) throws IOException {
        MultipartFileBody body = new MultipartFileBody("content", zip, "application/zip");
        return send("upload " + zip.getFileName(), "POST", "/files", Map.of("Content-Type", body.contentType()),
                body::publisher, true, settings.fileTimeout());
    }

    private JsonNode send(String what, String method, String pathOrUrl, Map<String, String> headers,
            Supplier<HttpRequest.BodyPublisher> body, boolean retryUnavailable, Duration timeout) {
        client.resolve(pathOrUrl); // refuses a URL outside the base before anything else
        if (!hasToken()) {
            throw new UploadRejectedException("REPLICATE_API_TOKEN is not set: export it (or put it into .env for docker"
                    + " compose) and drop trigger.done again");
        }
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= settings.maxAttempts();
            HttpReply reply;
            try {
                reply = client.send(method, pathOrUrl, headers, body.get(), timeout);
            } catch (IOException e) {
                String why = what + ": no answer from Replicate (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
                if (!retryUnavailable || last) {
                    throw new ReplicateUnreachable(why, e);
                }
                log.warn("{}; trying again ({}/{})", why, attempt, settings.maxAttempts());
                pauses.pause(backoff.delay(attempt));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UploadStoppedException();
            }
            int status = reply.status();
            if (reply.ok()) {
                return parse(reply.text());
            }
            JsonNode problem = parse(reply.text());
            String detail = problem.path("detail").isTextual() ? problem.path("detail").asText()
                    : abbreviate(reply.text());
            String title = problem.path("title").isTextual() ? problem.path("title").asText() : null;
            if (status == 429 && !last) {
                Duration advertised = ReplicateClient.advertisedWait(reply, detail);
                Duration wait = advertised != null && advertised.compareTo(backoff.ceiling(attempt)) > 0 ? advertised
                        : backoff.ceiling(attempt);
                log.warn("{}: Replicate throttled the request ({}); waiting {} ms as advertised", what, detail, wait.toMillis());
                pauses.pause(wait);
                continue;
            }
            if (status >= 500) {
                String why = what + ": Replicate answered HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
                if (!retryUnavailable || last) {
                    throw new ReplicateUnreachable(why, null);
                }
                log.warn("{}; trying again ({}/{})", why, attempt, settings.maxAttempts());
                pauses.pause(backoff.delay(attempt));
                continue;
            }
            throw new ReplicateProblem(what, status, title, detail.isEmpty() ? null : detail);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return NullNode.getInstance();
        }
    }

    private static String abbreviate(String body) {
        String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
