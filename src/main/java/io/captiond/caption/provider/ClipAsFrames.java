package io.captiond.caption.provider;

import io.captiond.caption.ClipFrames;
import java.util.Locale;

/**
 * For models that take images but not video (most OpenAI-compatible servers, single-image Replicate
 * models): the sampled frames go as several images in one message, introduced as frames of one
 * clip, so the model captions the clip and its motion rather than N separate pictures.
 */
final class ClipAsFrames {

    private ClipAsFrames() {
    }

    static String introduction(ClipFrames clip) {
        return String.format(Locale.ROOT, "The %d images are frames sampled evenly, in order, from one %.1f-second "
                + "video clip; caption the clip as a whole (the action over time and the camera movement), not each "
                + "frame. ", clip.jpegs().size(), clip.durationSeconds());
    }
}
