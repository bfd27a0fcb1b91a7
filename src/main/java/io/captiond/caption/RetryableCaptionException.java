package io.captiond.caption;

import java.time.Duration;

/**
 * A caption attempt that failed for a reason worth another attempt (a 5xx, a timeout, a reset
 * connection, a truncated body, a throttled request, an empty answer or a refusal). The caption
 * route redelivers it up to {@code captiond.rate.max-attempts} times, then quarantines the member
 * with this message. {@code delay} is the wait the provider asked for, or null for exponential
 * back-off.
 */
public class RetryableCaptionException extends RuntimeException {

    private final transient Duration delay;

    public RetryableCaptionException(String message) {
        this(message, null, null);
    }

    public RetryableCaptionException(String message, Duration delay, Throwable cause) {
        super(message, cause);
        this.delay = delay;
    }

    public Duration delay() {
        return delay;
    }
}
