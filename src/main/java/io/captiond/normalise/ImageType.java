package io.captiond.normalise;

import java.util.Locale;

/** An input's real type, found from its first bytes; the extension is never trusted. */
public enum ImageType {
    JPEG("jpg"), MPO("jpg"), PNG("png"), WEBP("webp"), HEIF("jpg"), AVIF("jpg"),
    GIF("png"), TIFF("png"), BMP("png"), UNKNOWN(null);

    private final String outputExtension;

    ImageType(String outputExtension) {
        this.outputExtension = outputExtension;
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
