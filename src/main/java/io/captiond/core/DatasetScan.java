package io.captiond.core;

import io.captiond.core.Dataset;
import io.captiond.core.Datasets;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.core.IgnoredNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Reads a dataset's state from disk. Stateless on purpose: it survives restarts, needs no counters
 * to be kept in step, and shows the same truth a user sees in the folders. One directory listing
 * per folder, however many members.
 */
@Component
public class DatasetScan {

    private final Folders folders;
    private final Datasets datasets;
    private final ImageRecords records;

    public DatasetScan(Folders folders, Datasets datasets, ImageRecords records) {
        this.folders = folders;
        this.datasets = datasets;
        this.records = records;
    }

    /** The dataset folders in the inbox, by name. */
    public List<String> datasetNames() {
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folders.inbox())) {
            entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !IgnoredNames.ignored(n))
                    .sorted()
                    .forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the inbox " + folders.inbox(), e);
        }
        return names;
    }

    public DatasetStatus status(String name) {
        Dataset dataset = datasets.get(name);
        Path inbox = folders.inbox(name);
        List<Path> waiting = new ArrayList<>();
        boolean triggered = false;
        if (Files.isDirectory(inbox)) {
            for (Path entry : list(inbox)) {
                String file = entry.getFileName().toString();
                if (file.equals(Folders.TRIGGER_FILE)) {
                    triggered = true;
                } else if (!IgnoredNames.ignored(file) && !Folders.isControlFile(file)
                        && !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    waiting.add(entry);
                }
            }
        }
        Set<String> inWork = new HashSet<>();
        Path work = folders.work(name);
        if (Files.isDirectory(work)) {
            list(work).forEach(p -> inWork.add(p.getFileName().toString()));
        }
        List<ImageRecord> uncaptioned = new ArrayList<>();
        List<ImageRecord> members = new ArrayList<>();
        for (ImageRecord record : records.all(name)) {
            if (!inWork.contains(record.output())) {
                continue; // removed from work/ by the user: no longer a member
            }
            (inWork.contains(record.sidecarName()) ? members : uncaptioned).add(record);
        }
        return new DatasetStatus(name, dataset.usable(), waiting, uncaptioned, members, triggered);
    }

    private static List<Path> list(Path dir) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            // a dataset folder deleted while we look at it has no entries
        }
        return entries;
    }
}
