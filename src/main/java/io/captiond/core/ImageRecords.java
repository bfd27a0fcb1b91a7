package io.captiond.core;

import io.captiond.support.AtomicFiles;
import io.captiond.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The records of each dataset's members, on disk under work/ and indexed in memory per dataset on
 * first use. Also hands out output names: unique inside the dataset regardless of case, so that
 * {@code IMG_1.HEIC} and {@code IMG_1.jpg} never share a sidecar, and stable across restarts
 * because the index is rebuilt from the files.
 */
@Component
public class ImageRecords {

    private static final Logger log = LoggerFactory.getLogger(ImageRecords.class);

    private final Folders folders;
    private final Map<String, DatasetIndex> indexes = new ConcurrentHashMap<>();

    public ImageRecords(Folders folders) {
        this.folders = folders;
    }

    public Optional<ImageRecord> bySource(String dataset, String source) {
        DatasetIndex index = index(dataset);
        synchronized (index) {
            return Optional.ofNullable(index.bySource.get(source));
        }
    }

    public Optional<ImageRecord> byOutput(String dataset, String output) {
        DatasetIndex index = index(dataset);
        synchronized (index) {
            return index.bySource.values().stream().filter(r -> r.output().equals(output)).findFirst();
        }
    }

    public List<ImageRecord> all(String dataset) {
        DatasetIndex index = index(dataset);
        synchronized (index) {
            List<ImageRecord> all = new ArrayList<>(index.bySource.values());
            all.sort(Comparator.comparing(ImageRecord::output));
            return all;
        }
    }

    /** Reserves an output name for {@code source}: its safe stem, or stem-2, stem-3... when taken. */
    public String allocateOutputName(String dataset, String source, String extension) {
        String base = SafeNames.safeStem(source);
        DatasetIndex index = index(dataset);
        synchronized (index) {
            String stem = base;
            for (int n = 2; index.takenStems.contains(SafeNames.key(stem)); n++) {
                stem = base + "-" + n;
            }
            index.takenStems.add(SafeNames.key(stem));
            return stem + "." + extension;
        }
    }

    /** Gives back a name from {@link #allocateOutputName} whose member was never made. */
    public void releaseOutputName(String dataset, String output) {
        DatasetIndex index = index(dataset);
        synchronized (index) {
            String stem = FileNames.stem(output);
            if (index.bySource.values().stream().noneMatch(r -> r.outputStem().equals(stem))) {
                index.takenStems.remove(SafeNames.key(stem));
            }
        }
    }

    public void save(String dataset, ImageRecord record) throws IOException {
        Path dir = folders.records(dataset);
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(record.output() + ".json"), out -> Json.MAPPER.writeValue(out, record));
        DatasetIndex index = index(dataset);
        synchronized (index) {
            index.bySource.put(record.source(), record);
            index.takenStems.add(SafeNames.key(record.outputStem()));
        }
    }

    public void delete(String dataset, ImageRecord record) throws IOException {
        Files.deleteIfExists(folders.records(dataset).resolve(record.output() + ".json"));
        DatasetIndex index = index(dataset);
        synchronized (index) {
            index.bySource.remove(record.source());
            index.takenStems.remove(SafeNames.key(record.outputStem()));
        }
    }

    private DatasetIndex index(String dataset) {
        DatasetIndex index = indexes.computeIfAbsent(dataset, this::load);
        if (!index.bySource.isEmpty() && !Files.isDirectory(folders.work(dataset))) {
            // the user removed work/<dataset> to start the dataset afresh: so does the index
            indexes.remove(dataset, index);
            index = indexes.computeIfAbsent(dataset, this::load);
        }
        return index;
    }

    private DatasetIndex load(String dataset) {
        DatasetIndex index = new DatasetIndex();
        Path work = folders.work(dataset);
        if (!Files.isDirectory(work)) {
            return index;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(work)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".")) {
                    index.takenStems.add(SafeNames.key(FileNames.stem(name)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path records = folders.records(dataset);
        if (Files.isDirectory(records)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(records, "*.json")) {
                for (Path file : files) {
                    ImageRecord record = readOrSkip(dataset, file);
                    if (record != null) {
                        index.bySource.put(record.source(), record);
                        index.takenStems.add(SafeNames.key(record.outputStem()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return index;
    }

    /**
     * A damaged record (a disk that filled mid-write, a hand edit) costs its one member, not the
     * dataset: the member's files stay in work/, it is left out of rounds, and the user is told.
     */
    private static ImageRecord readOrSkip(String dataset, Path file) {
        try {
            ImageRecord record = Json.MAPPER.readValue(file.toFile(), ImageRecord.class);
            if (record.source() == null || record.output() == null) {
                throw new IOException("no source or output name");
            }
            return record;
        } catch (IOException e) {
            log.warn("Dataset '{}': skipping the damaged record {} ({}); its member is left out until the image "
                    + "is dropped into the inbox again", dataset, file.getFileName(), e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
    }

    private static final class DatasetIndex {
        final Map<String, ImageRecord> bySource = new HashMap<>();
        final Set<String> takenStems = new HashSet<>();
    }
}
