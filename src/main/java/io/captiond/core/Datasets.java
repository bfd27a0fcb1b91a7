package io.captiond.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
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

    private final Folders folders;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public Datasets(Folders folders) {
        this.folders = folders;
    }

    public Dataset get(String name) {
        Path yaml = folders.inbox(name).resolve(Folders.SETTINGS_FILE);
        FileTime stamp = lastModified(yaml);
        Cached cached = cache.get(name);
        if (cached != null && Objects.equals(cached.stamp, stamp)) {
            return cached.dataset;
        }
        Dataset dataset = read(name, yaml, stamp != null);
        cache.put(name, new Cached(stamp, dataset));
        reportChange(cached == null ? null : cached.dataset, dataset);
        return dataset;
    }

    private Dataset read(String name, Path yaml, boolean hasYaml) {
        DatasetSettings settings = DatasetSettings.NONE;
        if (hasYaml) {
            try {
                DatasetSettings read = YAML.readValue(yaml.toFile(), DatasetSettings.class);
                settings = read == null ? DatasetSettings.NONE : read;
            } catch (IOException e) {
                return new Dataset(name, DatasetSettings.NONE, null,
                        "dataset.yaml cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        String trigger = settings.trigger() != null ? settings.trigger().trim() : name;
        String problem = TriggerWord.problemWith(trigger);
        if (problem != null && settings.trigger() == null) {
            problem += " (the folder name is used when dataset.yaml sets no 'trigger')";
        }
        if (problem == null && settings.livePhotos() != null && !settings.livePhotos().strip().matches("set-aside|video")) {
            problem = "live-photos in dataset.yaml must be set-aside or video, not '" + settings.livePhotos().strip() + "'";
        }
        return new Dataset(name, settings, problem == null ? trigger : null, problem);
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
                if (Files.isDirectory(problemFile.getParent())) {
                    AtomicFiles.writeString(problemFile, "captiond stopped this dataset at " + Instant.now() + "\n\n"
                            + now.problem() + "\n\nNothing in this folder was moved or deleted. Set a valid 'trigger:' in "
                            + Folders.SETTINGS_FILE + " (or rename the folder) and captiond resumes by itself.\n");
                }
            } else if (Files.deleteIfExists(problemFile) || (before != null && !before.usable())) {
                log.info("Dataset '{}' resumed with trigger word '{}'", now.name(), now.trigger());
            }
        } catch (IOException e) {
            log.warn("Could not update {}: {}", problemFile, e.toString());
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    private record Cached(FileTime stamp, Dataset dataset) {
    }
}
