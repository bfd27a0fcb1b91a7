package io.captiond.upload;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.Dataset;
import io.captiond.core.Datasets;
import io.captiond.core.Packaged;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides which packaged rounds go on to Replicate, and hands the upload route its work: a new
 * round when uploading is wanted for it, and, at start-up, every upload a previous run left
 * unfinished. The zip's content digest is the key: content that already started a training never
 * starts another, a round with changed content may.
 */
@Component("uploadRequests")
public class UploadRequests {

    private static final Logger log = LoggerFactory.getLogger(UploadRequests.class);

    private final CaptiondProperties props;
    private final Datasets datasets;
    private final UploadStore store;
    private final UploadTracker tracker;

    public UploadRequests(CaptiondProperties props, Datasets datasets, UploadStore store, UploadTracker tracker) {
        this.props = props;
        this.datasets = datasets;
        this.store = store;
        this.tracker = tracker;
    }

    /** The package route's hand-over: the upload to carry out for this round, or null when there is none. */
    public UploadState forPackaged(Packaged packaged) throws IOException {
        UploadState state = new UploadState();
        state.dataset = packaged.dataset();
        state.trigger = packaged.trigger();
        state.contentSha256 = packaged.contentSha256();
        state.zipBytes = java.nio.file.Files.size(packaged.zip());
        state.requestedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Dataset dataset = datasets.get(packaged.dataset());
        UploadWishes wishes;
        try {
            wishes = daemonWishes()
                    .then(UploadWishes.of(dataset.settings().upload(), "dataset.yaml"))
                    .then(UploadWishes.ofTriggerNote(packaged.triggerNote()));
        } catch (UploadRejectedException e) {
            return rejected(state, e.getMessage());
        }
        if (!Boolean.TRUE.equals(wishes.enabled())) {
            return null;
        }
        Optional<UploadState> earlier;
        try {
            earlier = store.load(state.dataset, state.contentSha256);
        } catch (UncheckedIOException damaged) {
            // a training may or may not exist for this content: never guess (a second one costs money)
            return rejected(state, damaged.getMessage() + ": it may record a training already started; delete it "
                    + "to upload this content again");
        }
        if (earlier.isPresent() && earlier.get().creationAttempted && !earlier.get().startedATraining()) {
            // an earlier round posted this content's training and never heard back: it may exist, so
            // this round looks it up first (TrainingStarter) and posts only when it is not there
            earlier.get().status = UploadState.CREATING;
            earlier.get().error = null;
        }
        if (earlier.isPresent() && (earlier.get().startedATraining() || !earlier.get().ended())) {
            UploadState again = again(earlier.get());
            if (again != null && again.fileUrl == null) {
                store.snapshot(again, packaged.zip()); // the same content, not sent yet
            }
            return again;
        }
        if (!tracker.claim(state.key())) {
            return null;
        }
        var upload = props.upload();
        state.destination = wishes.destination();
        state.trainer = wishes.trainer();
        state.hardware = upload.hardware();
        state.visibility = upload.visibility();
        state.webhook = upload.webhook() == null ? null : upload.webhook().toString();
        state.options = SecretOptions.masked(wishes.options());
        state.secrets = SecretOptions.secrets(wishes.options());
        state.captionStyle = dataset.settings().style() != null ? dataset.settings().style() : props.caption().style();
        state.status = UploadState.QUEUED;
        if (state.destination == null || state.destination.isBlank()) {
            tracker.release(state.key());
            return rejected(state, "no destination model: set captiond.upload.destination (owner/name, the model that "
                    + "receives the trained version), or 'destination' under 'upload' in dataset.yaml");
        }
        try {
            store.save(state);
            store.snapshot(state, packaged.zip());
        } catch (IOException | RuntimeException e) {
            tracker.release(state.key()); // not handed over: once mode must not wait for it
            throw e;
        }
        log.info("Dataset '{}' goes to Replicate: trainer {}, destination {}", state.dataset, state.trainer,
                state.destination);
        return state;
    }

    /** Start-up: uploads and trainings an earlier run left unfinished, resumed where they stood. */
    public List<UploadState> unfinished() {
        List<UploadState> resumed = new ArrayList<>();
        for (UploadState state : store.all()) {
            if (!state.ended() && tracker.claim(state.key())) {
                state.secrets = secretsNow(state.dataset);
                log.info("Resuming the upload of '{}' ({}{})", state.dataset, state.status,
                        state.startedATraining() ? ", training " + state.training.id() : "");
                resumed.add(state);
            }
        }
        return resumed;
    }

    /** This exact content was seen before: never a second training for it. */
    private UploadState again(UploadState earlier) throws IOException {
        if (!earlier.ended()) {
            if (!tracker.claim(earlier.key())) {
                return null; // this process follows it already
            }
            earlier.secrets = secretsNow(earlier.dataset);
            return earlier; // unfinished: carry on from where it stands
        }
        store.save(earlier); // the new round's manifest shows the earlier result
        log.info("Dataset '{}': this exact content was already trained (training {}, {}); not training it again. "
                + "Change the dataset to train a new round.", earlier.dataset, earlier.training.id(),
                earlier.training.status());
        return null;
    }

    /** Secret options are not on disk: after a restart they come from the configuration and dataset.yaml again. */
    private java.util.Map<String, Object> secretsNow(String dataset) {
        try {
            return SecretOptions.secrets(daemonWishes()
                    .then(UploadWishes.of(datasets.get(dataset).settings().upload(), "dataset.yaml")).options());
        } catch (UploadRejectedException e) {
            return java.util.Map.of();
        }
    }

    private UploadWishes daemonWishes() {
        var upload = props.upload();
        return new UploadWishes(upload.enabled(), upload.destination(), upload.trainer(),
                new LinkedHashMap<>(upload.options()));
    }

    private UploadState rejected(UploadState state, String why) throws IOException {
        state.status = UploadState.REJECTED;
        state.error = why;
        store.save(state);
        store.writeError(state, "Nothing was uploaded. Fix the setting, then drop trigger.done again.");
        log.error("Upload of dataset '{}' refused: {}", state.dataset, why);
        return null;
    }
}
