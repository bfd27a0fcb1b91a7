package io.captiond.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The user's own files that go with an image of the same stem: {@code <stem>.txt} (a caption to use
 * instead of a model's) and {@code <stem>.tags} (comma-separated tags given to the model). They are
 * read from the inbox while a round is open and from .originals after it was packaged.
 */
@Component
public class Companions {

    private final Folders folders;

    public Companions(Folders folders) {
        this.folders = folders;
    }

    public Optional<String> caption(String dataset, String sourceStem) throws IOException {
        return read(dataset, sourceStem + ".txt");
    }

    public Optional<String> tags(String dataset, String sourceStem) throws IOException {
        return read(dataset, sourceStem + ".tags");
    }

    private Optional<String> read(String dataset, String name) throws IOException {
        for (Path dir : new Path[] {folders.inbox(dataset), folders.originals(dataset)}) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file) && !Files.isSymbolicLink(file)) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace("\uFEFF", "").strip();
                if (!text.isEmpty()) {
                    return Optional.of(text);
                }
            }
        }
        return Optional.empty();
    }
}
