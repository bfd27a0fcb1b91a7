package io.captiond.support;

/**
 * Work interrupted because captiond is stopping. Not the input's fault: the routes leave the file
 * where it is (still in the inbox), and it is processed again after the restart.
 */
public class StoppingException extends RuntimeException {

    public StoppingException(String what, InterruptedException cause) {
        super(what + " interrupted: captiond is stopping", cause);
    }
}
