package io.captiond.caption.provider;

import io.captiond.support.http.HttpReply;
import java.io.IOException;
import java.util.Map;

/**
 * One HTTP attempt to a provider: non-2xx answers come back as replies (the captioner sorts them),
 * transport failures as {@link IOException}. Gemini and OpenAI-compatible servers go through
 * camel-http ({@link CamelProviderHttp}); Replicate through the one Replicate client the upload
 * stage uses too ({@link ReplicateProviderHttp}).
 */
public interface ProviderHttp {

    HttpReply post(String url, Map<String, String> headers, byte[] json) throws IOException, InterruptedException;

    HttpReply get(String url, Map<String, String> headers) throws IOException, InterruptedException;

    /**
     * A POST whose {@code onSent} runs once the body is on the wire (the limiter counts the request
     * from then). Without a way to see the socket, it runs when the answer is in: later than the
     * send, so the limiter's count stays on the safe side.
     */
    default HttpReply post(String url, Map<String, String> headers, byte[] json, Runnable onSent)
            throws IOException, InterruptedException {
        try {
            return post(url, headers, json);
        } finally {
            onSent.run();
        }
    }

    /** Any method, any body type (the Gemini Files API's raw upload chunks, its DELETE). */
    default HttpReply send(String method, String url, Map<String, String> headers, byte[] body, String contentType)
            throws IOException, InterruptedException {
        throw new UnsupportedOperationException(method + " with " + contentType + " is not sent through this client");
    }

    /** A {@code multipart/form-data} POST of one file part, streamed from disk (Replicate's files API). */
    default HttpReply postFile(String url, Map<String, String> headers, String partName, java.nio.file.Path file,
            String contentType) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("file uploads are not sent through this client");
    }
}
