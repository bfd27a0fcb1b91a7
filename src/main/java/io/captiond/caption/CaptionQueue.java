package io.captiond.caption;

import io.captiond.core.CaptionJob;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The members queued for or being captioned in this process. A member is claimed once before it
 * enters the caption queue and released when its caption route finishes, so the periodic recovery
 * pass never queues it twice and two workers never pay for the same image.
 */
@Component("captionQueue")
public class CaptionQueue {

    private final Set<CaptionJob> claimed = ConcurrentHashMap.newKeySet();

    /** True when the job was not queued yet (and is now). */
    public boolean claim(CaptionJob job) {
        return job != null && claimed.add(job);
    }

    public void release(CaptionJob job) {
        claimed.remove(job);
    }

    public boolean isQueued(String dataset) {
        return claimed.stream().anyMatch(j -> j.dataset().equals(dataset));
    }

    public int size() {
        return claimed.size();
    }
}
