package io.captiond.packaging;

import io.captiond.core.DatasetStatus;

import io.captiond.core.Packaged;
import io.captiond.core.DatasetScan;

import io.captiond.core.CaptionRules;
import io.captiond.core.CaptioningStatus;
import io.captiond.core.CaptionText;
import io.captiond.core.Dataset;
import io.captiond.core.Datasets;
import io.captiond.core.EnvironmentFaults;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.core.Quarantine;
import io.captiond.support.AtomicFiles;
import io.captiond.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The package stage. Called for every {@code trigger.done} the package route sees; it packages only
 * once the dataset has nothing pending, so a trigger that arrives before its images simply waits.
 * Then: late user captions are applied, the trigger is claimed (so a new trigger.done dropped
 * meanwhile starts the next round), the zip and then the manifest are written under temporary names
 * and renamed, and the claimed trigger is removed.
 */
@Component("packager")
public class DatasetPackager {

    private static final Logger log = LoggerFactory.getLogger(DatasetPackager.class);

    private final Folders folders;
    private final Datasets datasets;
    private final ImageRecords records;
    private final DatasetScan scan;
    private final CaptionRules captions;
    private final CaptioningStatus captioning;
    private final Quarantine quarantine;
    private final EnvironmentFaults faults;
    private final Map<String, String> lastWaitMessage = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    /** After a failed attempt the dataset is not tried again for a while, so an error is not logged every poll. */
    private final Map<String, Long> retryNotBefore = new ConcurrentHashMap<>();
    static final long RETRY_AFTER_FAILURE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    public DatasetPackager(Folders folders, Datasets datasets, ImageRecords records, DatasetScan scan,
            CaptionRules captions, CaptioningStatus captioning, Quarantine quarantine, EnvironmentFaults faults) {
        this.faults = faults;
        this.folders = folders;
        this.datasets = datasets;
        this.records = records;
        this.scan = scan;
        this.captions = captions;
        this.captioning = captioning;
        this.quarantine = quarantine;
    }

    /** Packages the dataset of {@code triggerPath} if it is ready; null when it must wait. */
    public Packaged packageIfReady(@Header("CamelFileAbsolutePath") String triggerPath) throws IOException {
        String name = folders.datasetOf(Path.of(triggerPath));
        DatasetStatus status = scan.status(name);
        if (!status.usable() || !status.triggered()) {
            return null;
        }
        Long notBefore = retryNotBefore.get(name);
        if (notBefore != null && System.nanoTime() - notBefore < 0) {
            return null;
        }
        if (status.hasPendingWork()) {
            waiting(name, status.waiting().size() + " file(s) still arriving or being normalised, "
                    + status.uncaptioned().size() + " image(s) waiting for a caption"
                    + (status.uncaptioned().isEmpty() ? "" : captioning.pauseNotice())
                    + (faults.paused() ? " (paused: " + faults.summary() + ")" : ""));
            return null;
        }
        Dataset dataset = datasets.get(name);
        applyCompanions(dataset, status.members());
        if (status.members().isEmpty()) {
            waiting(name, "trigger.done is there but the dataset has no images yet");
            return null;
        }
        lastWaitMessage.remove(name);
        Path claimed = claimTrigger(name);
        try {
            Packaged packaged = write(dataset, scan.status(name).members(), readNote(claimed));
            // the claimed trigger stays until roundDone: a crash before the round is handed on (to the
            // upload stage) puts it back at the restart, and the round is packaged and handed on again
            failures.remove(name);
            retryNotBefore.remove(name);
            return packaged;
        } catch (IOException | RuntimeException e) {
            boolean again = e.toString().equals(failures.put(name, e.toString()));
            retryNotBefore.put(name, System.nanoTime() + RETRY_AFTER_FAILURE_NANOS);
            if (faults.report(folders.outbox(), e) || again) { // a full outbox/ is on /actuator/health; said once
                log.debug("Packaging dataset '{}' failed again (trying again in a minute): {}", name, e.toString());
            } else {
                log.error("Packaging dataset '{}' failed (trying again in a minute): {}", name, e.toString(),
                        e instanceof IllegalStateException ? null : e);
            }
            restoreTrigger(name, claimed);
            return null;
        }
    }

    /** The round is written and handed on: its claimed trigger is consumed. */
    public void roundDone(Packaged packaged) throws IOException {
        Files.deleteIfExists(folders.claimedTrigger(packaged.dataset()));
    }

    /** Datasets whose last packaging attempt failed in this process, with the error. */
    public Map<String, String> failures() {
        return Map.copyOf(failures);
    }

    /** trigger.done may carry a note (upload wishes, see the upload stage); a huge one is not a note. */
    private static String readNote(Path claimed) throws IOException {
        return Files.size(claimed) > 64 * 1024 ? "" : Files.readString(claimed, StandardCharsets.UTF_8).strip();
    }

