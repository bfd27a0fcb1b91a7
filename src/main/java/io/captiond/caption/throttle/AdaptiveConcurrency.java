package io.captiond.caption.throttle;

/**
 * How many requests may be in flight, from what the rate needs and what the server can take:
 * <ul>
 * <li><b>need</b> (Little's law with headroom): {@code rate × latency × 1.5}, or, where the
 * limiter may burst, the whole window's budget at once; before the first answer, {@code cap};</li>
 * <li><b>server</b>: throughput at each in-flight level {@code n} is {@code n / latency(n)}.
 * A cloud API's latency does not depend on our concurrency, so throughput grows with {@code n};
 * a local GPU server serialises (Ollama runs one or a few at a time), so latency grows with
 * {@code n} and throughput stops growing. Once some level's latency is 25 % over the fastest, the
 * ceiling is the smallest level within 5 % of the best throughput seen, plus half of it (at least
 * one) to keep probing above;</li>
 * <li>{@code cap} ({@code captiond.rate.max-concurrency}) bounds both.</li>
 * </ul>
 * Hand-written rather than Netflix concurrency-limits: its algorithms (Vegas, Gradient2, AIMD) are
 * tuned for servers with hundreds of short requests per second (Gradient2 smooths over hundreds of
 * samples, Vegas's thresholds are {@code log10(limit)}, under one request below ten), while a
 * caption run is 10–100 requests of seconds each with 1–60 in flight; and they know nothing of the
 * rate limit, whose Little's-law need would have to be combined with them anyway. A per-level
 * latency table decides within the first few answers. Not thread-safe: the limiter's lock guards it.
 */
final class AdaptiveConcurrency {

    static final double HEADROOM = 1.5;
    static final double ALPHA = 0.3;
    static final double WITHIN = 0.95;
    static final double CONGESTED = 1.25;

    private final int fixed;
    private final int cap;
    private final double[] latency; // EWMA per in-flight level, nanos; 0 = no sample
    private double recent; // EWMA over all levels, nanos; 0 = no sample yet

    /** @param fixed an explicit concurrency (0 = adapt); @param cap the most ever in flight when adapting */
    AdaptiveConcurrency(int fixed, int cap) {
        this.fixed = fixed;
        this.cap = Math.max(1, cap);
        this.latency = new double[this.cap + 1];
    }

    boolean adaptive() {
        return fixed <= 0;
    }

    /** The most in flight when adapting (the worker pool must be at least this large). */
    int cap() {
        return fixed > 0 ? fixed : cap;
    }

    /** An answer that took {@code nanos} to a request granted with {@code level} in flight (itself included). */
    void sample(int level, long nanos) {
        if (nanos <= 0) {
            return;
        }
        int n = Math.min(cap, Math.max(1, level));
        latency[n] = latency[n] == 0 ? nanos : latency[n] + ALPHA * (nanos - latency[n]);
        recent = recent == 0 ? nanos : recent + ALPHA * (nanos - recent);
    }

    /**
     * @param requestsPerNano the rate the window allows now
     * @param burstBudget     requests that may go at once (the window's budget when bursting, else 0)
     */
    int limit(double requestsPerNano, int burstBudget) {
        if (fixed > 0) {
            return fixed;
        }
        int need = recent == 0 ? cap : (int) Math.ceil(requestsPerNano * recent * HEADROOM);
        need = Math.max(need, burstBudget);
        return Math.max(1, Math.min(Math.min(need, serverCeiling()), cap));
    }

    /**
     * {@code cap} while latency does not rise with the number in flight; once it does, the smallest
     * in-flight level within 5 % of the best throughput measured, plus room to probe above.
     */
    int serverCeiling() {
        double best = 0;
        double fastest = Double.MAX_VALUE;
        double slowest = 0;
        for (int n = 1; n <= cap; n++) {
            if (latency[n] > 0) {
                best = Math.max(best, n / latency[n]);
                fastest = Math.min(fastest, latency[n]);
                slowest = Math.max(slowest, latency[n]);
            }
        }
        if (best == 0 || slowest <= CONGESTED * fastest) {
            return cap;
        }
        for (int n = 1; n <= cap; n++) {
            if (latency[n] > 0 && n / latency[n] >= WITHIN * best) {
                return Math.min(cap, n + Math.max(1, n / 2));
            }
        }
        return cap;
    }

    /** The recent latency in nanos (0 before the first answer). */
    double latencyNanos() {
        return recent;
    }
}
