package io.captiond.caption.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.caption.CaptionRequest;
import io.captiond.support.AtomicFiles;
import io.captiond.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicate predictions created and not yet finished, one small file per member under
 * {@code work/<dataset>/.captiond/predictions/<output>.json}: written before the first poll, so a
 * restart polls the prediction it already paid for instead of creating another; removed once the
 * prediction ended (or was cancelled). A prediction made for an earlier copy of the member (the
 * photo was dropped again) is not resumed.
 */
public class ReplicatePredictions {

    private static final Logger log = LoggerFactory.getLogger(ReplicatePredictions.class);

    /** One created prediction: its id, where to poll it and cancel it, and which member copy it describes. */
    public record Pending(String id, String get, String cancel, Instant normalisedAt) {
    }

    private final Function<String, Path> folderOf;

    /** @param folderOf the dataset's state folder ({@code work/<dataset>/.captiond}) */
    public ReplicatePredictions(Function<String, Path> folderOf) {
        this.folderOf = folderOf;
    }

    public Optional<Pending> find(CaptionRequest request) {
        Path file = file(request);
        if (file == null || !Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Pending pending = Json.MAPPER.readValue(file.toFile(), Pending.class);
            if (pending.id() == null || !Objects.equals(pending.normalisedAt(), request.record().normalisedAt())) {
                forget(request);
                return Optional.empty();
            }
            return Optional.of(pending);
        } catch (IOException e) {
            log.warn("Ignoring the unreadable prediction file {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    public void remember(CaptionRequest request, JsonNode prediction) throws IOException {
        Path file = file(request);
        if (file == null) {
            return;
        }
        Pending pending = new Pending(prediction.path("id").asText(), prediction.path("urls").path("get").asText(""),
                prediction.path("urls").path("cancel").asText(""), request.record().normalisedAt());
        Files.createDirectories(file.getParent());
        AtomicFiles.writeString(file, Json.MAPPER.writeValueAsString(pending));
    }

    public void forget(CaptionRequest request) {
        Path file = file(request);
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", file, e.toString());
        }
    }

    /** Null for a request that is not a dataset member (contract tests call the captioner directly). */
    private Path file(CaptionRequest request) {
        if (request.record() == null || request.dataset() == null) {
            return null;
        }
        return folderOf.apply(request.dataset().name()).resolve("predictions").resolve(request.record().output() + ".json");
    }
}
