package io.captiond.normalise;

/**
 * An input captiond will not make into a dataset member; the message is the reason the user reads
 * in {@code failed/<dataset>/<file>.error.txt}.
 */
public class RejectedInputException extends RuntimeException {

    public RejectedInputException(String reason) {
        super(reason);
    }

    public RejectedInputException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
