package io.captiond.watch;

import io.captiond.config.CaptiondProperties;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.stereotype.Component;

/**
 * Decides when a file in the inbox has finished arriving: its size and modification time must have
 * stayed the same for the quiet period, across polls.
 *
 * <p>Hand-written because Camel's {@code readLock=changed} checks files one at a time on the poll
 * thread and sleeps at least one check interval per file, so a 500-photo drop would queue for
 * minutes. Here every file of a poll is observed at once and none is slept on: a whole drop costs
 * one quiet period. The heuristic is the same as Camel's (writers on other machines hold no lock we
 * could see), so it inherits its limits: a writer that stalls longer than the quiet period, or NFS
 * attribute caching longer than it (raise {@code captiond.watch.quiet-period} above {@code actimeo}).
 */
@Component
public class StabilityTracker {

    private final long quietNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Observation> seen = new ConcurrentHashMap<>();

    @org.springframework.beans.factory.annotation.Autowired
    public StabilityTracker(CaptiondProperties props) {
        this(props.watch().quietPeriod());
    }

    StabilityTracker(Duration quietPeriod) {
        this(quietPeriod, System::nanoTime);
    }

    /** With the clock given: tests step it instead of waiting. */
    StabilityTracker(Duration quietPeriod, LongSupplier nanoTime) {
        this.quietNanos = quietPeriod.toNanos();
        this.nanoTime = nanoTime;
    }

    /** True once {@code size} and {@code modified} have been the same for the whole quiet period. */
    public boolean isStable(String path, long size, long modified) {
        long now = nanoTime.getAsLong();
        Observation last = seen.get(path);
        if (last == null || last.size != size || last.modified != modified) {
            seen.put(path, new Observation(size, modified, now));
            pruneIfLarge(now);
            return false;
        }
        return now - last.since >= quietNanos;
    }

    /** The size a file had when a poll last saw it change, or -1 while it is unseen (what the log would say). */
    public long lastSeenSize(String path) {
        Observation last = seen.get(path);
        return last == null ? -1 : last.size;
    }

    /** Forgets a file once it has been handed on (it leaves the inbox). */
    public void forget(String path) {
        seen.remove(path);
    }

    /** Files deleted before they settled leave entries behind; drop the old ones now and then. */
    private void pruneIfLarge(long now) {
        if (seen.size() > 50_000) {
            long cutoff = now - Math.max(quietNanos * 100, Duration.ofHours(1).toNanos());
            seen.values().removeIf(o -> o.since < cutoff);
        }
    }

    private record Observation(long size, long modified, long since) {
    }
}
