package io.captiond.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Standard Webhooks signature Replicate uses, checked on the specification's published example. */
class WebhookSignatureTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant THEN = Instant.ofEpochSecond(1614265330);
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    @Test
    void thePublishedExampleVerifiesAlsoAmongOtherEntries() {
        assertThat(WebhookSignature.problem(SECRET, ID, TIMESTAMP, BODY, SIGNATURE, THEN, TOLERANCE)).isNull();
        assertThat(WebhookSignature.problem(SECRET, ID, TIMESTAMP, BODY, "v1,bm90IGl0 " + SIGNATURE, THEN.plusSeconds(299),
                TOLERANCE)).isNull();
    }

    @Test
    void aChangedBodyIdOrSecretDoesNotVerify() {
        byte[] changed = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.problem(SECRET, ID, TIMESTAMP, changed, SIGNATURE, THEN, TOLERANCE))
                .isEqualTo("no webhook-signature entry matches");
        assertThat(WebhookSignature.problem(SECRET, ID + "x", TIMESTAMP, BODY, SIGNATURE, THEN, TOLERANCE)).isNotNull();
        assertThat(WebhookSignature.problem("whsec_c2VjcmV0", ID, TIMESTAMP, BODY, SIGNATURE, THEN, TOLERANCE)).isNotNull();
        assertThat(WebhookSignature.problem(SECRET, ID, TIMESTAMP, BODY, "v2," + SIGNATURE.substring(3), THEN, TOLERANCE))
                .isNotNull();
    }

    @Test
    void anOldOrFutureTimestampIsRefusedEvenWithAGoodSignature() {
        assertThat(WebhookSignature.problem(SECRET, ID, TIMESTAMP, BODY, SIGNATURE, THEN.plusSeconds(301), TOLERANCE))
                .contains("more than 300 s");
        assertThat(WebhookSignature.problem(SECRET, ID, TIMESTAMP, BODY, SIGNATURE, THEN.minusSeconds(301), TOLERANCE))
                .contains("more than 300 s");
        assertThat(WebhookSignature.problem(SECRET, null, TIMESTAMP, BODY, SIGNATURE, THEN, TOLERANCE)).contains("missing");
    }
}