    private Packaged write(Dataset dataset, List<ImageRecord> members, String triggerNote) throws IOException {
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
            images.add(new Manifest.Image(r.source(), r.sourceFormat(), r.output(), r.format(), r.width(), r.height(),
                    Files.size(image), caption, r.captioner(), r.warnings()));
            imageBytes += Files.size(image);
            byUser += "user".equals(r.captioner()) ? 1 : 0;
        }
        // the old manifest goes first: a kill between the zip's rename and the new manifest then leaves a
        // zip without a manifest (not ready), never a new zip described by the old manifest
        Files.deleteIfExists(manifestFile);
        ZipWriter.Written written = ZipWriter.write(zip, entries);
        List<Manifest.Failed> failed = failedEntries(dataset.name());
        Manifest manifest = new Manifest(Manifest.FORMAT, dataset.name(), trigger, zip.getFileName().toString(),
                written.bytes(), written.contentSha256(), Instant.now(),
                new Manifest.Totals(images.size(), failed.size(), imageBytes, byUser, images.size() - byUser),
                new Manifest.Timings(
                        sorted.stream().map(ImageRecord::normalisedAt).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null),
                        sorted.stream().map(ImageRecord::captionedAt).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null),
                        (System.nanoTime() - started) / 1_000_000),
                images, failed, notes(dataset.name(), images.size()));
        AtomicFiles.write(manifestFile, out -> Json.MAPPER.writeValue(out, manifest));
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

    /**
     * User captions ({@code <stem>.txt}) that arrived after their image was captioned replace the
     * model's caption; tags and captions now belong to the round and move to .originals. A caption
     * or tags file that matches no member goes to failed/ with the reason.
     */
    private void applyCompanions(Dataset dataset, List<ImageRecord> members) throws IOException {
        Path inbox = folders.inbox(dataset.name());
        List<Path> companions = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(inbox, "*.{txt,TXT,tags,TAGS}")) {
            files.forEach(companions::add);
        }
        for (Path file : companions) {
            String fileName = file.getFileName().toString();
            if (fileName.equals(Folders.PROBLEM_FILE) || fileName.startsWith(".")) {
                continue;
            }
            String stem = fileName.substring(0, fileName.lastIndexOf('.'));
            boolean isCaption = fileName.toLowerCase(Locale.ROOT).endsWith(".txt");
            List<ImageRecord> owners = members.stream().filter(r -> r.sourceStem().equals(stem)).toList();
            if (owners.isEmpty()) {
                quarantine.put(dataset.name(), file, "package", (isCaption ? "caption" : "tags")
                        + " file without a matching image in this dataset (no image named " + stem + ".*)");
                continue;
            }
            if (isCaption) {
                String text = Files.readString(file, StandardCharsets.UTF_8).replace("\uFEFF", "").strip();
                for (ImageRecord owner : owners) {
                    useUserCaption(dataset, owner, text);
                }
            }
            AtomicFiles.moveToFolderKeepingBoth(file, folders.originals(dataset.name()), fileName);
        }
    }

    /**
     * A caption the user dropped (possibly after the model's was made), by captiond.caption.existing:
     * keep replaces the model's caption, append adds the user's words to it, overwrite ignores them.
     */
    private void useUserCaption(Dataset dataset, ImageRecord owner, String text) throws IOException {
        Path sidecar = folders.work(dataset.name()).resolve(owner.sidecarName());
        String current = Files.exists(sidecar) ? Files.readString(sidecar, StandardCharsets.UTF_8).strip() : "";
        if (text.isEmpty() || "overwrite".equals(captions.existing())) {
            return;
        }
        boolean append = "append".equals(captions.existing()) && !current.isEmpty() && !"user".equals(owner.captioner());
        String caption = append ? CaptionRules.appended(current, text) : captions.finish(CaptionText.clean(text), dataset, true);
        if (!caption.equals(current)) {
            String who = append ? owner.captioner().replace("+user", "") + "+user" : "user";
            records.save(dataset.name(), owner.captionedBy(who, List.of()));
            AtomicFiles.writeString(sidecar, caption + "\n");
            log.info("{} the user's caption for {}/{}", append ? "Appended" : "Used", dataset.name(), owner.output());
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
                Map<String, String> fields = new java.util.HashMap<>();
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

    private Path claimTrigger(String dataset) throws IOException {
        Path claimed = folders.claimedTrigger(dataset);
        Files.createDirectories(claimed.getParent());
        Files.move(folders.inbox(dataset).resolve(Folders.TRIGGER_FILE), claimed, StandardCopyOption.REPLACE_EXISTING);
        return claimed;
    }

    /** After a failure the trigger goes back, unless the user dropped a new one meanwhile. */
    private void restoreTrigger(String dataset, Path claimed) {
        try {
            Path trigger = folders.inbox(dataset).resolve(Folders.TRIGGER_FILE);
            if (Files.exists(claimed) && !Files.exists(trigger)) {
                Files.move(claimed, trigger);
            }
        } catch (IOException e) {
            log.warn("Could not put back trigger.done of '{}': {}", dataset, e.toString());
        }
    }

    private void waiting(String dataset, String why) {
        if (!why.equals(lastWaitMessage.put(dataset, why))) {
            log.info("Dataset '{}' has trigger.done; waiting: {}", dataset, why);
        }
    }

}
