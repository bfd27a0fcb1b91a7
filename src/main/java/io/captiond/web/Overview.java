package io.captiond.web;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.Dataset;
import io.captiond.core.DatasetScan;
import io.captiond.core.DatasetStatus;
import io.captiond.core.Datasets;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.Quarantine;
import io.captiond.support.Json;
import io.captiond.upload.UploadState;
import io.captiond.upload.UploadStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * Every dataset's state, read from the folders each time (the folders are the truth; nothing is
 * cached here). The ETA assumes the caption queue is worked through dataset by dataset in name order,
 * at the rate the provider delivers now (its limit, concurrency and measured latency) plus any pause.
 */
@Component
public class Overview {

    private final DatasetScan scan;
    private final Datasets datasets;
    private final Folders folders;
    private final ProviderState provider;
    private final UploadStore uploads;
    private final CaptiondProperties props;

    public Overview(DatasetScan scan, Datasets datasets, Folders folders, ProviderState provider, UploadStore uploads,
            CaptiondProperties props) {
        this.scan = scan;
        this.datasets = datasets;
        this.folders = folders;
        this.provider = provider;
        this.uploads = uploads;
        this.props = props;
    }

    public List<DatasetSummary> all() {
        ProviderState.Snapshot now = provider.now();
        List<UploadState> states = uploads.all();
        List<DatasetSummary> summaries = new ArrayList<>();
        int ahead = 0;
        for (String name : scan.datasetNames()) {
            DatasetStatus status = scan.status(name);
            int pending = status.waiting().size() + status.uncaptioned().size();
            summaries.add(summary(name, status, eta(ahead, pending, now), states));
            ahead += pending;
        }
        return summaries;
    }

    public DatasetSummary one(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> DatasetFolders.notFound("no dataset named '" + name + "'"));
    }

    private DatasetSummary summary(String name, DatasetStatus status, Long eta, List<UploadState> states) {
        Dataset dataset = datasets.get(name);
        int captioned = status.members().size();
        var counts = new DatasetSummary.Counts(status.waiting().size(), captioned + status.uncaptioned().size(), captioned,
                quarantined(name));
        UploadState upload = states.stream().filter(s -> name.equals(s.dataset))
                .max(Comparator.comparing(s -> s.updatedAt == null ? Instant.EPOCH : s.updatedAt)).orElse(null);
        return new DatasetSummary(name, dataset.trigger(), state(dataset, status, upload), counts, eta,
                dataset.problem(), upload == null ? null : trainingLine(upload));
    }

    private String state(Dataset dataset, DatasetStatus status, UploadState upload) {
        if (!dataset.usable()) {
            return "stopped";
        }
        if (Files.exists(folders.claimedTrigger(dataset.name()))) {
            return "packaging";
        }
        if (!status.waiting().isEmpty()) {
            return arriving(status.waiting()) ? "arriving" : "normalising";
        }
        if (!status.uncaptioned().isEmpty()) {
            return "captioning";
        }
        if (status.triggered()) {
            return status.members().isEmpty() ? "empty" : "packaging";
        }
        if (status.members().isEmpty()) {
            return "empty";
        }
        if (upload != null && !upload.ended() && packagedSinceLastCaption(dataset, status.members())) {
            return UploadState.TRAINING.equals(upload.status) ? "training" : "uploading";
        }
        return packagedSinceLastCaption(dataset, status.members()) ? "done" : "captioned";
    }

    /** A file changed within the quiet period is still being written; older ones wait for normalise. */
    private boolean arriving(List<Path> waiting) {
        long quiet = props.watch().quietPeriod().toMillis();
        long now = System.currentTimeMillis();
        for (Path file : waiting) {
            try {
                if (now - Files.getLastModifiedTime(file).toMillis() < 2 * quiet) {
                    return true;
                }
            } catch (IOException e) {
                // taken by normalise meanwhile
            }
        }
        return false;
    }

    /** This dataset's zip is in the outbox and no caption changed after it was written. */
    private boolean packagedSinceLastCaption(Dataset dataset, List<ImageRecord> members) {
        Path manifest = folders.manifest(dataset.trigger());
        try {
            if (!Files.isRegularFile(manifest)
                    || !dataset.name().equals(Json.MAPPER.readTree(manifest.toFile()).path("dataset").asText(null))) {
                return false;
            }
            Instant written = Files.getLastModifiedTime(manifest).toInstant();
            return members.stream().map(ImageRecord::captionedAt).filter(Objects::nonNull).noneMatch(written::isBefore);
        } catch (IOException e) {
            return false;
        }
    }

    private int quarantined(String name) {
        Path dir = folders.failed(name);
        if (!Files.isDirectory(dir) || Files.isSymbolicLink(dir)) {
            return 0;
        }
        int count = 0;
        try (DirectoryStream<Path> reasons = Files.newDirectoryStream(dir, "*" + Quarantine.REASON_SUFFIX)) {
            for (Path ignored : reasons) {
                count++;
            }
        } catch (IOException e) {
            return 0;
        }
        return count;
    }

    private static String trainingLine(UploadState upload) {
        StringBuilder line = new StringBuilder(upload.status == null ? "queued" : upload.status);
        if (upload.training != null && upload.training.url() != null) {
            line.append(" — ").append(upload.training.url());
        }
        if (upload.training != null && upload.training.weights() != null) {
            line.append(" — weights: ").append(upload.training.weights());
        }
        if (upload.error != null) {
            line.append(" — ").append(upload.error);
        }
        return line.toString();
    }

    private static Long eta(int ahead, int pending, ProviderState.Snapshot now) {
        if (pending == 0) {
            return 0L;
        }
        Double perSecond = now.throughput();
        if (perSecond == null || perSecond <= 0) {
            return null;
        }
        long pause = now.pausedUntil() == null ? 0 : Math.max(0, now.pausedUntil().getEpochSecond() - Instant.now().getEpochSecond());
        return pause + (long) Math.ceil((ahead + pending) / perSecond);
    }
}
