package io.captiond.caption;

/**
 * A caption attempt that another attempt would not fix, or must not repeat: bad key, invalid
 * request, unknown model, a blocked image, a Replicate prediction whose creation may already be
 * billed. The member is quarantined at once with this message.
 */
public class FatalCaptionException extends RuntimeException {

    public FatalCaptionException(String message) {
        super(message);
    }
}
