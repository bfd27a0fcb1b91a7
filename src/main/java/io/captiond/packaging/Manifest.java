package io.captiond.packaging;

import io.captiond.core.LivePhotos;
import io.captiond.core.VideoClip;
import java.time.Instant;
import java.util.List;

/**
 * {@code outbox/<trigger>_training.json}: what the zip holds and how each member came to be.
 * The {@code format} field versions this layout; fields are only ever added. {@code report} is the
 * dataset insight report (absent when it is switched off); {@code exports} names the extra export
 * files written beside the zip (absent when none was chosen).
 */
public record Manifest(
        String format,
        String dataset,
        String trigger,
        String zip,
        long zipBytes,
        String contentSha256,
        Instant createdAt,
        Totals totals,
        Timings timings,
        List<Image> images,
        List<Failed> failed,
        List<String> notes,
        List<LivePhotos.MotionPart> livePhotoMotion,
        Object report,
        List<String> exports) {


    public static final String FORMAT = "captiond-manifest/1";

    /** {@code images} counts every member, {@code videos} the clips among them. */
    public record Totals(int images, int failed, long imageBytes, int captionedByUser, int captionedByModel, int videos) {
    }

    /**
     * @param firstNormalisedAt when the earliest member was written
     * @param lastCaptionedAt   when the latest caption was written
     * @param packagingMillis   time to write zip and manifest
     */
    public record Timings(Instant firstNormalisedAt, Instant lastCaptionedAt, long packagingMillis) {
    }

    /** {@code video}: for a clip, ffprobe's facts of the dropped file and of the member, and any transcode or split. */
    public record Image(String source, String sourceFormat, String output, String format, int width, int height,
            long bytes, String caption, String captioner, List<String> warnings, String alpha, VideoClip video) {
    }

    public record Failed(String file, String stage, String reason) {
    }
}
