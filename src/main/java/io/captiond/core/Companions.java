package io.captiond.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The user's own files that go with an image of the same stem: {@code <stem>.txt} (a caption to use
 * instead of a model's) and {@code <stem>.tags} (comma-separated tags given to the model). They are
 * read from the inbox while a round is open and from .originals after it was packaged. Names match
 * without regard to case, like images: {@code IMG_1.TXT} and {@code img_1.tags} belong to {@code IMG_1.HEIC}.
 */
@Component
public class Companions {

    private final Folders folders;

    public Companions(Folders folders) {
        this.folders = folders;
    }

    public Optional<String> caption(String dataset, String sourceStem) throws IOException {
        return read(dataset, sourceStem + "." + FileNames.CAPTION_EXTENSION);
    }

    public Optional<String> tags(String dataset, String sourceStem) throws IOException {
        return read(dataset, sourceStem + "." + FileNames.TAGS_EXTENSION);
    }

    /** The text of a companion file: a byte-order mark and surrounding white space removed. */
    public static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace("\uFEFF", "").strip();
    }

    /** Whether {@code companionName} (a .txt or .tags) belongs to an image whose stem is {@code imageStem}. */
    public static boolean belongsTo(String companionName, String imageStem) {
        return FileNames.sameName(FileNames.stem(companionName), imageStem);
    }

    private Optional<String> read(String dataset, String name) throws IOException {
        for (Path dir : new Path[] {folders.inbox(dataset), folders.originals(dataset)}) {
            for (Path file : matching(dir, name)) {
                String text = text(file);
                if (!text.isEmpty()) {
                    return Optional.of(text);
                }
            }
        }
        return Optional.empty();
    }

    /** Regular files in {@code dir} named {@code name} in any case; the exact spelling first. */
    private static List<Path> matching(Path dir, String name) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                entry -> FileNames.sameName(entry.getFileName().toString(), name))) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    found.add(file);
                }
            }
        }
        found.sort(Comparator.comparing((Path p) -> !p.getFileName().toString().equals(name))
                .thenComparing(p -> p.getFileName().toString()));
        return found;
    }
}
