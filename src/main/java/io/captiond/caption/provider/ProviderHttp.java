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
}
