package io.captiond.caption;

/** An answer with no usable caption text (empty, whitespace, only markdown). */
public class EmptyCaptionException extends RuntimeException {

    public EmptyCaptionException(String message) {
        super(message);
    }
}
