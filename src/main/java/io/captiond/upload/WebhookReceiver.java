package io.captiond.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.support.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /replicate/webhook}: where {@code captiond.upload.webhook} may point (the daemon's
 * port, behind your reverse proxy). A genuine delivery (signature checked with the account's
 * webhook secret, fetched once from {@code GET /v1/webhooks/default/secret}) about a training
 * captiond follows updates its manifest at once; the polling stays the authority and still ends the
 * upload. Deliveries are retried by Replicate, so each webhook-id is applied once.
 */
@RestController
public class WebhookReceiver {

    private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);
    /** The usual Standard Webhooks tolerance: a delivery older or newer than this is refused. */
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final ReplicateApi api;
    private final UploadStore store;
    private final AtomicReference<String> secret = new AtomicReference<>();
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 1000;
        }
    });

    public WebhookReceiver(ReplicateApi api, UploadStore store) {
        this.api = api;
        this.store = store;
    }

    @PostMapping("/replicate/webhook")
    public ResponseEntity<String> receive(@RequestHeader(name = "webhook-id", required = false) String id,
            @RequestHeader(name = "webhook-timestamp", required = false) String timestamp,
            @RequestHeader(name = "webhook-signature", required = false) String signature,
            @RequestBody byte[] body) throws IOException {
        if (id == null || timestamp == null || signature == null) {
            // checked before the secret is fetched: an anonymous POST costs no request to Replicate
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body("not a signed Replicate delivery\n");
        }
        String key;
        try {
            key = secret();
        } catch (RuntimeException e) {
            log.warn("Webhook not checked: cannot read the webhook secret from Replicate ({})", e.getMessage());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("cannot verify webhooks right now\n");
        }
        String problem = WebhookSignature.problem(key, id, timestamp, body, signature, Instant.now(), TOLERANCE);
        if (problem != null) {
            log.warn("Refused a webhook delivery: {}", problem);
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(problem + "\n");
        }
        synchronized (seen) {
            if (!seen.add(id)) {
                return ResponseEntity.noContent().build(); // a retried delivery: already applied
            }
        }
        JsonNode training = Json.MAPPER.readTree(body);
        boolean known;
        try {
            known = store.updateTraining(Training.from(training));
        } catch (IOException | RuntimeException e) {
            synchronized (seen) {
                seen.remove(id); // not applied: Replicate's retry of this delivery must be taken
            }
            throw e;
        }
        if (!known) {
            log.info("Webhook about training {}, which captiond does not follow; ignored", training.path("id").asText());
        }
        return ResponseEntity.noContent().build();
    }

    private String secret() {
        String key = secret.get();
        if (key == null) {
            key = api.get("webhook secret", "/webhooks/default/secret").path("key").asText(null);
            if (key == null) {
                throw new IllegalStateException("Replicate's answer has no 'key'");
            }
            secret.set(key);
        }
        return key;
    }
}
