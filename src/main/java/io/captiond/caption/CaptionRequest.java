package io.captiond.caption;

import io.captiond.core.Dataset;
import io.captiond.core.ImageRecord;

/**
 * Everything a captioner may use: the downscaled copy made for it, the member's record (size,
 * EXIF facts), the dataset (trigger word, style, prompt) and the user's tags, if any. For a video
 * member {@code video} holds the clip and its sampled frames, and {@code preview} is the middle frame.
 */
public record CaptionRequest(Preview preview, ImageRecord record, Dataset dataset, String tags, ClipFrames video) {

    public CaptionRequest(Preview preview, ImageRecord record, Dataset dataset, String tags) {
        this(preview, record, dataset, tags, null);
    }
}
