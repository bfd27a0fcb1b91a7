package io.captiond.caption;

import io.captiond.core.CaptionJob;

import io.captiond.caption.provider.ProviderCaptioner;
import io.captiond.support.http.Backoff;
import io.captiond.config.CaptiondProperties;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The caption route's {@code retryWhile}: Camel's redelivery repeats the failed caption step, this
 * bean decides whether and when. Only {@link RetryableCaptionException}s are retried, at most
 * {@code captiond.rate.max-attempts} failed attempts (429s do not count, up to ten times that many in
 * all); the wait goes to Camel as
 * {@code CamelRedeliveryDelay} (read by the error handler before it sleeps, see camel-notes §3.3):
 * full-jitter back-off for server errors, none for 429s because the provider's limiter already
 * holds every request until the advertised time.
 */
@Component("captionRetry")
public class CaptionRetry {

    private static final Logger log = LoggerFactory.getLogger(CaptionRetry.class);
    private static final String THROTTLES = "captiond.throttles";
    /** How many times max-attempts a member may be throttled before it is given up. */
    static final int THROTTLE_ALLOWANCE = 10;

    private final Captioner captioner;
    private final int maxAttempts;
    private final Backoff backoff;

    public CaptionRetry(Captioner captioner, CaptiondProperties props) {
        this.captioner = captioner;
        this.maxAttempts = props.rate().maxAttempts();
        this.backoff = new Backoff(props.rate().backoffBase(), props.rate().backoffMax());
    }

    public boolean shouldRetry(Exchange exchange) {
        RetryableCaptionException retryable = retryable(exchange);
        if (retryable == null) {
            return false;
        }
        // Camel counts this failure before it asks: 1 after the first attempt failed
        int failures = Math.max(1, exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class));
        // a 429 is the provider's pace, not the image's fault: it does not use up the image's attempts
        // (else sustained throttling would quarantine good photos), only a generous overall cap
        boolean throttle = retryable.delay() != null;
        int throttles = exchange.getProperty(THROTTLES, 0, Integer.class) + (throttle ? 1 : 0);
        exchange.setProperty(THROTTLES, throttles);
        int attempts = failures - throttles;
        if (throttle ? failures >= maxAttempts * THROTTLE_ALLOWANCE : attempts >= maxAttempts) {
            return false;
        }
        long delay = retryable.delay() != null ? 0 : backoff.delay(attempts).toMillis();
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        if (captioner instanceof ProviderCaptioner provider) {
            provider.metrics().retry();
        }
        CaptionJob job = exchange.getIn().getBody(CaptionJob.class);
        log.warn("Caption attempt {}/{} for {} failed: {}; trying again{}", throttle ? "(throttled)" : attempts, maxAttempts,
                job == null ? "?" : job.dataset() + "/" + job.output(), retryable.getMessage(),
                delay > 0 ? " in " + delay + " ms" : " when the provider allows");
        return true;
    }

    private static RetryableCaptionException retryable(Exchange exchange) {
        Throwable e = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RetryableCaptionException r) {
                return r;
            }
        }
        return null;
    }
}
