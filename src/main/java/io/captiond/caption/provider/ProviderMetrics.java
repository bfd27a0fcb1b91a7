package io.captiond.caption.provider;

import io.captiond.caption.throttle.ProviderLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Per-provider meters in Boot's registry (so in /actuator/prometheus): requests sent, 429s, retries
 * scheduled, backup copies, request latency, and the adaptive limit the limiter currently holds.
 */
public class ProviderMetrics {

    private final MeterRegistry registry;
    private final String provider;
    private final Counter throttled;
    private final Counter retries;
    private final Timer latency;

    public ProviderMetrics(MeterRegistry registry, String provider, ProviderLimiter limiter) {
        this.registry = registry;
        this.provider = provider;
        this.throttled = Counter.builder("captiond.provider.throttled").description("429 answers")
                .tag("provider", provider).register(registry);
        this.retries = Counter.builder("captiond.provider.retries").description("caption attempts scheduled again")
                .tag("provider", provider).register(registry);
        this.latency = Timer.builder("captiond.provider.latency").description("request latency")
                .tag("provider", provider).register(registry);
        FunctionCounter.builder("captiond.provider.backups", limiter, ProviderLimiter::backupCopies)
                .description("backup copies of slow requests, sent from idle budget").tag("provider", provider)
                .register(registry);
        Gauge.builder("captiond.provider.rate.limit", limiter, ProviderLimiter::limit)
                .description("requests per window the adaptive limiter allows now").tag("provider", provider)
                .register(registry);
    }

    /** One request and how it ended: ok, throttled, client-error, server-error, transport. */
    public void request(String outcome, Duration took) {
        Counter.builder("captiond.provider.requests").tag("provider", provider).tag("outcome", outcome)
                .register(registry).increment();
        latency.record(took);
        if ("throttled".equals(outcome)) {
            throttled.increment();
        }
    }

    public void retry() {
        retries.increment();
    }
}
