package io.captiond.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.captiond.caption.CaptionQueue;
import io.captiond.caption.Captioner;
import io.captiond.caption.provider.ProviderCaptioner;
import io.captiond.core.CaptionJob;
import io.captiond.core.Dataset;
import io.captiond.core.Datasets;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.TriggerWord;
import io.captiond.support.AtomicFiles;
import io.captiond.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * What the station does to a dataset besides captions, each through the folder contract: package
 * (write {@code trigger.done}), the round's zip and manifest, settings ({@code dataset.yaml}),
 * re-caption (the sidecar goes, the member is queued like any uncaptioned one), exclude/restore (the
 * member leaves work/ for {@code .captiond/excluded/}, which the scan does not count).
 */
@Component
public class DatasetActions {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final Set<String> STYLES = Set.of("subject", "style", "character", "product");
    private static final Set<String> MODES = Set.of("template", "anchor");

    public record Settings(String trigger, String style, String template, String triggerMode, String prompt) {
    }

    public record Recaption(List<String> queued, int paidRequests) {
    }

    private final Folders folders;
    private final Datasets datasets;
    private final DatasetFolders guard;
    private final CaptionHistory history;
    private final CaptionQueue queue;
    private final Captioner captioner;
    private final ProducerTemplate camel;
    private final io.captiond.core.ImageRecords records;

    public DatasetActions(Folders folders, Datasets datasets, DatasetFolders guard, CaptionHistory history,
            CaptionQueue queue, Captioner captioner, ProducerTemplate camel, io.captiond.core.ImageRecords records) {
        this.folders = folders;
        this.datasets = datasets;
        this.guard = guard;
        this.history = history;
        this.queue = queue;
        this.captioner = captioner;
        this.camel = camel;
        this.records = records;
    }

