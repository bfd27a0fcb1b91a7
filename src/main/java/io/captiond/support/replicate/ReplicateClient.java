package io.captiond.support.replicate;

import io.captiond.config.Secrets;
import io.captiond.support.http.HttpReply;
import io.captiond.support.http.RetryHints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.util.function.SingletonSupplier;

/**
 * The one HTTP client captiond talks to Replicate with, shared by the caption stage (predictions)
 * and the upload stage (files, models, trainings): one connection pool for the daemon's life, Bearer
 * auth added here and sent only to URLs under {@code captiond.replicate.base-url} (redirects are
 * not followed: the client would resend the token wherever one points), the token redacted from
 * every answer (a server may quote it back), and one reading of Replicate's waits
 * ({@link #advertisedWait}). Each call is one attempt; what is safe to repeat is the caller's
 * decision (a prediction or training create must not be repeated after a 5xx).
 */
public class ReplicateClient {

    /**
     * Made at the first request: building a JDK client loads TLS and the trust store (0.1 s of a
     * daemon's start), which a daemon without a Replicate token or upload never needs.
     */
    private final SingletonSupplier<HttpClient> http;
    private final String base;
    private final Supplier<String> token;

    public ReplicateClient(String baseUrl, Supplier<String> token, Duration connectTimeout) {
        this.base = baseUrl.replaceAll("/+$", "");
        this.token = token;
        this.http = SingletonSupplier.of(() -> HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    public String base() {
        return base;
    }

    public boolean hasToken() {
        String t = token.get();
        return t != null && !t.isBlank();
    }

    /** True for a full URL the token may go to (under the base URL). */
    public boolean isUnderBase(String url) {
        return url.startsWith(base + "/");
    }

    /** {@code pathOrUrl}: a path under the base URL ("/files") or a full URL under it (an answer's urls.get). */
    public String resolve(String pathOrUrl) {
        String url = pathOrUrl.startsWith("/") ? base + pathOrUrl : pathOrUrl;
        if (!isUnderBase(url)) {
            // e.g. a pagination link or a poll URL on another host: the token must not travel there
            throw new IllegalArgumentException("refusing to send the Replicate token to " + url + " (not under " + base + ")");
        }
        return url;
    }

    /**
     * One request. {@code headers} are extra headers (Content-Type, Prefer); Authorization, Accept and
     * User-Agent are added here. Non-2xx answers are returned; no answer at all is an IOException.
     */
    public HttpReply send(String method, String pathOrUrl, Map<String, String> headers, HttpRequest.BodyPublisher body,
            Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(resolve(pathOrUrl))).timeout(timeout)
                .header("Authorization", "Bearer " + token.get()).header("Accept", "application/json")
                .header("User-Agent", "captiond").method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        headers.forEach(request::header);
        HttpResponse<String> response = http.obtain().send(request.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> replyHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> replyHeaders.put(name, String.join(",", values)));
        String text = Secrets.redact(response.body(), token.get());
        return new HttpReply(response.statusCode(), replyHeaders, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * How long Replicate asked to wait after a 429: {@code Retry-After} (seconds or an HTTP date) or
     * the detail's "resets in ~30s" / "available in 1 second", whichever is longer; null when it says nothing.
     */
    public static Duration advertisedWait(HttpReply reply, String detail) {
        Duration header = RetryHints.fromHeaders(reply.headers());
        Duration text = RetryHints.fromText(detail);
        if (header == null || text == null) {
            return header != null ? header : text;
        }
        return header.compareTo(text) >= 0 ? header : text;
    }
}
