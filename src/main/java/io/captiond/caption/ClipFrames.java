package io.captiond.caption;

import io.captiond.core.VideoClip;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * What captioners get for a video member: the clip itself (for providers that take video), its
 * facts, and frames sampled evenly across it by ffmpeg (for image-only models and the offline
 * captioner), each a JPEG of at most {@link FrameSampler#FRAME_SIDE} pixels.
 */
public record ClipFrames(Path clip, long bytes, VideoClip facts, List<BufferedImage> images, List<byte[]> jpegs) {

    public ClipFrames {
        images = List.copyOf(images);
        jpegs = List.copyOf(jpegs);
    }

    public double durationSeconds() {
        return facts.output().durationSeconds();
    }

    /** The frame in the middle: the one picture that stands for the clip. */
    public Preview middle() {
        int i = images.size() / 2;
        return new Preview(images.get(i), jpegs.get(i));
    }
}
