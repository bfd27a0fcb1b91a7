package io.captiond.core;

/**
 * What the caption stage tells the other stages about itself, so that they need not depend on it:
 * the packager's "waiting" line says why captions are not coming.
 */
public interface CaptioningStatus {

    /** Why captions are not coming (provider paused: daily quota, no credit, bad key), or "" when they are. */
    String pauseNotice();

    /**
     * When captions can come again: null when they come now, the end of a pause (daily quota, no
     * credit), or {@link java.time.Instant#MAX} when not before a restart (a configuration problem).
     */
    default java.time.Instant captionsResumeAt() {
        return null;
    }
}
