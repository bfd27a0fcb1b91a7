package io.captiond.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import io.captiond.support.Json;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads each dataset's settings and decides whether it can be processed. A dataset with an invalid
 * trigger word or an unreadable dataset.yaml is stopped: captiond writes {@value Folders#PROBLEM_FILE}
 * into its inbox folder, logs the reason once, and leaves every file where it is. Fixing the
 * problem resumes the dataset on the next poll. Settings are cached until dataset.yaml changes.
 */
@Component
public class Datasets {

    private static final Logger log = LoggerFactory.getLogger(Datasets.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private static final String STOPPED = "captiond stopped this dataset";

    private final Folders folders;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public Datasets(Folders folders) {
        this.folders = folders;
    }

    /** Why a symlinked dataset folder is refused (logged; no problem file is written through the link). */
    public static final String SYMLINK_PROBLEM = "the dataset folder is a symbolic link; captiond does not follow links "
            + "out of the inbox and moves nothing out of them: put the photos in a real folder inside the inbox";

    public Dataset get(String name) {
        Path folder = folders.inbox(name);
        Stamp stamp = new Stamp(lastModified(folder.resolve(Folders.SETTINGS_FILE)), Files.isSymbolicLink(folder),
                Files.isDirectory(folder.resolve(Folders.TRIGGER_FILE), LinkOption.NOFOLLOW_LINKS));
        Cached cached = cache.get(name);
        if (cached != null && cached.stamp.equals(stamp)
                && Objects.equals(cached.ownerStamp, lastModified(manifestOf(cached.wantedTrigger)))) {
            return cached.dataset;
        }
        Read read = read(name, folder.resolve(Folders.SETTINGS_FILE), stamp);
        cache.put(name, new Cached(stamp, read.wantedTrigger, lastModified(manifestOf(read.wantedTrigger)), read.dataset));
        reportChange(cached == null ? null : cached.dataset, read.dataset);
        return read.dataset;
    }

    /** Symlinked dataset folders seen (and refused) so far. */
    public List<String> refusedLinks() {
        return cache.values().stream().filter(c -> SYMLINK_PROBLEM.equals(c.dataset.problem()))
                .map(c -> c.dataset.name()).filter(name -> Files.isSymbolicLink(folders.inbox(name))).sorted().toList();
    }

    private Read read(String name, Path yaml, Stamp stamp) {
        if (stamp.symlink) {
            return new Read(new Dataset(name, DatasetSettings.NONE, null, SYMLINK_PROBLEM), null);
        }
        DatasetSettings settings = DatasetSettings.NONE;
        if (stamp.yaml != null) {
            try {
                DatasetSettings read = YAML.readValue(yaml.toFile(), DatasetSettings.class);
                settings = read == null ? DatasetSettings.NONE : read;
            } catch (IOException e) {
                return new Read(new Dataset(name, DatasetSettings.NONE, null,
                        "dataset.yaml cannot be read: " + e.getMessage().lines().findFirst().orElse("")), null);
            }
        }
        String trigger = settings.trigger() != null ? settings.trigger().trim() : name;
        String problem = TriggerWord.problemWith(trigger);
        if (problem != null && settings.trigger() == null) {
            problem += " (the folder name is used when dataset.yaml sets no 'trigger')";
        }
        if (problem == null && stamp.triggerIsFolder) {
            problem = Folders.TRIGGER_FILE + " is a folder, not a file: remove it and drop an (empty) file named "
                    + Folders.TRIGGER_FILE + " instead";
        }
        if (problem == null) {
            String owner = ownerOf(trigger);
            if (owner != null && !owner.equals(name)) {
                // refused before anything is captioned (paid for): its zip would replace the other dataset's
                problem = "trigger word '" + trigger + "' already names outbox/" + manifestOf(trigger).getFileName()
                        + " of dataset '" + owner + "'; give this dataset its own trigger in " + Folders.SETTINGS_FILE
                        + " (trigger: ...), or remove that zip and manifest from the outbox";
            }
        }
        if (problem == null && settings.formats() != null && !DatasetSettings.FORMATS.containsAll(settings.formats())) {
            problem = "dataset.yaml 'formats' may list only " + String.join(", ", DatasetSettings.FORMATS) + ", not "
                    + settings.formats().stream().filter(f -> !DatasetSettings.FORMATS.contains(f)).toList();
        }
        if (problem == null && settings.livePhotos() != null && !settings.livePhotos().strip().matches("set-aside|video")) {
            problem = "live-photos in dataset.yaml must be set-aside or video, not '" + settings.livePhotos().strip() + "'";
        }
        return new Read(new Dataset(name, settings, problem == null ? trigger : null, problem), trigger);
    }

    private Path manifestOf(String trigger) {
        return trigger == null || TriggerWord.problemWith(trigger) != null ? null : folders.manifest(trigger);
    }

    /** The dataset whose manifest is in the outbox under this trigger word, or null. */
    private String ownerOf(String trigger) {
        Path manifest = manifestOf(trigger);
        if (manifest == null || !Files.isRegularFile(manifest)) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(manifest.toFile()).path("dataset").asText(null);
        } catch (IOException e) {
            return null; // being replaced right now; the next look reads the new one
        }
    }

    /** Logs and writes the problem file when a dataset becomes unusable; removes it once fixed. */
    private void reportChange(Dataset before, Dataset now) {
        Path problemFile = folders.inbox(now.name()).resolve(Folders.PROBLEM_FILE);
        try {
            if (!now.usable()) {
                if (before == null || !Objects.equals(before.problem(), now.problem())) {
                    log.warn("Dataset '{}' is stopped: {}. Fix it and captiond resumes; nothing was moved.",
                            now.name(), now.problem());
                }
                if (Files.isDirectory(problemFile.getParent(), LinkOption.NOFOLLOW_LINKS)) { // never through a link
                    AtomicFiles.writeString(problemFile, STOPPED + " at " + Instant.now() + "\n\n"
                            + now.problem() + "\n\nNothing in this folder was moved or deleted. Fix what is said above (a trigger "
                            + "word is set with 'trigger:' in " + Folders.SETTINGS_FILE + ", or by renaming the folder) and "
                            + "captiond resumes by itself.\n");
                }
            } else if (removeOwn(problemFile) || (before != null && !before.usable())) {
                log.info("Dataset '{}' resumed with trigger word '{}'", now.name(), now.trigger());
            }
        } catch (IOException e) {
            log.warn("Could not update {}: {}", problemFile, e.toString());
        }
    }

    /** Removes the problem file when this class wrote it (the caption stage writes its own for other reasons). */
    private static boolean removeOwn(Path problemFile) throws IOException {
        return Files.isRegularFile(problemFile) && Files.readString(problemFile).startsWith(STOPPED)
                && Files.deleteIfExists(problemFile);
    }

    private static FileTime lastModified(Path file) {
        if (file == null) {
            return null;
        }
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** What a dataset's settings depend on, compared on every look (a few stat calls). */
    private record Stamp(FileTime yaml, boolean symlink, boolean triggerIsFolder) {
    }

    private record Cached(Stamp stamp, String wantedTrigger, FileTime ownerStamp, Dataset dataset) {
    }

    private record Read(Dataset dataset, String wantedTrigger) {
    }
}
