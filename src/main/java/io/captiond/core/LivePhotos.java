package io.captiond.core;

import io.captiond.support.AtomicFiles;
import io.captiond.support.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The motion parts of Live Photos set aside in an image dataset: kept in
 * {@code work/<dataset>/.originals/}, neither members nor quarantined, and named in the manifest.
 * One small JSON file per clip under {@code work/<dataset>/.captiond/live-photos/}, so the record
 * survives restarts and needs no shared index.
 */
@Component
public class LivePhotos {

    /**
     * @param clip              the clip's name as dropped (IMG_1234.MOV)
     * @param photo             the still it belongs to (IMG_1234.HEIC)
     * @param contentIdentifier Apple's identifier both files carry, when the clip has one
     * @param setAsideAt        when it was moved to .originals
     */
    public record MotionPart(String clip, String photo, String contentIdentifier, double durationSeconds,
            Instant setAsideAt) {
    }

    private final Folders folders;

    public LivePhotos(Folders folders) {
        this.folders = folders;
    }

    public void setAside(String dataset, MotionPart part) throws IOException {
        Path dir = dir(dataset);
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(SafeNames.safeStem(part.clip()) + "-" + Integer.toHexString(part.clip().hashCode())
                + ".json"), out -> Json.MAPPER.writeValue(out, part));
    }

    public List<MotionPart> all(String dataset) throws IOException {
        List<MotionPart> parts = new ArrayList<>();
        Path dir = dir(dataset);
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path file : files) {
                    parts.add(Json.MAPPER.readValue(file.toFile(), MotionPart.class));
                }
            }
        }
        parts.sort(Comparator.comparing(MotionPart::clip));
        return parts;
    }

    private Path dir(String dataset) {
        return folders.records(dataset).resolveSibling("live-photos");
    }
}
