package io.captiond.upload;

import java.io.IOException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The upload route's error handler. A stop (captiond shutting down) leaves the state as it is, to be
 * resumed; anything else ends this round's upload: the reason goes into the manifest, into
 * failed/&lt;dataset&gt;/UPLOAD_ERROR.txt and into the log, and nothing is retried behind the user's back.
 */
@Component("uploadFailures")
public class UploadFailures {

    private static final Logger log = LoggerFactory.getLogger(UploadFailures.class);

    private final UploadStore store;
    private final UploadTracker tracker;

    public UploadFailures(UploadStore store, UploadTracker tracker) {
        this.store = store;
        this.tracker = tracker;
    }

    public void failed(Exchange exchange) throws IOException {
        failed(exchange.getMessage().getBody(UploadState.class), exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    public void failed(UploadState state, Throwable error) throws IOException {
        try {
            if (error instanceof UploadStoppedException) {
                log.info("Upload of '{}' stopped at '{}' because captiond is stopping; it resumes at the next start",
                        state.dataset, state.status);
                return;
            }
            state.status = error instanceof UploadRejectedException ? UploadState.REJECTED : UploadState.ERROR;
            state.error = error == null ? "unknown error" : messageOf(error);
            store.save(state);
            store.dropSnapshot(state);
            store.writeError(state, state.startedATraining()
                    ? "A training was started for this content; it is not started again. Its page is above."
                    : "No training was started for this content. Fix the cause, then drop trigger.done again.");
            log.error("Upload of dataset '{}' failed: {}", state.dataset, state.error);
        } finally {
            tracker.release(state.key());
        }
    }

    /** Our own exceptions carry the whole story; others get their type so the reason is not just "null". */
    private static String messageOf(Throwable error) {
        if (error instanceof UploadRejectedException || error instanceof ReplicateProblem
                || error instanceof ReplicateUnreachable) {
            return error.getMessage();
        }
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }
}
