package io.captiond.normalise;

import java.util.Locale;

/** An input's real type, found from its first bytes; the extension is never trusted. */
public enum ImageType {
    JPEG("jpg"), MPO("jpg"), PNG("png"), WEBP("webp"), HEIF("jpg"), AVIF("jpg"),
    GIF("png"), TIFF("png"), BMP("png"), UNKNOWN(null),
    // video clips: probed by ffprobe, passed through or transcoded to H.264 MP4 by ffmpeg
    MP4("mp4", true), MOV("mp4", true), WEBM("mp4", true), MKV("mp4", true), AVI("mp4", true);

    private final String outputExtension;
    private final boolean video;

    ImageType(String outputExtension) {
        this(outputExtension, false);
    }

    ImageType(String outputExtension, boolean video) {
        this.outputExtension = outputExtension;
        this.video = video;
    }

    /** A video container (its clips become .mp4 members), not a still image. */
    public boolean video() {
        return video;
    }

    /** The extension of the dataset member made from this type, or null when it is not accepted. */
    public String outputExtension() {
        return outputExtension;
    }

    public boolean supported() {
        return outputExtension != null;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
