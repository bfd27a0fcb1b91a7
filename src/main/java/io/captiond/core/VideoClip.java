package io.captiond.core;

import java.util.List;

/**
 * A video member's story: the facts of the dropped file, the facts of the member, and what was done
 * in between. A long video split into parts gives one member per part.
 *
 * @param source       ffprobe's facts of the dropped file
 * @param output       ffprobe's facts of the member (.mp4)
 * @param processing   {@code passthrough} (bytes copied), {@code remux} (streams copied into a new
 *                     MP4, audio left out) or {@code transcode} (H.264 re-encoded)
 * @param changes      what the transcode or remux changed (rotation applied, frame rate, size, audio)
 * @param part         1-based part number when the source was split, else 1
 * @param parts        number of parts the source was split into, else 1
 * @param startSeconds where this part starts in the source
 */
public record VideoClip(
        VideoFacts source,
        VideoFacts output,
        String processing,
        List<String> changes,
        int part,
        int parts,
        double startSeconds) {

    public VideoClip {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    public String mimeType() {
        return "video/mp4";
    }
}
