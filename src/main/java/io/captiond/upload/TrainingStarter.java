package io.captiond.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.Folders;
import io.captiond.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * From a packaged zip to a running Replicate training (protocols.md §3.3, §3.5): pre-flight check,
 * files API upload, destination model, trainer version and its schema, then the training. Each
 * step's result is saved before the next request, so a restart continues instead of repeating: an
 * uploaded file is not uploaded again, and a training whose creation had an unknown outcome is
 * looked up before anything is posted again.
 */
@Component("trainingStarter")
public class TrainingStarter {

    private static final Logger log = LoggerFactory.getLogger(TrainingStarter.class);

    private final ReplicateApi api;
    private final UploadStore store;
    private final Folders folders;
    private final CaptiondProperties.Upload settings;
    private final Pauses pauses;

    public TrainingStarter(ReplicateApi api, UploadStore store, Folders folders, CaptiondProperties props, Pauses pauses) {
        this.api = api;
        this.store = store;
        this.folders = folders;
        this.settings = props.upload();
        this.pauses = pauses;
    }

    public UploadState start(UploadState state) throws IOException {
        if (state.startedATraining()) {
            return state; // a restart while it was training: only the polling is left
        }
        Path zip = state.fileUrl == null ? zipToSend(state) : null;
        ZipPreflight.Result checked = zip == null ? null : preflight(state, zip); // no request for a refused zip
        TrainerRef trainer = TrainerRef.parse(state.trainer);
        TrainerRef.destination(state.destination);
        VersionedSchema schema = trainerSchema(trainer);
        trainer = trainer.withVersion(schema.versionId());
        if (checked != null) { // clips only for a trainer that takes them: refused before the upload
            checked.requireTrainerFor(trainer.model(), settings.trainerTakesVideo() != null ? settings.trainerTakesVideo()
                    : schema.schema().takesVideo());
        }
        Map<String, Object> options = SecretOptions.revealed(state.options, state.secrets);
        if (schema.schema().known() && schema.schema().accepts("lora_type") && !options.containsKey("lora_type")) {
            options.put("lora_type", "style".equals(state.captionStyle) ? "style" : "subject");
        }
        schema.schema().input("(checked before uploading)", state.trigger, options); // options refused cost no upload
        if (state.fileUrl == null) {
            upload(state, checked, zip);
        }
        Map<String, Object> input = schema.schema().input(state.fileUrl, state.trigger, options);
        state.trainer = trainer.toString();
        Map<String, Object> sent = new LinkedHashMap<>(input);
        sent.keySet().removeAll(java.util.List.of(schema.schema().zipInput(), "trigger_word"));
        state.options = SecretOptions.masked(sent); // what the training gets, as it may be written down
        ensureDestination(state);
        createTraining(state, trainer, input);
        return state;
    }

    /**
     * The round's snapshot taken at hand-over; without one (a state written by an older version) the
     * outbox zip, if it is still this round's.
     */
    private Path zipToSend(UploadState state) throws IOException {
        Optional<Path> snapshot = store.snapshotOf(state);
        if (snapshot.isPresent()) {
            return snapshot.get();
        }
        Path zip = folders.zip(state.trigger);
        String current = Files.exists(folders.manifest(state.trigger))
                ? Json.MAPPER.readTree(folders.manifest(state.trigger).toFile()).path("contentSha256").asText() : "";
        if (!Files.exists(zip) || !current.equals(state.contentSha256)) {
            throw new UploadRejectedException("the zip of this round was replaced or removed before it was uploaded "
                    + "(a newer round is handled on its own)");
        }
        return zip;
    }

    /** The trainer will accept the zip. */
    private ZipPreflight.Result preflight(UploadState state, Path zip) throws IOException {
        ZipPreflight.Result checked = ZipPreflight.check(zip, settings.maxZipSize());
        state.warnings = checked.warnings().isEmpty() ? null : checked.warnings();
        checked.warnings().forEach(w -> log.warn("Dataset '{}': {}", state.dataset, w));
        return checked;
    }

    private void upload(UploadState state, ZipPreflight.Result checked, Path zip) throws IOException {
        JsonNode file = api.uploadFile(zip);
        state.fileId = file.path("id").asText(null);
        state.fileUrl = file.path("urls").path("get").asText(null);
        if (state.fileUrl == null) {
            throw new ReplicateUnreachable("upload " + zip.getFileName() + ": Replicate's answer has no urls.get", null);
        }
        state.uploadedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        state.status = UploadState.UPLOADED;
        store.save(state);
        store.dropSnapshot(state);
        log.info("Uploaded {} ({} images, {} clips, {} KB) to Replicate as file {}", folders.zip(state.trigger).getFileName(),
                checked.images(), checked.videos(), state.zipBytes / 1024, state.fileId);
    }

