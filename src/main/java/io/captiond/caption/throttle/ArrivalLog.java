package io.captiond.caption.throttle;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests of the last window as the server will count them: by arrival. A request's arrival
 * is not known when its slot is granted (a cold JVM loads the HTTP client, opens a connection and
 * uploads the image first, 0.5–1.6 s on the first requests), so an entry is <i>pending</i> from its
 * grant until its body has been written to the socket, and only then stamped (send completion plus
 * the margin the limiter has learned from the server's 429s). A pending entry counts in every window: the next
 * request that would need it to have left the window waits until it is stamped.
 * <p>
 * Not thread-safe: {@link ProviderLimiter} calls it under its lock. Times are {@code System.nanoTime}
 * values, compared by subtraction only.
 */
final class ArrivalLog {

    static final long PENDING = Long.MAX_VALUE;

    /** One request: {@code stamp} is PENDING until its send completed. */
    static final class Entry {
        long stamp = PENDING;

        boolean pending() {
            return stamp == PENDING;
        }
    }

    private final long windowNanos;
    private final List<Entry> entries = new ArrayList<>();

    /** @param windowNanos the window the server counts over, margin included */
    ArrivalLog(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    Entry add() {
        Entry e = new Entry();
        entries.add(e);
        return e;
    }

    void stamp(Entry e, long arrivedBy) {
        if (e.pending()) {
            e.stamp = arrivedBy;
        }
    }

    /**
     * When one more request may arrive without {@code cap} others in the window ending at its
     * arrival: {@code now} when there is room, the moment the oldest blocking stamp leaves the
     * window, or PENDING when requests still being sent fill the window (wait for a stamp).
     */
    long freeAt(long now, int cap) {
        entries.removeIf(e -> !e.pending() && now - e.stamp >= windowNanos);
        if (entries.size() < cap) {
            return now;
        }
        // the request we would send must not arrive within a window of the (size - cap + 1)-th oldest arrival
        List<Long> stamps = new ArrayList<>(entries.size());
        int pending = 0;
        for (Entry e : entries) {
            if (e.pending()) {
                pending++;
            } else {
                stamps.add(e.stamp);
            }
        }
        int mustLeave = entries.size() - cap + 1;
        if (mustLeave > stamps.size()) {
            return PENDING;
        }
        stamps.sort((a, b) -> Long.compare(a - b, 0));
        return stamps.get(mustLeave - 1) + windowNanos;
    }

    /** Requests counted in the window at {@code now} (pending ones included). */
    int size(long now) {
        entries.removeIf(e -> !e.pending() && now - e.stamp >= windowNanos);
        return entries.size();
    }
}
