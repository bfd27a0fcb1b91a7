package io.captiond.upload;

/**
 * No answer, a timeout or a 5xx: for a GET nothing happened, but for a POST the request may or may
 * not have taken effect on Replicate's side.
 */
public class ReplicateUnreachable extends RuntimeException {

    public ReplicateUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
