package io.captiond.packaging;

import io.captiond.core.Dataset;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.LivePhotos;
import io.captiond.core.ManifestLock;
import io.captiond.core.RoundExtra;
import io.captiond.core.RoundExtras;
import io.captiond.core.Packaged;
import io.captiond.core.Quarantine;
import io.captiond.support.AtomicFiles;
import io.captiond.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes one round of a dataset: the zip of its members and their captions, then the manifest
 * (both under temporary names, then renamed), with the quarantined files and advice notes.
 */
@Component
public class RoundWriter {

    private static final Logger log = LoggerFactory.getLogger(RoundWriter.class);

    private final Folders folders;
    private final ManifestLock manifestLock;
    private final LivePhotos livePhotos;
    private final RoundExtras extras;

    public RoundWriter(Folders folders, ManifestLock manifestLock, LivePhotos livePhotos, RoundExtras extras) {
        this.extras = extras;
        this.livePhotos = livePhotos;
        this.folders = folders;
        this.manifestLock = manifestLock;
    }

    public Packaged write(Dataset dataset, List<ImageRecord> members, String triggerNote) throws IOException {
        long started = System.nanoTime();
        String trigger = dataset.trigger();
        Path zip = folders.zip(trigger);
        Path manifestFile = folders.manifest(trigger);
        refuseForeignZip(dataset, manifestFile);
        Path work = folders.work(dataset.name());
        List<ZipWriter.Entry> entries = new ArrayList<>();
        List<Manifest.Image> images = new ArrayList<>();
        long imageBytes = 0;
        int byUser = 0;
        List<ImageRecord> sorted = members.stream().sorted(Comparator.comparing(ImageRecord::output)).toList();
        for (ImageRecord r : sorted) {
            Path image = work.resolve(r.output());
            Path sidecar = work.resolve(r.sidecarName());
            entries.add(new ZipWriter.Entry(r.output(), image));
            entries.add(new ZipWriter.Entry(r.sidecarName(), sidecar));
            String caption = Files.readString(sidecar, StandardCharsets.UTF_8).strip();
            images.add(new Manifest.Image(r.sourceFile(), r.sourceFormat(), r.output(), r.format(), r.width(), r.height(),
                    Files.size(image), caption, r.captioner(), r.warnings(), r.alpha(), r.video()));
            imageBytes += Files.size(image);
            byUser += "user".equals(r.captioner()) ? 1 : 0;
        }
        // the old manifest goes first: a kill between the zip's rename and the new manifest then leaves a
        // zip without a manifest (not ready), never a new zip described by the old manifest
        Files.deleteIfExists(manifestFile);
        // the report and the chosen export formats (other packages, through core.RoundExtra)
        RoundExtra.Added added = extras.prepare(dataset, sorted);
        added.zipEntries().forEach(e -> entries.add(new ZipWriter.Entry(e.name(), e.file())));
        ZipWriter.Written written = ZipWriter.write(zip, entries);
        List<Manifest.Failed> failed = failedEntries(dataset.name());
        Manifest manifest = new Manifest(Manifest.FORMAT, dataset.name(), trigger, zip.getFileName().toString(),
                written.bytes(), written.contentSha256(), Instant.now(),
                new Manifest.Totals(images.size(), failed.size(), imageBytes, byUser, images.size() - byUser,
                        (int) sorted.stream().filter(r -> r.video() != null).count()),
                new Manifest.Timings(
                        sorted.stream().map(ImageRecord::normalisedAt).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null),
                        sorted.stream().map(ImageRecord::captionedAt).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null),
                        (System.nanoTime() - started) / 1_000_000),
                images, failed, notes(dataset.name(), images.size()), nullIfEmpty(livePhotos.all(dataset.name())),
                added.report(), added.files());
        manifestLock.write(dataset.name(), () -> AtomicFiles.write(manifestFile, out -> Json.MAPPER.writeValue(out, manifest)));
        log.info("Packaged dataset '{}': {} images ({} MB) -> {} ({} quarantined)", dataset.name(), images.size(),
                imageBytes / (1024 * 1024), zip, failed.size());
        return new Packaged(dataset.name(), trigger, zip, manifestFile, written.contentSha256(), images.size(),
                triggerNote);
    }

    /**
     * Two datasets with one trigger word would overwrite each other's zip: the second is refused.
     */
    private static void refuseForeignZip(Dataset dataset, Path manifestFile) throws IOException {
        if (Files.exists(manifestFile)) {
            String owner = Json.MAPPER.readTree(manifestFile.toFile()).path("dataset").asText(null);
            if (owner != null && !owner.equals(dataset.name())) {
                throw new IllegalStateException("trigger word '" + dataset.trigger() + "' already names the zip of dataset '"
                        + owner + "' in the outbox; give dataset '" + dataset.name() + "' its own trigger in dataset.yaml");
            }
        }
    }

    private List<Manifest.Failed> failedEntries(String dataset) throws IOException {
        Path dir = folders.failed(dataset);
        List<Manifest.Failed> failed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return failed;
        }
        try (DirectoryStream<Path> reasons = Files.newDirectoryStream(dir, "*" + Quarantine.REASON_SUFFIX)) {
            for (Path reason : reasons) {
                Map<String, String> fields = new HashMap<>();
                for (String line : Files.readAllLines(reason, StandardCharsets.UTF_8)) {
                    int colon = line.indexOf(": ");
                    if (colon > 0) {
                        fields.putIfAbsent(line.substring(0, colon), line.substring(colon + 2));
                    }
                }
                String file = reason.getFileName().toString();
                // "file:" names it: a reason file of a very long name is shortened (Quarantine.reasonFileName)
                failed.add(new Manifest.Failed(fields.getOrDefault("file", file.substring(0, file.length() - Quarantine.REASON_SUFFIX.length())),
                        fields.get("stage"), fields.get("reason")));
            }
        }
        failed.sort(Comparator.comparing(Manifest.Failed::file));
        return failed;
    }

    private List<String> notes(String dataset, int images) {
        List<String> notes = new ArrayList<>();
        if (images < 10) {
            notes.add("only " + images + " image(s): trainers recommend at least 10 (Replicate requires 2)");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folders.inbox(dataset))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && !name.startsWith(".") && !name.startsWith("@") && !name.startsWith("#")) {
                    notes.add("folder '" + name + "' inside the dataset was not read: put images directly in inbox/"
                            + dataset + "/");
                }
            }
        } catch (IOException e) {
            // the notes are advice; a listing failure must not stop packaging
        }
        return notes;
    }

    private static <T> List<T> nullIfEmpty(List<T> list) {
        return list.isEmpty() ? null : list;
    }
}
