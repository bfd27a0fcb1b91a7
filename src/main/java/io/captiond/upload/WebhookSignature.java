package io.captiond.upload;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replicate's webhook signature (Standard Webhooks, protocols.md §3.6): HMAC-SHA256 over
 * {@code id.timestamp.body} with the base64 key after {@code whsec_}; any of the space-separated
 * {@code v1,<base64>} entries may match, compared in constant time; the timestamp must be recent so
 * that a captured delivery cannot be replayed later. A dozen lines of JDK crypto: no library needed.
 */
public final class WebhookSignature {

    private WebhookSignature() {
    }

    /** Null when the delivery is genuine, else why it is not. */
    public static String problem(String secret, String id, String timestamp, byte[] body, String signatures,
            Instant now, Duration tolerance) {
        if (id == null || timestamp == null || signatures == null) {
            return "webhook-id, webhook-timestamp or webhook-signature header missing";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return "webhook-timestamp is not a number of seconds";
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return "webhook-timestamp is more than " + tolerance.toSeconds() + " s away from now";
        }
        String[] parts = secret == null ? new String[0] : secret.strip().split("_");
        if (parts.length != 2 || !parts[0].equals("whsec")) {
            return "the webhook secret from Replicate is not of the form whsec_<base64>";
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(parts[1]), "HmacSHA256"));
            mac.update((id + "." + timestamp.strip() + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "the webhook secret cannot be used: " + e.getClass().getSimpleName();
        }
        for (String entry : signatures.strip().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
                continue;
            }
            try {
                if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring(comma + 1)))) {
                    return null;
                }
            } catch (IllegalArgumentException notBase64) {
                // another entry may still match
            }
        }
        return "no webhook-signature entry matches";
    }
}
