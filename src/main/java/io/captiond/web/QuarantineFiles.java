package io.captiond.web;

import io.captiond.core.Folders;
import io.captiond.core.IgnoredNames;
import io.captiond.core.Quarantine;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The quarantine as the folders hold it: {@code failed/<dataset>/<file>} with its
 * {@code <file>.error.txt}. A retry moves the file back into {@code inbox/<dataset>/}, where the
 * pipeline takes it as if dropped again; a delete removes the file and its reason.
 */
@Component
public class QuarantineFiles {

    public record Entry(String dataset, String file, String stage, String reason, String time) {
    }

    private final Folders folders;
    private final DatasetFolders guard;

    public QuarantineFiles(Folders folders, DatasetFolders guard) {
        this.folders = folders;
        this.guard = guard;
    }

    /** Every quarantined file, grouped by dataset (datasets in name order). */
    public Map<String, List<Entry>> byDataset() throws IOException {
        Map<String, List<Entry>> groups = new TreeMap<>();
        Path failed = folders.failed("x").getParent();
        if (!Files.isDirectory(failed)) {
            return groups;
        }
        try (DirectoryStream<Path> datasets = Files.newDirectoryStream(failed)) {
            for (Path dir : datasets) {
                String dataset = dir.getFileName().toString();
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && !IgnoredNames.ignored(dataset)) {
                    List<Entry> entries = of(dataset);
                    if (!entries.isEmpty()) {
                        groups.put(dataset, entries);
                    }
                }
            }
        }
        return groups;
    }

    public List<Entry> of(String dataset) throws IOException {
        Path dir = folders.failed(dataset);
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return entries;
        }
        try (DirectoryStream<Path> reasons = Files.newDirectoryStream(dir, "*" + Quarantine.REASON_SUFFIX)) {
            for (Path reason : reasons) {
                if (!Files.isRegularFile(reason, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String name = reason.getFileName().toString();
                Map<String, String> fields = fields(reason);
                entries.add(new Entry(dataset, name.substring(0, name.length() - Quarantine.REASON_SUFFIX.length()),
                        fields.get("stage"), fields.get("reason"), fields.get("time")));
            }
        }
        entries.sort(java.util.Comparator.comparing(Entry::file));
        return entries;
    }

    /** Back into the inbox; returns the name it got there. */
    public String retry(String dataset, String file) throws IOException {
        Path quarantined = quarantined(dataset, file);
        Path inbox = folders.inbox(guard.existing(dataset));
        Path moved = AtomicFiles.moveToFolderKeepingBoth(quarantined, inbox, file);
        Files.deleteIfExists(reasonOf(quarantined));
        return moved.getFileName().toString();
    }

    public void delete(String dataset, String file) throws IOException {
        Path quarantined = quarantined(dataset, file);
        Files.delete(quarantined);
        Files.deleteIfExists(reasonOf(quarantined));
    }

    private Path quarantined(String dataset, String file) throws IOException {
        // both names must be ones the listing shows: nothing typed into a URL is joined to a path unchecked
        List<Entry> entries = byDataset().get(dataset);
        boolean listed = entries != null && entries.stream().anyMatch(e -> e.file().equals(file));
        if (!listed) {
            throw DatasetFolders.notFound("no quarantined file '" + file + "' in dataset '" + dataset + "'");
        }
        return DatasetFolders.child(folders.failed(dataset), file);
    }

    private static Path reasonOf(Path file) {
        return file.resolveSibling(file.getFileName() + Quarantine.REASON_SUFFIX);
    }

    private static Map<String, String> fields(Path reason) throws IOException {
        Map<String, String> fields = new HashMap<>();
        for (String line : Files.readAllLines(reason, StandardCharsets.UTF_8)) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                fields.putIfAbsent(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return fields;
    }
}
