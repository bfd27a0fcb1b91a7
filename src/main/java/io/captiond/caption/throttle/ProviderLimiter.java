package io.captiond.caption.throttle;

import io.captiond.caption.ProviderPausedException;
import io.captiond.config.CaptiondProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one gate every request to a provider passes, shared by all datasets and workers:
 * <ul>
 * <li><b>window</b>, a hard invariant: never more than {@code limit} arrivals in any window as the
 * server counts them. A request counts from its grant until its body is on the wire and is then
 * stamped with that time plus a margin (see {@link ArrivalLog}), so a slow first send (cold JVM,
 * new connection, big image) can never put limit + 1 arrivals into one window. The margin is
 * learned from the server's own verdicts: a 429 says it counts later than we stamp, and every 429
 * widens the margin (a hundredth of the window, doubling, at most a twentieth). A server that
 * agrees with our stamps costs no margin beyond the fixed one; answer times are no guide, since
 * they are mostly the model's thinking, after the arrival was counted;</li>
 * <li><b>mode</b>: {@link Mode#BURST} lets the window's whole budget go at once (a per-minute
 * window or a bucket of that size: Gemini, Replicate), {@link Mode#PACED} spaces requests
 * {@code window / limit} apart (OpenAI documents that per-minute limits may be enforced over
 * shorter periods);</li>
 * <li><b>concurrency</b>: at most {@link AdaptiveConcurrency#limit} in flight, or the explicit
 * {@code captiond.rate.concurrency};</li>
 * <li><b>pause</b>: one 429 stops every worker until the time the server advertised; a pause longer
 * than {@code maxBlock} (daily quota, no credit) is not waited out on a thread: callers get
 * {@link ProviderPausedException} at once;</li>
 * <li><b>after a 429</b>: the first in a while (none in the last {@value #CALM_WINDOWS} windows)
 * only switches a bursting limiter to pacing for {@value #CALM_WINDOWS} windows: the rate stays.
 * Another one soon after lowers the limit by a quarter (once per episode), and successes that were
 * rate-bound climb back one step per window, never above a configured rpm; with no configured rpm
 * it grows by half per window until the first 429 (slow start).</li>
 * </ul>
 * Hand-written, not Bucket4j: a token bucket of capacity {@code limit} refilled over the window
 * (Bucket4j's greedy or interval refill) lets up to {@code 2 × limit − 1} requests into one sliding
 * window (a full bucket at once, then the refill), and it takes a token when the slot is granted,
 * not when the request reaches the server; neither can express "at most limit arrivals in any
 * window". Its shared back-ends (JDBC, Redis) would matter for several daemons on one key, which
 * captiond does not support. Camel's Throttle EIP counts per period in one route and knows nothing of
 * pauses or 429s. Retries themselves stay with Camel's redelivery (see {@code CaptionRetry}).
 */
public class ProviderLimiter {

    private static final Logger log = LoggerFactory.getLogger(ProviderLimiter.class);
    static final double DECREASE = 0.75;
    static final long MARGIN_NANOS = 250_000_000;
    static final int CALM_WINDOWS = 5;
    /** A request this many times the recent latency old may get a backup copy ({@link #backup()}), ... */
    static final double BACKUP_AFTER = 1.5;
    /** ... but never younger than this: a fast server's ordinary jitter is not a hang. */
    static final long BACKUP_FLOOR_NANOS = 2_000_000_000L;
    /** At most one backup copy per this many requests. */
    static final int REQUESTS_PER_BACKUP = 10;

    /** How requests are spread inside the window. */
    public enum Mode {
        BURST, PACED;

        /** {@code auto}: bursting for per-minute windows (Gemini, Replicate), pacing for OpenAI-compatible servers. */
        public static Mode of(String setting, String provider) {
            return switch (setting.toLowerCase(Locale.ROOT)) {
                case "burst" -> BURST;
                case "paced" -> PACED;
                default -> provider.equals("openai") ? PACED : BURST;
            };
        }
    }

    private final String provider;
    private final long windowNanos;
    private final double ceiling;
    private final double step;
    private final long maxBlockNanos;
    private final Mode mode;
    private final LongSupplier clock;
    private final ArrivalLog arrivals;
    private final AdaptiveConcurrency concurrency;

    private double limit;
    private int inFlight;
    private long lastSlot; // the scheduled time of the last paced request
    private boolean sentAny;
    private long pausedUntil; // nanoTime values are only compared by subtraction: no MIN_VALUE sentinels here
    private Instant pausedUntilWall = Instant.EPOCH;
    private String pauseReason = "";
    private long lastDecrease;
    private long last429;
    private boolean any429;
    private long pacedUntil;
    private boolean throttledOnce;
    private long learnedMargin; // added to every stamp: how much later than our stamps the server has counted
    private boolean backups;
    private int waiting; // threads in acquire() without a permit yet
    private long granted;
    private long backupsGranted;

    /** The provider's limiter from {@code captiond.rate.*}; {@code defaultRpm} applies when rpm is 0. */
    public static ProviderLimiter create(String provider, CaptiondProperties.Rate rate, int defaultRpm) {
        return new ProviderLimiter(provider, rate.rpm(), defaultRpm, Mode.of(rate.mode(), provider), rate.concurrency(),
                rate.maxConcurrency(), rate.window(), rate.maxRetryAfter(), System::nanoTime).backups(rate.backups());
    }

    /**
     * A limiter of its own for a side endpoint with its own documented limit (Gemini's Files API):
     * {@code rpm} is its ceiling; mode, concurrency and window follow {@code captiond.rate.*}.
     */
    public static ProviderLimiter forEndpoint(String name, int rpm, CaptiondProperties.Rate rate) {
        return new ProviderLimiter(name, rpm, rpm, Mode.of(rate.mode(), name), rate.concurrency(),
                rate.maxConcurrency(), rate.window(), rate.maxRetryAfter(), System::nanoTime);
    }

    /**
     * @param configuredRpm the user's limit (a ceiling the limiter never exceeds), or 0 to start at
     *                      {@code defaultRpm} and adapt without a ceiling
     * @param concurrency   an explicit number in flight, or 0 to adapt up to {@code maxConcurrency}
     */
    ProviderLimiter(String provider, int configuredRpm, int defaultRpm, Mode mode, int concurrency, int maxConcurrency,
            Duration window, Duration maxBlock, LongSupplier clock) {
        this.provider = provider;
        // margin: the wire, the server's front door and its clock put its count of an arrival a little
        // after our send completion (250 ms: a loaded host's scheduling, a proxy, a counter that ticks)
        this.windowNanos = window.toNanos() + window.toNanos() / 100 + MARGIN_NANOS;
        this.limit = configuredRpm > 0 ? configuredRpm : defaultRpm;
        this.ceiling = configuredRpm > 0 ? configuredRpm : Double.MAX_VALUE;
        this.step = Math.max(1, Math.floor(limit / 10));
        this.maxBlockNanos = maxBlock.toNanos();
        this.mode = mode;
        this.clock = clock;
        this.arrivals = new ArrivalLog(windowNanos);
        this.concurrency = new AdaptiveConcurrency(concurrency, maxConcurrency);
        long now = clock.getAsLong();
        this.pausedUntil = now;
        this.pacedUntil = now;
        this.lastSlot = now;
        this.lastDecrease = now - 1;
    }

    /**
     * Waits for a concurrency slot and a send slot; call {@link Permit#sent()} when the request is
     * on the wire and close the permit when the response is in. Slots are not booked ahead: a worker
     * sleeps until the earliest moment the rules allow, then checks again under the lock.
     */
    public synchronized Permit acquire() throws InterruptedException {
        waiting++;
        try {
            while (true) {
                Object decision = tryAcquire();
                if (decision instanceof Permit permit) {
                    return permit;
                }
                long wakeAt = (Long) decision;
                long wait = wakeAt == ArrivalLog.PENDING ? 0 : wakeAt - clock.getAsLong();
                // a send completion or a closed permit wakes waiters early (notifyAll)
                long millis = wakeAt == ArrivalLog.PENDING ? 100 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait) + 1);
                wait(millis);
            }
        } finally {
            waiting--;
        }
    }

    /**
     * How long a request may take before {@link #backup()} is asked: {@value #BACKUP_AFTER} times the
     * recent latency, at least 2 s. Null before the first answer (nothing to compare with), with
     * backups off, and when pacing: a paced provider is an OpenAI-compatible server, often a local GPU
     * that serialises, where a copy would only queue behind the original.
     */
    public synchronized Duration backupAfter() {
        double recent = concurrency.latencyNanos();
        if (!backups || mode != Mode.BURST || recent == 0) {
            return null;
        }
        return Duration.ofNanos(Math.max(BACKUP_FLOOR_NANOS, (long) (recent * BACKUP_AFTER)));
    }

    /**
     * A permit for a backup copy of a slow request ("hedged requests", Dean and Barroso, The Tail at
     * Scale), or null. Only from idle budget: nobody waits for a permit and the window, the pacing
     * and the number in flight allow one now, so a backup never delays other work or goes over the
     * window, and not while the provider is paused; and at most one, plus one per
     * {@value #REQUESTS_PER_BACKUP} requests, since a provider bills it.
     * Without it, a request that hangs holds its image for the whole client timeout, which at the
     * end of a dataset is the dataset's wait.
     */
    public synchronized Permit backup() {
        if (!backups || mode != Mode.BURST || waiting > 0 || pausedUntil - clock.getAsLong() > 0
                || backupsGranted * REQUESTS_PER_BACKUP > granted - backupsGranted) {
            return null;
        }
        if (tryAcquire() instanceof Permit permit) {
            backupsGranted++;
            return permit;
        }
        return null;
    }

    /** Backup copies granted so far. */
    public synchronized long backupCopies() {
        return backupsGranted;
    }

    synchronized ProviderLimiter backups(boolean on) {
        backups = on;
        return this;
    }

    /** A permit, or the time (nanoTime; {@link ArrivalLog#PENDING}: a send completion) to try again. */
    synchronized Object tryAcquire() {
        long now = clock.getAsLong();
        refuseLongPause(now);
        if (inFlight >= concurrencyLimit(now)) {
            return ArrivalLog.PENDING; // a closing permit notifies
        }
        long earliest = pausedUntil - now > 0 ? pausedUntil : now;
        if (paced(now) && sentAny) {
            long due = lastSlot + spacing();
            earliest = due - earliest > 0 ? due : earliest;
        }
        long byWindow = arrivals.freeAt(now, cap());
        if (byWindow == ArrivalLog.PENDING) {
            return ArrivalLog.PENDING;
        }
        long wakeAt = byWindow - earliest > 0 ? byWindow : earliest;
        if (wakeAt - now > 0) {
            return wakeAt;
        }
        boolean rateBound = sentAny && (paced(now) ? now - lastSlot < 2 * spacing() : arrivals.size(now) + 1 >= cap());
        // pacing follows the schedule, so a late wake-up does not push every later slot
        lastSlot = sentAny && paced(now) ? Math.max(lastSlot + spacing(), now - spacing()) : now;
        sentAny = true;
        inFlight++;
        granted++;
        return new Permit(arrivals.add(), now, inFlight, rateBound);
    }

    private boolean paced(long now) {
        return mode == Mode.PACED || pacedUntil - now > 0;
    }

    private int cap() {
        return Math.max(1, (int) Math.floor(limit));
    }

    private long spacing() {
        return (long) (windowNanos / limit);
    }

    private int concurrencyLimit(long now) {
        return concurrency.limit(limit / windowNanos, paced(now) ? 0 : cap());
    }

    private void refuseLongPause(long now) {
        if (pausedUntil - now > maxBlockNanos) {
            throw new ProviderPausedException(provider + " is paused until " + pausedUntilWall + ": " + pauseReason,
                    pausedUntilWall);
        }
    }

    /**
     * Stops every request to this provider for {@code delay} (extends, never shortens, a pause).
     * Returns true when this call extended the pause.
     */
    public synchronized boolean pause(Duration delay, String reason) {
        long until = clock.getAsLong() + delay.toNanos();
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

    /**
     * A 429 for a request sent by {@code permit}. The first in a while paces (a bursting limiter)
     * without touching the rate; one soon after another lowers the rate by a quarter, once per
     * congestion episode.
     */
    public synchronized void throttled(Permit permit) {
        long now = clock.getAsLong();
        learnedMargin = Math.min(windowNanos / 20, Math.max(windowNanos / 100, 2 * learnedMargin));
        boolean firstInAWhile = !any429 || now - last429 > CALM_WINDOWS * windowNanos;
        any429 = true;
        last429 = now;
        if (firstInAWhile) {
            if (mode == Mode.BURST) {
                pacedUntil = now + CALM_WINDOWS * windowNanos;
                log.info("{}: a 429 while bursting: requests paced at {} per {} s for the next {} windows, rate kept",
                        provider, Math.round(limit), windowNanos / 1_000_000_000.0, CALM_WINDOWS);
            }
            lastDecrease = now; // requests already sent belong to this episode
            return;
        }
        if (mode == Mode.BURST) {
            pacedUntil = now + CALM_WINDOWS * windowNanos;
        }
        if (permit.granted - lastDecrease <= 0) {
            return; // sent before the last decision took effect: the same episode
        }
        lastDecrease = now;
        throttledOnce = true;
        double before = limit;
        limit = Math.max(1, limit * DECREASE);
        log.info("{}: rate limit lowered from {} to {} requests per {} s after a second 429 within {} windows", provider,
                Math.round(before), Math.round(limit), windowNanos / 1_000_000_000.0, CALM_WINDOWS);
    }

    /** A success: additive increase (one step per window of requests) when the rate was the bottleneck. */
    public synchronized void succeeded(Permit permit) {
        if (permit.rateBound && limit < ceiling) {
            // no configured limit and no 429 yet: grow by half a window's worth per window (slow start),
            // so a low provider default reaches the server's real limit in minutes, not hours
            double increase = ceiling == Double.MAX_VALUE && !throttledOnce ? 0.5 : step / limit;
            limit = Math.min(ceiling, limit + increase);
        }
        long end = clock.getAsLong();
        long from = permit.wasSent ? permit.sentAt : permit.granted;
        concurrency.sample(permit.level, end - from);
    }

    public synchronized double limit() {
        return limit;
    }

    /** Requests allowed in flight now (the explicit setting, or the adaptive limit). */
    public synchronized int concurrency() {
        return concurrencyLimit(clock.getAsLong());
    }

    /** The most requests ever in flight: the caption route's worker pool must be at least this large. */
    public int maxConcurrency() {
        return concurrency.cap();
    }

    public Mode mode() {
        return mode;
    }

    /** The end of the current pause, or null when requests may go. */
    public synchronized Instant pausedUntil() {
        return pausedUntil - clock.getAsLong() > 0 ? pausedUntilWall : null;
    }

    public synchronized String pauseReason() {
        return pausedUntil() == null ? null : pauseReason;
    }

    private synchronized void sent(Permit permit) {
        if (!permit.wasSent && !permit.closed) {
            permit.wasSent = true;
            permit.sentAt = clock.getAsLong();
            arrivals.stamp(permit.entry, permit.sentAt + learnedMargin);
            notifyAll();
        }
    }

    private synchronized void close(Permit permit) {
        if (!permit.closed) {
            permit.closed = true;
            // never sent, or failed mid-way: it may have arrived at any time until now
            arrivals.stamp(permit.entry, clock.getAsLong() + learnedMargin);
            inFlight--;
            notifyAll();
        }
    }

    /** One request's right to go; {@link #sent()} when it is on the wire, closing frees its concurrency slot. */
    public final class Permit implements AutoCloseable {
        private final ArrivalLog.Entry entry;
        private final long granted;
        private final int level;
        private final boolean rateBound;
        private long sentAt;
        private boolean wasSent;
        private boolean closed;

        Permit(ArrivalLog.Entry entry, long granted, int level, boolean rateBound) {
            this.entry = entry;
            this.granted = granted;
            this.level = level;
            this.rateBound = rateBound;
        }

        /** The request's body has been written and flushed: the server has it (or will in a moment). */
        public void sent() {
            ProviderLimiter.this.sent(this);
        }

        @Override
        public void close() {
            ProviderLimiter.this.close(this);
        }
    }
}
