package io.captiond.caption.throttle;

import io.captiond.caption.ProviderPausedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one gate every request to a provider passes, shared by all datasets and workers:
 * <ul>
 * <li><b>rate</b>: requests are paced {@code window / limit} apart and, as a hard invariant, never
 * more than {@code limit} fall inside any {@code window} (a log of send slots, not a bucket refilled
 * per period: a fixed-period bucket lets two periods' worth through around a boundary);</li>
 * <li><b>concurrency</b>: at most {@code concurrency} requests in flight;</li>
 * <li><b>pause</b>: one 429 stops every worker until the time the server advertised, not only the
 * worker that got it; a pause longer than {@code maxBlock} (daily quota, no credit) is not waited
 * out on a thread: callers get {@link ProviderPausedException} at once;</li>
 * <li><b>adaptive (AIMD)</b>: the limit starts at the configured rpm (or the provider's default),
 * drops by a quarter on a 429 and climbs back one step per window of rate-bound successes, never
 * above a configured rpm; with no configured rpm it grows by half per window until the first 429
 * (slow start), so an unset limit converges near the server's real one.</li>
 * </ul>
 * Hand-written because no library in the build does this: Camel's Throttle EIP counts permits per
 * period in one route and knows nothing of server pauses or 429 feedback; Resilience4j's
 * RateLimiter refreshes a fixed period and is not in the build. Retries themselves stay with Camel's
 * redelivery (see {@code CaptionRetry}); this class only decides when a request may go.
 */
public class ProviderLimiter {

    private static final Logger log = LoggerFactory.getLogger(ProviderLimiter.class);
    static final double DECREASE = 0.75;
    static final long MARGIN_NANOS = 50_000_000;

    private final String provider;
    private final long windowNanos;
    private final double ceiling;
    private final double step;
    private final long maxBlockNanos;
    private final Semaphore inFlight;
    private final int concurrency;

    private final ArrayDeque<Long> slots = new ArrayDeque<>();
    private double limit;
    private long lastSlot = Long.MIN_VALUE; // the scheduled time of the last request sent
    private long pausedUntil; // nanoTime values are only compared by subtraction: no MIN_VALUE sentinels here
    private Instant pausedUntilWall = Instant.EPOCH;
    private String pauseReason = "";
    private long lastDecrease;
    private boolean throttledOnce;

    /**
     * @param configuredRpm the user's limit (a ceiling the limiter never exceeds), or 0 to start at
     *                      {@code defaultRpm} and adapt without a ceiling
     */
    public ProviderLimiter(String provider, int configuredRpm, int defaultRpm, int concurrency, Duration window,
            Duration maxBlock) {
        this.provider = provider;
        // margin: the server counts arrivals, which trail our send times by a varying few ms
        this.windowNanos = window.toNanos() + window.toNanos() / 100 + MARGIN_NANOS;
        this.limit = configuredRpm > 0 ? configuredRpm : defaultRpm;
        this.ceiling = configuredRpm > 0 ? configuredRpm : Double.MAX_VALUE;
        this.step = Math.max(1, Math.floor(limit / 10));
        this.maxBlockNanos = maxBlock.toNanos();
        this.concurrency = concurrency;
        this.inFlight = new Semaphore(concurrency, true);
        this.pausedUntil = System.nanoTime();
        this.lastDecrease = pausedUntil - 1;
    }

    /**
     * Waits for a concurrency permit and a send slot; close the permit when the response is in.
     * Slots are not booked ahead: a worker sleeps until the earliest moment the rules allow, then
     * checks again and records the real send time under the lock. A booked future slot would be
     * wrong by however late the sleeping thread wakes, and the server counts real arrivals.
     */
    public Permit acquire() throws InterruptedException {
        inFlight.acquire();
        try {
            while (true) {
                long wakeAt;
                synchronized (this) {
                    long now = System.nanoTime();
                    refuseLongPause(now);
                    long earliest = pausedUntil - now > 0 ? pausedUntil : now;
                    long due = lastSlot == Long.MIN_VALUE ? earliest : Math.max(lastSlot + spacing(), earliest);
                    long byWindow = windowFreeAt(now);
                    wakeAt = byWindow == Long.MIN_VALUE ? due : Math.max(due, byWindow);
                    if (wakeAt - now <= 0) {
                        boolean rateBound = lastSlot != Long.MIN_VALUE && now - lastSlot < 2 * spacing();
                        slots.addLast(now); // the window counts real send times
                        lastSlot = due; // pacing follows the schedule, so a late wake-up does not push every later slot
                        return new Permit(now, rateBound);
                    }
                }
                sleepUntil(wakeAt);
            }
        } catch (InterruptedException | RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    private long spacing() {
        return (long) (windowNanos / limit);
    }

    /** When the oldest of the last {@code limit} slots leaves the window (MIN_VALUE when it has room). */
    private long windowFreeAt(long now) {
        while (!slots.isEmpty() && slots.peekFirst() <= now - windowNanos) {
            slots.pollFirst();
        }
        int cap = Math.max(1, (int) Math.floor(limit));
        if (slots.size() < cap) {
            return Long.MIN_VALUE;
        }
        Iterator<Long> newestFirst = slots.descendingIterator();
        long nth = 0;
        for (int i = 0; i < cap; i++) {
            nth = newestFirst.next();
        }
        return nth + windowNanos;
    }

    private void refuseLongPause(long now) {
        if (pausedUntil - now > maxBlockNanos) {
            throw new ProviderPausedException(provider + " is paused until " + pausedUntilWall + ": " + pauseReason,
                    pausedUntilWall);
        }
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long wait = deadline - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /**
     * Stops every request to this provider for {@code delay} (extends, never shortens, a pause).
     * Returns true when this call extended the pause.
     */
    public synchronized boolean pause(Duration delay, String reason) {
        long until = System.nanoTime() + delay.toNanos();
        if (until - pausedUntil <= 0) {
            return false;
        }
        pausedUntil = until;
        pausedUntilWall = Instant.now().plus(delay);
        pauseReason = reason;
        if (delay.toNanos() > maxBlockNanos) {
            log.warn("{}: no requests until {} ({}); datasets wait with their images uncaptioned, nothing is quarantined",
                    provider, pausedUntilWall, reason);
        } else {
            log.info("{}: all requests paused for {} ms ({})", provider, delay.toMillis(), reason);
        }
        return true;
    }

    /** A 429 for a request sent by {@code permit}: multiplicative decrease, once per congestion episode. */
    public synchronized void throttled(Permit permit) {
        if (permit.slot() - lastDecrease <= 0) {
            return; // sent before the last decrease took effect: the same episode
        }
        lastDecrease = System.nanoTime();
        throttledOnce = true;
        double before = limit;
        limit = Math.max(1, limit * DECREASE);
        log.info("{}: rate limit lowered from {} to {} requests per {} s after a 429", provider, Math.round(before),
                Math.round(limit), windowNanos / 1_000_000_000.0);
    }

    /** A success: additive increase (one step per window of requests) when the rate was the bottleneck. */
    public synchronized void succeeded(Permit permit) {
        if (permit.rateBound() && limit < ceiling) {
            // no configured limit and no 429 yet: grow by half a window's worth per window (slow start),
            // so a low provider default reaches the server's real limit in minutes, not hours
            double increase = ceiling == Double.MAX_VALUE && !throttledOnce ? 0.5 : step / limit;
            limit = Math.min(ceiling, limit + increase);
        }
    }

    public synchronized double limit() {
        return limit;
    }

    public int concurrency() {
        return concurrency;
    }

    /** The end of the current pause, or null when requests may go. */
    public synchronized Instant pausedUntil() {
        return pausedUntil - System.nanoTime() > 0 ? pausedUntilWall : null;
    }

    public synchronized String pauseReason() {
        return pausedUntil() == null ? null : pauseReason;
    }

    /** One request's right to go; closing it frees its concurrency slot. */
    public final class Permit implements AutoCloseable {
        private final long slot;
        private final boolean rateBound;
        private boolean closed;

        Permit(long slot, boolean rateBound) {
            this.slot = slot;
            this.rateBound = rateBound;
        }

        long slot() {
            return slot;
        }

        boolean rateBound() {
            return rateBound;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                inFlight.release();
            }
        }
    }
}
