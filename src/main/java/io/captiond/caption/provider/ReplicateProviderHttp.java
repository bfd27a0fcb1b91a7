package io.captiond.caption.provider;

import io.captiond.support.http.HttpReply;
import io.captiond.support.http.MultipartFileBody;
import io.captiond.support.replicate.ReplicateClient;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The Replicate captioner's requests, through the daemon's one {@link ReplicateClient} (which adds
 * the token itself and sends it nowhere but the configured API).
 */
public class ReplicateProviderHttp implements ProviderHttp {

    private final ReplicateClient client;
    private final Duration timeout;
    private final Duration uploadTimeout;

    public ReplicateProviderHttp(ReplicateClient client, Duration timeout) {
        this(client, timeout, timeout);
    }

    /** {@code uploadTimeout}: for a file upload, which may carry up to 100 MB on a slow uplink. */
    public ReplicateProviderHttp(ReplicateClient client, Duration timeout, Duration uploadTimeout) {
        this.client = client;
        this.timeout = timeout;
        this.uploadTimeout = uploadTimeout;
    }

    @Override
    public HttpReply post(String url, Map<String, String> headers, byte[] json) throws IOException, InterruptedException {
        Map<String, String> extra = new HashMap<>(headers);
        extra.put("Content-Type", "application/json");
        return client.send("POST", url, extra, HttpRequest.BodyPublishers.ofByteArray(json), timeout);
    }

    /** DELETE (a file the captioner uploaded); no other method or body is sent to Replicate from here. */
    @Override
    public HttpReply send(String method, String url, Map<String, String> headers, byte[] body, String contentType)
            throws IOException, InterruptedException {
        if (!"DELETE".equals(method) || body != null) {
            return ProviderHttp.super.send(method, url, headers, body, contentType);
        }
        return client.send("DELETE", url, headers, null, timeout);
    }

    /** The clip streamed from disk as the multipart part Replicate's {@code POST /files} reads. */
    @Override
    public HttpReply postFile(String url, Map<String, String> headers, String partName, Path file, String contentType)
            throws IOException, InterruptedException {
        MultipartFileBody body = new MultipartFileBody(partName, file, contentType);
        Map<String, String> extra = new HashMap<>(headers);
        extra.put("Content-Type", body.contentType());
        return client.send("POST", url, extra, body.publisher(), uploadTimeout);
    }

    @Override
    public HttpReply get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        return client.send("GET", url, headers, null, timeout);
    }
}
