package io.captiond.caption.provider;

import io.captiond.support.http.HttpReply;
import io.captiond.support.replicate.ReplicateClient;
import java.io.IOException;
import java.net.http.HttpRequest;
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

    public ReplicateProviderHttp(ReplicateClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public HttpReply post(String url, Map<String, String> headers, byte[] json) throws IOException, InterruptedException {
        Map<String, String> extra = new HashMap<>(headers);
        extra.put("Content-Type", "application/json");
        return client.send("POST", url, extra, HttpRequest.BodyPublishers.ofByteArray(json), timeout);
    }

    @Override
    public HttpReply get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        return client.send("GET", url, headers, null, timeout);
    }
}