    /** The version to train with (pinned, else the latest) and the inputs it accepts. */
    private VersionedSchema trainerSchema(TrainerRef trainer) {
        JsonNode version;
        if (trainer.version() != null) {
            version = api.get("trainer version " + trainer, "/models/" + trainer.model() + "/versions/" + trainer.version());
        } else {
            version = api.get("trainer " + trainer, "/models/" + trainer.model()).path("latest_version");
        }
        String id = version.path("id").asText(null);
        if (id == null) {
            throw new UploadRejectedException("trainer " + trainer + " has no version to train with");
        }
        TrainerSchema schema = TrainerSchema.of(trainer, version);
        if (!schema.known()) {
            log.warn("Trainer {} publishes no input schema; its options are sent unchecked", trainer.withVersion(id));
        }
        return new VersionedSchema(id, schema);
    }

    private record VersionedSchema(String versionId, TrainerSchema schema) {
    }

    /** GET the destination; on 404 create it (private unless configured); "already exists" → GET again. */
    private void ensureDestination(UploadState state) {
        TrainerRef destination = TrainerRef.destination(state.destination);
        String path = "/models/" + destination.model();
        try {
            api.get("destination model " + destination.model(), path);
            return;
        } catch (ReplicateProblem e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("owner", destination.owner());
        model.put("name", destination.name());
        model.put("visibility", state.visibility);
        model.put("hardware", state.hardware);
        model.put("description", "LoRA trained by captiond from dataset '" + state.dataset + "'");
        try {
            api.post("create destination model " + destination.model(), "/models", model);
            log.info("Created destination model {} ({}, hardware {})", destination.model(), state.visibility, state.hardware);
        } catch (ReplicateProblem e) {
            if (!e.permanent() || !e.detail().toLowerCase(java.util.Locale.ROOT).contains("already exists")) {
                throw e;
            }
            api.get("destination model " + destination.model(), path); // made meanwhile by someone else
        }
    }

    /**
     * Posts the training once. When the answer is lost (5xx, timeout) the training may exist anyway,
     * and a second one would be paid for: the recent trainings are searched for this destination and
     * this file first, and the request is repeated only when none is there.
     */
    private void createTraining(UploadState state, TrainerRef trainer, Map<String, Object> input) throws IOException {
        if (UploadState.CREATING.equals(state.status)) {
            Optional<JsonNode> found = findTraining(state); // a restart right after an earlier attempt
            if (found.isPresent()) {
                adopt(state, found.get(), "found after a restart");
                return;
            }
        }
        state.status = UploadState.CREATING;
        state.creationAttempted = true;
        store.save(state);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("destination", state.destination);
        body.put("input", input);
        if (state.webhook != null) {
            body.put("webhook", state.webhook);
            body.put("webhook_events_filter", java.util.List.of("start", "completed"));
        }
        String path = "/models/" + trainer.model() + "/versions/" + trainer.version() + "/trainings";
        for (int attempt = 1; ; attempt++) {
            try {
                adopt(state, api.post("create training on " + trainer.model(), path, body), "created");
                return;
            } catch (ReplicateUnreachable e) {
                log.warn("{}; looking for the training before trying again", e.getMessage());
                Optional<JsonNode> found = Optional.empty();
                for (int look = 1; look <= 3 && found.isEmpty(); look++) {
                    pauses.pause(settings.retryDelay().multipliedBy(look));
                    found = findTraining(state);
                }
                if (found.isPresent()) {
                    adopt(state, found.get(), "found after a lost answer");
                    return;
                }
                if (attempt >= settings.maxAttempts()) {
                    throw e;
                }
            }
        }
    }

    /** A training among the recent ones with this destination and this uploaded file. */
    private Optional<JsonNode> findTraining(UploadState state) {
        String page = "/trainings";
        for (int pages = 0; pages < 3 && page != null; pages++) {
            JsonNode list = api.get("list recent trainings", page);
            for (JsonNode t : list.path("results")) {
                if (state.destination.equals(t.path("destination").asText()) && sends(t.path("input"), state.fileUrl)) {
                    return Optional.of(t);
                }
            }
            page = list.path("next").isTextual() ? list.path("next").asText() : null;
        }
        return Optional.empty();
    }

    /** The training's input carries this uploaded file (in input_images, input_videos, whichever the trainer reads). */
    private static boolean sends(JsonNode input, String fileUrl) {
        for (JsonNode value : input) {
            if (value.isTextual() && value.asText().equals(fileUrl)) {
                return true;
            }
        }
        return false;
    }

    private void adopt(UploadState state, JsonNode training, String how) throws IOException {
        state.training = Training.from(training);
        state.status = UploadState.TRAINING;
        store.save(state);
        log.info("Training {} {} for dataset '{}': {}", state.training.id(), how, state.dataset, state.training.url());
    }
}
