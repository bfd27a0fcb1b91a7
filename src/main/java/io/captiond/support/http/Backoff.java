package io.captiond.support.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter: a uniformly random wait in
 * {@code [0, min(max, base * 2^(attempt-1))]}, so workers that failed together do not come back
 * together. Camel's RedeliveryPolicy has exponential back-off but only ±15 % "collision avoidance"
 * jitter, so the delay is computed here and handed to it through {@code CamelRedeliveryDelay}.
 */
public record Backoff(Duration base, Duration max) {

    public Duration ceiling(int attempt) {
        long ceiling = base.toMillis() << Math.min(30, Math.max(0, attempt - 1));
        return Duration.ofMillis(Math.min(max.toMillis(), ceiling < 0 ? Long.MAX_VALUE : ceiling));
    }

    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toMillis();
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
