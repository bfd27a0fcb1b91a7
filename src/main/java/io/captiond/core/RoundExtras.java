package io.captiond.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * All {@link RoundExtra}s of the application, run in order for one round; the packaging stage's one
 * call. Their temporary files go to a hidden scratch folder in the dataset's state folder, emptied at
 * the start of every round (so a crash between the extras and the zip leaves nothing behind for long).
 */
@Component
public class RoundExtras {

    static final String SCRATCH_DIR = "extras";

    private final Folders folders;
    private final ObjectProvider<RoundExtra> extras;

    public RoundExtras(Folders folders, ObjectProvider<RoundExtra> extras) {
        this.folders = folders;
        this.extras = extras;
    }

    /** Runs every extra; their zip entries in order, the report (only one extra may give it), all outbox files. */
    public RoundExtra.Added prepare(Dataset dataset, List<ImageRecord> sortedMembers) throws IOException {
        Path scratch = folders.records(dataset.name()).resolveSibling(SCRATCH_DIR);
        clear(scratch);
        Files.createDirectories(scratch);
        Files.createDirectories(folders.outbox());
        RoundExtra.Round round = new RoundExtra.Round(dataset, sortedMembers, folders.work(dataset.name()), scratch,
                folders.outbox());
        List<RoundExtra.ZipEntry> entries = new ArrayList<>();
        List<String> files = new ArrayList<>();
        Object report = null;
        for (RoundExtra extra : extras.orderedStream().toList()) {
            RoundExtra.Added added = extra.prepare(round);
            entries.addAll(added.zipEntries());
            files.addAll(added.files());
            report = added.report() != null ? added.report() : report;
        }
        return new RoundExtra.Added(List.copyOf(entries), report, files.isEmpty() ? null : List.copyOf(files));
    }

    private static void clear(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
