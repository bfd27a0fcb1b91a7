package io.captiond.web;

import com.fasterxml.jackson.core.type.TypeReference;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.Folders;
import io.captiond.support.AtomicFiles;
import io.captiond.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The last few versions of each caption (who or what wrote it, when), oldest first, in
 * {@code work/<dataset>/.captiond/history/<member>.json}: what makes an edit undoable. Hidden state
 * beside the records; the sidecar stays the caption's one truth.
 */
@Component
public class CaptionHistory {

    public record Version(String text, String by, Instant at) {
    }

    private final Folders folders;
    private final int keep;

    public CaptionHistory(Folders folders, CaptiondProperties props) {
        this.folders = folders;
        this.keep = props.ui().captionHistory();
    }

    public synchronized List<Version> of(String dataset, String member) throws IOException {
        Path file = file(dataset, member);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return Json.MAPPER.readValue(file.toFile(), new TypeReference<List<Version>>() { });
    }

    /** Adds a version (the text before the first edit is recorded first, so it can be restored). */
    public synchronized void add(String dataset, String member, String previous, String previousBy, Version now)
            throws IOException {
        List<Version> versions = new ArrayList<>(of(dataset, member));
        if (versions.isEmpty() && previous != null) {
            versions.add(new Version(previous, previousBy, null));
        }
        versions.add(now);
        write(dataset, member, versions);
    }

    /** Drops the newest version and returns the one before it, or null when there is nothing to undo. */
    public synchronized Version undo(String dataset, String member) throws IOException {
        List<Version> versions = new ArrayList<>(of(dataset, member));
        if (versions.size() < 2) {
            return null;
        }
        versions.remove(versions.size() - 1);
        write(dataset, member, versions);
        return versions.get(versions.size() - 1);
    }

    private void write(String dataset, String member, List<Version> versions) throws IOException {
        List<Version> kept = versions.subList(Math.max(0, versions.size() - keep), versions.size());
        Path file = file(dataset, member);
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, out -> Json.MAPPER.writeValue(out, kept));
    }

    private Path file(String dataset, String member) {
        return folders.records(dataset).resolveSibling("history").resolve(member + ".json");
    }
}