    /** Writes trigger.done; {@code note} is the file's content (upload wishes, trainer options), may be empty. */
    public void packageNow(String dataset, String note) throws IOException {
        String text = note == null ? "" : note.strip();
        if (text.length() > 16 * 1024) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "trigger.done notes are at most 16 KB");
        }
        AtomicFiles.writeString(folders.inbox(dataset).resolve(Folders.TRIGGER_FILE), text.isEmpty() ? "" : text + "\n");
    }

    /** The dataset's zip or manifest in the outbox, when the manifest says it is this dataset's. */
    /** What a packaged dataset offers for download from the outbox. */
    public enum Download {
        ZIP, MANIFEST, REPORT
    }

    public Path download(String dataset, Download what) throws IOException {
        Dataset ds = datasets.get(dataset);
        if (!ds.usable()) {
            throw DatasetFolders.notFound("dataset '" + dataset + "' is stopped");
        }
        Path manifest = folders.manifest(ds.trigger());
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)
                || !dataset.equals(Json.MAPPER.readTree(manifest.toFile()).path("dataset").asText(null))) {
            throw DatasetFolders.notFound("dataset '" + dataset + "' has not been packaged yet");
        }
        Path file = switch (what) {
            case ZIP -> folders.zip(ds.trigger());
            case MANIFEST -> manifest;
            case REPORT -> folders.report(ds.trigger());
        };
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw DatasetFolders.notFound(file.getFileName() + " is not in the outbox");
        }
        return file;
    }

    public Settings settings(String dataset) {
        var s = datasets.get(dataset).settings();
        return new Settings(s.trigger(), s.style(), s.template(), s.triggerMode(), s.prompt());
    }

    /**
     * Writes dataset.yaml (keeping what the page does not edit: {@code upload}, {@code video-template},
     * {@code live-photos}, {@code formats}); refuses a trigger word the pipeline
     * would refuse, with the same explanation. Blank fields are left out (the daemon's defaults apply).
     */
    public Settings saveSettings(String dataset, Settings wanted) throws IOException {
        String trigger = blankToNull(wanted.trigger());
        String problem = TriggerWord.problemWith(trigger == null ? dataset : trigger);
        if (problem != null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, problem);
        }
        String style = blankToNull(wanted.style());
        String mode = blankToNull(wanted.triggerMode());
        String template = blankToNull(wanted.template());
        if (style != null && !STYLES.contains(style)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "style must be one of " + STYLES);
        }
        if (mode != null && !MODES.contains(mode)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "trigger mode must be template or anchor");
        }
        if (template != null && !template.contains("{caption}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "the template must contain {caption}");
        }
        ObjectNode yaml = YAML.createObjectNode();
        putIfSet(yaml, "trigger", trigger);
        putIfSet(yaml, "style", style);
        putIfSet(yaml, "template", template);
        putIfSet(yaml, "trigger_mode", mode);
        putIfSet(yaml, "prompt", blankToNull(wanted.prompt()));
        var kept = datasets.get(dataset).settings(); // what the page does not edit stays as the user wrote it
        putIfSet(yaml, "video-template", kept.videoTemplate());
        putIfSet(yaml, "live-photos", kept.livePhotos());
        if (kept.formats() != null) {
            yaml.set("formats", YAML.valueToTree(kept.formats()));
        }
        var upload = kept.upload();
        if (upload != null && !upload.isNull()) {
            yaml.set("upload", upload);
        }
        AtomicFiles.write(folders.inbox(dataset).resolve(Folders.SETTINGS_FILE), out -> YAML.writeValue(out, yaml));
        return settings(dataset);
    }

    /** Paid requests a re-caption of {@code count} members costs with the captioner running now. */
    public int cost(int count) {
        return captioner instanceof ProviderCaptioner ? count : 0;
    }

    /** The members lose their sidecar (kept in their history) and go into the caption queue. */
    public Recaption recaption(String dataset, List<String> files) throws IOException {
        List<String> queued = new ArrayList<>();
        for (String file : files) {
            ImageRecord record = guard.member(dataset, file);
            Path sidecar = folders.work(dataset).resolve(record.sidecarName());
            String before = MemberCaptions.read(sidecar);
            if (before != null) {
                history.add(dataset, record.output(), before, record.captioner(),
                        new CaptionHistory.Version(before, "re-caption requested", Instant.now()));
            }
            Files.deleteIfExists(sidecar);
            CaptionJob job = new CaptionJob(dataset, record.output());
            if (queue.claim(job)) {
                camel.asyncSendBody("seda:caption?size={{captiond.route.caption-queue}}&blockWhenFull=true", job);
            }
            queued.add(record.output());
        }
        return new Recaption(queued, cost(queued.size()));
    }

    /** Takes a member (image and caption) out of the dataset, keeping it for a restore. */
    public void exclude(String dataset, String file) throws IOException {
        ImageRecord record = guard.member(dataset, file);
        Path work = folders.work(dataset);
        Path excluded = excluded(dataset);
        Files.createDirectories(excluded);
        for (String name : List.of(record.sidecarName(), record.output())) {
            if (Files.exists(work.resolve(name))) {
                AtomicFiles.moveIntoPlace(work.resolve(name), excluded.resolve(name));
            }
        }
    }

    public void restore(String dataset, String file) throws IOException {
        ImageRecord record = records.byOutput(dataset, file)
                .orElseThrow(() -> DatasetFolders.notFound("no excluded member '" + file + "'"));
        Path excluded = excluded(dataset);
        DatasetFolders.child(excluded, record.output());
        Path work = folders.work(dataset);
        for (String name : List.of(record.output(), record.sidecarName())) {
            if (Files.exists(excluded.resolve(name))) {
                AtomicFiles.moveIntoPlace(excluded.resolve(name), work.resolve(name));
            }
        }
    }

    /** Members taken out of the dataset, by file name. */
    public List<String> excludedMembers(String dataset) throws IOException {
        Path dir = excluded(dataset);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> records.byOutput(dataset, n).isPresent())
                    .sorted().toList();
        }
    }

    private Path excluded(String dataset) {
        return folders.records(dataset).resolveSibling("excluded");
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
