package io.captiond.core;

/**
 * What ffprobe says about one video, read from the container without decoding a frame.
 *
 * @param container         mp4, mov, webm, matroska or avi
 * @param codec             the video stream's codec (h264, hevc, vp9, av1...)
 * @param durationSeconds   length of the video stream (the container's when the stream has none)
 * @param fps               average frame rate
 * @param variableFrameRate the nominal and the average rate differ (phones record VFR)
 * @param frames            frame count: the container's, else duration × fps
 * @param width             coded width in pixels (before rotation)
 * @param height            coded height in pixels (before rotation)
 * @param rotation          degrees the player turns the picture (display matrix or rotate tag), 0 when upright
 * @param audio             the audio stream's codec, or null without audio
 * @param contentIdentifier Apple's Live Photo content identifier, or null
 */
public record VideoFacts(
        String container,
        String codec,
        double durationSeconds,
        double fps,
        boolean variableFrameRate,
        long frames,
        int width,
        int height,
        int rotation,
        String audio,
        String contentIdentifier) {

    public boolean upright() {
        return rotation % 360 == 0;
    }

    /** Width as displayed (after rotation). */
    public int displayWidth() {
        return Math.abs(rotation % 180) == 90 ? height : width;
    }

    /** Height as displayed (after rotation). */
    public int displayHeight() {
        return Math.abs(rotation % 180) == 90 ? width : height;
    }
}
