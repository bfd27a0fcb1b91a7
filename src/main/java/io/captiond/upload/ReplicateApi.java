package io.captiond.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.captiond.config.CaptiondProperties;
import io.captiond.config.Secrets;
import io.captiond.support.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The token goes only to the configured base URL and into no message, log line or exception.
 */
public class ReplicateApi {

    private static final Logger log = LoggerFactory.getLogger(ReplicateApi.class);
    private static final Pattern SECONDS_IN_DETAIL = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:s|sec|secs|seconds?)\\b");

    private final HttpClient http;
    private final String base;
    private final Supplier<String> token;
    private final CaptiondProperties.Upload settings;
    private final Pauses pauses;

    public ReplicateApi(URI baseUrl, Supplier<String> token, CaptiondProperties.Upload settings, Pauses pauses) {
        this.base = baseUrl.toString().replaceAll("/+$", "");
        this.token = token;
        this.settings = settings;
        this.pauses = pauses;
        // one client for the daemon's life (it pools connections). Redirects are not followed: the
        // client would resend the Authorization header to wherever a redirect points.
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public boolean hasToken() {
        String t = token.get();
        return t != null && !t.isBlank();
    }

    /** GET {@code pathOrUrl} (a path under the base URL, or a full URL that starts with it). */
    public JsonNode get(String what, String pathOrUrl) {
        return send(what, request(pathOrUrl).GET(), true, settings.requestTimeout());
    }

    public JsonNode post(String what, String path, Object body) {
        HttpRequest.Builder request;
        try {
            request = request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the request for " + what, e);
        }
        return send(what, request, false, settings.requestTimeout());
    }

    /** {@code POST /files}: the zip as the multipart part {@code content}, streamed from disk. */
    public JsonNode uploadFile(Path zip) throws IOException {
        MultipartFileBody body = new MultipartFileBody("content", zip, "application/zip");
        HttpRequest.Builder request = request("/files").header("Content-Type", body.contentType()).POST(body.publisher());
        return send("upload " + zip.getFileName(), request, true, settings.fileTimeout());
    }

    private HttpRequest.Builder request(String pathOrUrl) {
        String url = pathOrUrl.startsWith("/") ? base + pathOrUrl : pathOrUrl;
        if (!url.startsWith(base + "/")) {
            // e.g. a pagination link to another host: the token must not travel there
            throw new IllegalArgumentException("refusing to send the Replicate token to " + url + " (not under " + base + ")");
        }
        if (!hasToken()) {
            throw new UploadRejectedException("REPLICATE_API_TOKEN is not set: export it (or put it into .env for docker"
                    + " compose) and drop trigger.done again");
        }
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token.get())
                .header("Accept", "application/json").header("User-Agent", "captiond");
    }

    private JsonNode send(String what, HttpRequest.Builder builder, boolean retryUnavailable, Duration timeout) {
        HttpRequest request = builder.timeout(timeout).build();
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= settings.maxAttempts();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                String why = what + ": no answer from Replicate (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
                if (!retryUnavailable || last) {
                    throw new ReplicateUnreachable(why, e);
                }
                log.warn("{}; trying again ({}/{})", why, attempt, settings.maxAttempts());
                pauses.pause(backOff(attempt));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UploadStoppedException();
            }
            int status = response.statusCode();
            String body = Secrets.redact(response.body(), token.get()); // a server may quote the token back
            if (status >= 200 && status < 300) {
                return parse(body);
            }
            JsonNode problem = parse(body);
            String detail = problem.path("detail").isTextual() ? problem.path("detail").asText()
                    : abbreviate(body);
            String title = problem.path("title").isTextual() ? problem.path("title").asText() : null;
            if (status == 429 && !last) {
                Duration wait = max(advertisedWait(response, detail), backOff(attempt));
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
                pauses.pause(backOff(attempt));
                continue;
            }
            throw new ReplicateProblem(what, status, title, detail.isEmpty() ? null : detail);
        }
    }

    /** Exponential from captiond.upload.retry-delay, capped at the poll maximum, ±20 % jitter. */
    Duration backOff(int attempt) {
        long base = settings.retryDelay().toMillis() << Math.min(attempt - 1, 16);
        long capped = Math.min(base, Math.max(settings.pollMaxInterval().toMillis(), settings.retryDelay().toMillis()));
        return Duration.ofMillis((long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }

    /** {@code Retry-After} (seconds or an HTTP date) or the seconds in the detail ("resets in ~30s"), whichever is longer. */
    static Duration advertisedWait(HttpResponse<?> response, String detail) {
        Duration header = response.headers().firstValue("Retry-After").map(ReplicateApi::retryAfter).orElse(Duration.ZERO);
        Duration fromDetail = Duration.ZERO;
        Matcher m = SECONDS_IN_DETAIL.matcher(detail == null ? "" : detail);
        if (m.find()) {
            fromDetail = Duration.ofMillis((long) (Double.parseDouble(m.group(1)) * 1000));
        }
        return max(header, fromDetail);
    }

    private static Duration retryAfter(String value) {
        try {
            return Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return Duration.ZERO;
            }
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
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
