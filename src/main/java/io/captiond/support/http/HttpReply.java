package io.captiond.support.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP answer from a provider or Replicate: status, the response headers (names as sent) and the body bytes. */
public record HttpReply(int status, Map<String, String> headers, byte[] body) {

    public String text() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
