package io.captiond.caption;

import io.captiond.core.CaptionText;

/** A vision endpoint (or the embedded offline captioner) that describes one image. */
public interface Captioner {

    /** How the manifest names this captioner: "basic", or "provider/model". */
    String name();

    /**
     * Describes the image. The answer may be raw model text: {@link CaptionText} cleans it and
     * enforces the trigger word afterwards.
     */
    String describe(CaptionRequest request) throws Exception;
}
