package io.captiond.upload;

/**
 * The dataset or its upload settings cannot be trained as they are (zip rules, unknown trainer
 * options, a missing destination): nothing is retried, and the message tells the user what to change.
 */
public class UploadRejectedException extends RuntimeException {

    public UploadRejectedException(String message) {
        super(message);
    }
}
