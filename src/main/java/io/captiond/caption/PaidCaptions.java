package io.captiond.caption;

import io.captiond.core.CaptionJob;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Captions a provider was paid for whose sidecar could not be written (a full or read-only work/):
 * kept in memory and written when the member is captioned again, instead of asking (and paying)
 * again. Only a caption of the same member version counts (its normalisedAt): a photo dropped again
 * meanwhile gets its own caption.
 */
@Component
public class PaidCaptions {

    /** A finished caption (cleaned, with the trigger) and who made it. */
    public record Kept(Instant normalisedAt, String caption, String who) {
    }

    private final Map<CaptionJob, Kept> kept = new ConcurrentHashMap<>();

    public void keep(CaptionJob job, Instant normalisedAt, String caption, String who) {
        kept.put(job, new Kept(normalisedAt, caption, who));
    }

    /** The kept caption of this version of the member, if any (it stays kept until {@link #written}). */
    public Optional<Kept> of(CaptionJob job, Instant normalisedAt) {
        Kept k = kept.get(job);
        return k != null && Objects.equals(k.normalisedAt(), normalisedAt) ? Optional.of(k) : Optional.empty();
    }

    public void written(CaptionJob job) {
        kept.remove(job);
    }

    public int size() {
        return kept.size();
    }
}
