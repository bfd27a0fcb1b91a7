package io.captiond.caption;

import java.time.Instant;

/**
 * The provider cannot take requests for a long while (daily quota, no credit, a server asking for a
 * wait longer than {@code captiond.rate.max-retry-after}). Not the image's fault: the member stays in
 * work/ without a caption, its dataset waits, and the recovery pass queues it again once the pause
 * is over. {@code until} is null when the pause has no known end (captiond is stopping, or the
 * configuration is wrong: {@link ProviderMisconfiguredException}).
 */
public class ProviderPausedException extends RuntimeException {

    private final transient Instant until;

    public ProviderPausedException(String message, Instant until) {
        super(message);
        this.until = until;
    }

    public Instant until() {
        return until;
    }
}
