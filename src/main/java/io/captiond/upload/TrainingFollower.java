package io.captiond.upload;

import io.captiond.config.CaptiondProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Polls trainings until they end ({@code succeeded}, {@code failed}, {@code canceled}, {@code aborted}),
 * each from captiond.upload.poll-interval growing to poll-max-interval: trainings take minutes to hours,
 * and GETs count toward Replicate's rate limit. The upload route only hands a started training over
 * ({@link #follow}); the training-poll timer route asks about the ones that are due ({@link #pollDue}),
 * so a training that runs for an hour holds no upload worker. Every change of state reaches the
 * manifest; a training that ends other than succeeded also writes failed/&lt;dataset&gt;/UPLOAD_ERROR.txt.
 */
@Component("trainingFollower")
public class TrainingFollower {

    private static final Logger log = LoggerFactory.getLogger(TrainingFollower.class);

    private final ReplicateApi api;
    private final UploadStore store;
    private final UploadTracker tracker;
    private final UploadFailures failures;
    private final CaptiondProperties.Upload settings;
    private final Map<String, Followed> followed = new ConcurrentHashMap<>();

    public TrainingFollower(ReplicateApi api, UploadStore store, UploadTracker tracker, UploadFailures failures,
            CaptiondProperties props) {
        this.api = api;
        this.store = store;
        this.tracker = tracker;
        this.failures = failures;
        this.settings = props.upload();
    }

    /** A training being followed, and when it is next asked about. */
    private static final class Followed {
        final UploadState state;
        Duration interval;
        long dueAt;

        Followed(UploadState state, Duration interval) {
            this.state = state;
            this.interval = interval;
            this.dueAt = System.nanoTime() + interval.toNanos();
        }
    }

    /** The upload route's last step: from now on the training-poll route follows this training. */
    public UploadState follow(UploadState state) {
        followed.put(state.key(), new Followed(state, settings.pollInterval()));
        return state;
    }

    /** Whether this process still follows the training of this upload ({@link UploadState#key()}). */
    public boolean following(String key) {
        return followed.containsKey(key);
    }

    /** One GET for each training that is due; the trainings that ended now, for the route's log line. */
    public List<UploadState> pollDue() {
        List<UploadState> ended = new ArrayList<>();
        for (Followed f : List.copyOf(followed.values())) {
            if (tracker.stopping()) {
                break; // a stop: the state files let the next start resume the polling
            }
            if (System.nanoTime() - f.dueAt < 0) {
                continue;
            }
            try {
                if (poll(f)) {
                    followed.remove(f.state.key());
                    ended.add(end(f.state));
                } else {
                    f.dueAt = System.nanoTime() + f.interval.toNanos();
                }
            } catch (Exception e) {
                followed.remove(f.state.key());
                try {
                    failures.failed(f.state, e);
                } catch (IOException | RuntimeException notWritten) {
                    log.error("Could not record the failed upload of '{}': {}", f.state.dataset, notWritten.toString());
                }
            }
        }
        return ended;
    }

    /** Asks once; true when the training has ended. */
    private boolean poll(Followed f) throws IOException {
        UploadState state = f.state;
        String id = state.training.id();
        if (state.training.finished()) {
            return true;
        }
        f.interval = min(Duration.ofMillis((long) (f.interval.toMillis() * 1.5)), settings.pollMaxInterval());
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
            f.interval = settings.pollMaxInterval();
            return false;
        }
        if (!Objects.equals(now.status(), state.training.status())) {
            log.info("Training {} of dataset '{}': {}", id, state.dataset, now.status());
        }
        boolean changed = !now.equals(state.training);
        state.training = now.url() == null ? now.withUrl(state.training.url()) : now;
        if (changed) {
            store.save(state);
        }
        return state.training.finished();
    }

    private UploadState end(UploadState state) throws IOException {
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
