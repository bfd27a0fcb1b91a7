package io.captiond.upload;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The uploads this process is carrying out (by dataset and zip digest), so that one zip is never followed
 * twice at once and once mode knows when it may exit; and the waits between Replicate requests,
 * which end at once when captiond stops (a training can run for an hour: shutdown must not wait
 * for it, the state file lets the next start pick it up).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class UploadTracker implements Pauses, ApplicationListener<ContextClosedEvent> {

    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final Object signal = new Object();
    private volatile boolean stopping;

    /** True when this process was not yet carrying out this upload ({@link UploadState#key()}). */
    public boolean claim(String key) {
        return active.add(key);
    }

    public void release(String key) {
        active.remove(key);
    }

    /** captiond is stopping: no new request is started. */
    public boolean stopping() {
        return stopping;
    }

    public int active() {
        return active.size();
    }

    @Override
    public void pause(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (signal) {
            while (!stopping) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    signal.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UploadStoppedException();
                }
            }
        }
        throw new UploadStoppedException();
    }

    /** Ends every wait; uploads stop where they are and resume from their state at the next start. */
    public void stop() {
        stopping = true;
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        stop();
    }
}
