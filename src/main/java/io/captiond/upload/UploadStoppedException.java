package io.captiond.upload;

/**
 * captiond is stopping while an upload waits: the work stops where it is; the state file says
 * where, and the next start resumes from there.
 */
public class UploadStoppedException extends RuntimeException {

    public UploadStoppedException() {
        super("captiond is stopping; the upload resumes at the next start");
    }
}
