package io.captiond.support.http;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A {@code multipart/form-data} body with one file part, streamed from disk. java.net.http has no
 * multipart support, and the Replicate files API takes files up to 100 MiB (the upload stage's
 * zips, the captioner's clips): the part's header, the
 * file (read by {@code ofFile} in chunks as the socket takes them) and the closing boundary are
 * concatenated publishers, so the zip is never held in memory and Content-Length is still exact.
 */
public final class MultipartFileBody {

    private final String boundary = "captiond-" + UUID.randomUUID();
    private final BodyPublisher publisher;

    public MultipartFileBody(String partName, Path file, String contentType) throws FileNotFoundException {
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + partName + "\"; filename=\"" + file.getFileName() + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        this.publisher = BodyPublishers.concat(
                BodyPublishers.ofString(head, StandardCharsets.UTF_8),
                BodyPublishers.ofFile(file),
                BodyPublishers.ofString(tail, StandardCharsets.UTF_8));
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public BodyPublisher publisher() {
        return publisher;
    }
}
