package io.captiond.caption.provider;

import io.captiond.config.Secrets;
import io.captiond.support.http.HttpReply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * HTTP to one provider through camel-http: one endpoint per provider (so one connection pool and
 * explicit timeouts), the real URL of each call in {@code CamelHttpUri}. Non-2xx answers come back
 * as replies ({@code throwExceptionOnFailure=false}) because captiond classifies them itself;
 * HttpClient's own automatic retries are off ({@code camel.component.http.automatic-retries-disabled}),
 * so every attempt passes the provider's limiter and shows in its metrics. Transport failures
 * (refused, reset, timed out) surface as {@link IOException}. Request headers (keys!) are never
 * copied into the reply, logged or put into exception messages.
 */
public class CamelProviderHttp implements ProviderHttp {

    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "x-goog-api-key", "api-key", "x-api-key");

    private final ProducerTemplate template;
    private final String endpoint;

    public CamelProviderHttp(ProducerTemplate template, String baseUrl, Duration connectTimeout, Duration responseTimeout) {
        this.template = template;
        long response = responseTimeout.toMillis();
        this.endpoint = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "throwExceptionOnFailure=false"
                + "&connectTimeout=" + connectTimeout.toMillis() + "&connectionRequestTimeout=" + response
                + "&responseTimeout=" + response + "&soTimeout=" + response;
    }

    /**
     * Sizes camel-http's connection pool to the caption workers: a burst of a window's budget (60 at
     * once on a 60 RPM key) must not queue for one of HttpClient's default 20 connections per route,
     * which would spread its arrivals over several latencies and the next window's with them. A few
     * more serve the side endpoints (Gemini's Files API, Replicate's polls).
     */
    public static void sizePool(HttpComponent http, int workers) {
        int perRoute = Math.max(http.getConnectionsPerRoute(), workers + 4);
        http.setConnectionsPerRoute(perRoute);
        http.setMaxTotalConnections(Math.max(http.getMaxTotalConnections(), 2 * perRoute));
    }

    @Override
    public HttpReply post(String url, Map<String, String> headers, byte[] json) throws IOException {
        return send("POST", url, headers, json, (Runnable) null);
    }

    /** A POST whose {@code onSent} runs once the body is written and flushed to the socket. */
    @Override
    public HttpReply post(String url, Map<String, String> headers, byte[] json, Runnable onSent) throws IOException {
        return send("POST", url, headers, json, onSent);
    }

    @Override
    public HttpReply get(String url, Map<String, String> headers) throws IOException {
        return send("GET", url, headers, null, (Runnable) null);
    }

    private HttpReply send(String method, String url, Map<String, String> headers, byte[] json, Runnable onSent)
            throws IOException {
        return send(method, url, headers, json, "application/json", onSent);
    }

    /** Any method, any body type: the Gemini Files API's raw upload chunks, its DELETE. */
    @Override
    public HttpReply send(String method, String url, Map<String, String> headers, byte[] body, String contentType)
            throws IOException {
        return send(method, url, headers, body, contentType, null);
    }

    private HttpReply send(String method, String url, Map<String, String> headers, byte[] body, String contentType,
            Runnable onSent)
            throws IOException {
        Exchange done = template.send(endpoint, exchange -> {
            Message in = exchange.getIn();
            in.setHeader(Exchange.HTTP_METHOD, method);
            in.setHeader(Exchange.HTTP_URI, url);
            headers.forEach(in::setHeader);
            if (body != null) {
                in.setHeader(Exchange.CONTENT_TYPE, contentType);
                // camel-http sends an HttpEntity body as it is: this one reports when it is on the wire
                in.setBody(onSent == null ? body : new SignallingEntity(body, onSent));
            }
        });
        Exception failure = done.getException();
        if (failure != null) {
            throw failure instanceof IOException io ? io : new IOException(failure.getClass().getSimpleName()
                    + ": " + failure.getMessage(), failure);
        }
        Message reply = done.getMessage();
        Integer status = reply.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Map<String, String> replyHeaders = new HashMap<>();
        Set<String> sent = headers.keySet().stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        reply.getHeaders().forEach((name, value) -> {
            if (!name.startsWith("Camel") && !sent.contains(name.toLowerCase(Locale.ROOT)) && value != null) {
                replyHeaders.put(name, String.valueOf(value));
            }
        });
        return new HttpReply(status == null ? 0 : status, replyHeaders, withoutCredentials(reply.getBody(byte[].class), headers));
    }

    /** A JSON body that runs {@code onSent} after HttpClient has written and flushed it. */
    private static final class SignallingEntity extends AbstractHttpEntity {
        private final byte[] json;
        private final Runnable onSent;

        SignallingEntity(byte[] json, Runnable onSent) {
            super(ContentType.APPLICATION_JSON, null);
            this.json = json;
            this.onSent = onSent;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(json);
            out.flush();
            onSent.run();
        }

        @Override
        public InputStream getContent() {
            return new ByteArrayInputStream(json);
        }

        @Override
        public long getContentLength() {
            return json.length;
        }

        @Override
        public boolean isRepeatable() {
            return true;
        }

        @Override
        public boolean isStreaming() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    /** The body, with any credential we sent redacted: some servers quote the key in their error text. */
    private static byte[] withoutCredentials(byte[] body, Map<String, String> sent) {
        if (body == null) {
            return null;
        }
        String[] credentials = sent.entrySet().stream().filter(h -> CREDENTIAL_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT)))
                .map(Map.Entry::getValue).toArray(String[]::new);
        if (credentials.length == 0) {
            return body;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String clean = Secrets.redact(text, credentials);
        return clean.equals(text) ? body : clean.getBytes(StandardCharsets.UTF_8);
    }
}
