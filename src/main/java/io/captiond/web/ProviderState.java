package io.captiond.web;

import io.captiond.caption.Captioner;
import io.captiond.caption.provider.ProviderCaptioner;
import io.captiond.config.CaptiondProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * What the overview says about the captioner: which model, the limit its limiter holds now, what it
 * sent and how often it was throttled, its measured latency, and a pause with its reason. Read from
 * the caption stage's beans and Micrometer's registry, so the page shows what /actuator shows.
 */
@Component
public class ProviderState {

    private final Captioner captioner;
    private final MeterRegistry registry;
    private final CaptiondProperties props;

    public ProviderState(Captioner captioner, MeterRegistry registry, CaptiondProperties props) {
        this.captioner = captioner;
        this.registry = registry;
        this.props = props;
    }

    /**
     * @param requestsPerMinute the limiter's current limit scaled to a minute (null for the offline captioner)
     * @param latencyMs         mean time of one caption (request, or the basic captioner's work)
     * @param pausedUntil       null when not paused
     */
    public record Snapshot(String model, Double requestsPerMinute, int concurrency, long requests, long throttled,
            Double latencyMs, Instant pausedUntil, String pauseReason) {

        /** Captions per second this provider can deliver now, or null before anything was measured. */
        public Double throughput() {
            Double byLatency = latencyMs == null || latencyMs <= 0 ? null : concurrency * 1000.0 / latencyMs;
            Double byRate = requestsPerMinute == null ? null : requestsPerMinute / 60.0;
            if (byRate == null) {
                return byLatency;
            }
            return byLatency == null ? byRate : Math.min(byRate, byLatency);
        }
    }

    public Snapshot now() {
        if (captioner instanceof ProviderCaptioner p) {
            var limiter = p.limiter();
            String provider = p.name().substring(0, p.name().indexOf('/'));
            double perMinute = limiter.limit() * 60_000.0 / props.rate().window().toMillis();
            Timer latency = registry.find("captiond.provider.latency").tag("provider", provider).timer();
            return new Snapshot(p.name(), perMinute, limiter.concurrency(), requests(provider), throttled(provider),
                    mean(latency), limiter.pausedUntil(), limiter.pauseReason());
        }
        return new Snapshot(captioner.name(), null, props.rate().concurrency(), 0, 0, captionRouteMean(), null, null);
    }

    private long requests(String provider) {
        return (long) registry.find("captiond.provider.requests").tag("provider", provider).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private long throttled(String provider) {
        Counter c = registry.find("captiond.provider.throttled").tag("provider", provider).counter();
        return c == null ? 0 : (long) c.count();
    }

    /** The caption route's mean exchange time from Camel's route policy timer, whatever its meter name. */
    private Double captionRouteMean() {
        for (Meter meter : registry.getMeters()) {
            if (meter instanceof Timer timer && "caption".equals(meter.getId().getTag("routeId"))
                    && meter.getId().getName().contains("route")) {
                Double mean = mean(timer);
                if (mean != null) {
                    return mean;
                }
            }
        }
        return null;
    }

    private static Double mean(Timer timer) {
        return timer == null || timer.count() == 0 ? null : timer.mean(TimeUnit.MILLISECONDS);
    }
}
