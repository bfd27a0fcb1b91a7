package io.captiond.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captiond.core.Folders;
import io.captiond.core.ManifestLock;
import io.captiond.support.AtomicFiles;
import io.captiond.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps each upload's state on disk, one file per packaged zip digest, and mirrors it into the
 * manifest's {@code "upload"} object (only while the manifest still describes that zip: a newer
 * round's manifest is never overwritten with an older training). The state file outlives
 * re-packaging, which is what lets the same content never start a second training.
 */
@Component
public class UploadStore {

    public static final String ERROR_FILE = "UPLOAD_ERROR.txt";
    private static final Logger log = LoggerFactory.getLogger(UploadStore.class);

    private final Folders folders;
    private final ManifestLock manifestLock;

    public UploadStore(Folders folders, ManifestLock manifestLock) {
        this.folders = folders;
        this.manifestLock = manifestLock;
    }

    Path stateFile(String dataset, String contentSha256) {
        return folders.records(dataset).resolveSibling("uploads").resolve(contentSha256 + ".json");
    }

    /**
     * The zip an upload sends, fixed when its round is handed over: a newer round cannot change it.
     * In a folder of its own so that it keeps the zip's name (Replicate shows it as the file's name).
     */
    Path snapshotFile(UploadState state) {
        return stateFile(state.dataset, state.contentSha256).resolveSibling(state.contentSha256)
                .resolve(folders.zip(state.trigger).getFileName());
    }

    /**
     * Fixes the zip of {@code state}'s round before the next round can replace it in outbox/: a hard
     * link (no copy, the renamed-over zip lives on in it), or a copy where outbox/ and work/ are on
     * different file systems.
     */
    public void snapshot(UploadState state, Path zip) throws IOException {
        Path snapshot = snapshotFile(state);
        Files.createDirectories(snapshot.getParent());
        Files.deleteIfExists(snapshot);
        try {
            Files.createLink(snapshot, zip);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            Path temp = AtomicFiles.temporarySibling(snapshot);
            try {
                Files.copy(zip, temp);
                AtomicFiles.moveIntoPlace(temp, snapshot);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** The snapshot of this upload's zip, while it has not been sent. */
    public Optional<Path> snapshotOf(UploadState state) {
        Path snapshot = snapshotFile(state);
        return Files.isRegularFile(snapshot) ? Optional.of(snapshot) : Optional.empty();
    }

    /** Sent, or never to be sent: the snapshot goes. */
    public void dropSnapshot(UploadState state) throws IOException {
        Path snapshot = snapshotFile(state);
        Files.deleteIfExists(snapshot);
        Files.deleteIfExists(snapshot.getParent());
    }

    public Optional<UploadState> load(String dataset, String contentSha256) {
        Path file = stateFile(dataset, contentSha256);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), UploadState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload state " + file, e);
        }
    }

    /** Every upload recorded under work/, for the resume at start-up. */
    public List<UploadState> all() {
        List<UploadState> states = new ArrayList<>();
        if (!Files.isDirectory(folders.work())) {
            return states;
        }
        try (DirectoryStream<Path> datasets = Files.newDirectoryStream(folders.work(), Files::isDirectory)) {
            for (Path dataset : datasets) {
                Path dir = stateFile(dataset.getFileName().toString(), "x").getParent();
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                    for (Path file : files) {
                        try {
                            states.add(Json.MAPPER.readValue(file.toFile(), UploadState.class));
                        } catch (IOException e) {
                            // one damaged state file must not stop the others from resuming
                            log.warn("Skipping the unreadable upload state {}: {}", file, e.getMessage());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the upload states under " + folders.work(), e);
        }
        return states;
    }

    /** Writes the state file, then the manifest's copy; both atomically. */
    public synchronized void save(UploadState state) throws IOException {
        state.updatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Path file = stateFile(state.dataset, state.contentSha256);
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, out -> Json.MAPPER.writeValue(out, state));
        Path manifest = folders.manifest(state.trigger);
        manifestLock.write(state.dataset, () -> {
            if (!Files.exists(manifest)) {
                return;
            }
            JsonNode tree = Json.MAPPER.readTree(manifest.toFile());
            if (tree instanceof ObjectNode && state.contentSha256.equals(tree.path("contentSha256").asText())) {
                ObjectNode upload = Json.MAPPER.valueToTree(state);
                upload.remove(List.of("dataset", "trigger", "contentSha256", "zipBytes"));
                ((ObjectNode) tree).set("upload", upload);
                AtomicFiles.write(manifest, out -> Json.MAPPER.writeValue(out, tree));
            }
        });
    }

    /**
     * A newer view of a training (from a webhook) reaches its state and manifest, unless the upload
     * already ended: a late delivery must not turn a finished training back into a running one.
     * False when no upload has this training.
     */
    public synchronized boolean updateTraining(Training training) throws IOException {
        for (UploadState state : all()) {
            if (state.training != null && training.id() != null && training.id().equals(state.training.id())) {
                if (!state.ended() && !state.training.finished()) {
                    state.training = training.url() == null ? training.withUrl(state.training.url()) : training;
                    save(state);
                }
                return true;
            }
        }
        return false;
    }

    /** {@code failed/<dataset>/UPLOAD_ERROR.txt}: why this round was not trained, and what to do. */
    public void writeError(UploadState state, String advice) throws IOException {
        Path file = folders.failed(state.dataset).resolve(ERROR_FILE);
        Files.createDirectories(file.getParent());
        StringBuilder text = new StringBuilder()
                .append("stage: upload\n")
                .append("reason: ").append(state.error).append('\n')
                .append("time: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n')
                .append("zip: ").append(folders.zip(state.trigger).getFileName()).append('\n')
                .append("contentSha256: ").append(state.contentSha256).append('\n');
        if (state.training != null && state.training.id() != null) {
            text.append("training: ").append(state.training.id()).append(' ').append(state.training.url()).append('\n');
        }
        text.append('\n').append(advice).append('\n');
        AtomicFiles.writeString(file, text.toString());
    }

    /** A round that trained removes the error file of an earlier one. */
    public void clearError(String dataset) throws IOException {
        Files.deleteIfExists(folders.failed(dataset).resolve(ERROR_FILE));
    }
}
