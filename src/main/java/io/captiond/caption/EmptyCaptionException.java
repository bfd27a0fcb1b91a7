package io.captiond.caption;

/** An answer with no usable caption text (empty, whitespace, only markdown, a refusal): worth another attempt. */
public class EmptyCaptionException extends RetryableCaptionException {

    public EmptyCaptionException(String message) {
        super(message);
    }
}
