package io.captiond.upload;

import io.captiond.config.CaptiondProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Polls a training until it ends ({@code succeeded}, {@code failed}, {@code canceled}, {@code aborted}),
 * from captiond.upload.poll-interval growing to poll-max-interval: trainings take minutes to hours,
 * and GETs count toward Replicate's rate limit. Every change of state reaches the manifest; a
 * training that ends other than succeeded also writes failed/&lt;dataset&gt;/UPLOAD_ERROR.txt.
 */
@Component("trainingFollower")
public class TrainingFollower {

    private static final Logger log = LoggerFactory.getLogger(TrainingFollower.class);

    private final ReplicateApi api;
    private final UploadStore store;
    private final UploadTracker tracker;
    private final CaptiondProperties.Upload settings;

    public TrainingFollower(ReplicateApi api, UploadStore store, UploadTracker tracker, CaptiondProperties props) {
        this.api = api;
        this.store = store;
        this.tracker = tracker;
        this.settings = props.upload();
    }

    public UploadState follow(UploadState state) throws IOException {
        Duration interval = settings.pollInterval();
        String id = state.training.id();
        while (!state.training.finished()) {
            tracker.pause(interval);
            interval = min(Duration.ofMillis((long) (interval.toMillis() * 1.5)), settings.pollMaxInterval());
            Training now;
            try {
                now = Training.from(api.get("training " + id, "/trainings/" + id));
            } catch (ReplicateUnreachable | ReplicateProblem e) {
                if (e instanceof ReplicateProblem problem && (problem.status() == 401 || problem.status() == 403)) {
                    throw problem; // the token no longer works: asking again gives the same answer
                }
                // the training goes on at Replicate whatever happens to this request (a throttle, a
                // passing 404 or 5xx): keep asking, or the manifest would say error while it runs on
                log.warn("{}; asking again in {} s", e.getMessage(), settings.pollMaxInterval().toSeconds());
                interval = settings.pollMaxInterval();
                continue;
            }
            if (!Objects.equals(now.status(), state.training.status())) {
                log.info("Training {} of dataset '{}': {}", id, state.dataset, now.status());
            }
            boolean changed = !now.equals(state.training);
            state.training = now.url() == null ? now.withUrl(state.training.url()) : now;
            if (changed) {
                store.save(state);
            }
        }
        state.status = state.training.status();
        if ("succeeded".equals(state.status)) {
            store.clearError(state.dataset);
        } else {
            state.error = "training " + state.status + (state.training.error() != null ? ": " + state.training.error() : "");
            store.writeError(state, "The training ran on Replicate and did not succeed; its logs are at the URL above. "
                    + "This content is not trained again by itself: change the dataset (or its options) and drop "
                    + "trigger.done again.");
        }
        store.save(state);
        tracker.release(state.key());
        return state;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
