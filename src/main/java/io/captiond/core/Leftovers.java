package io.captiond.core;

import io.captiond.config.FolderCheck;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * What an interrupted run (a kill, a power cut) leaves behind, removed at start-up before any route
 * runs: hidden temporaries of atomic writes (partial zips in outbox/, half-written sidecars, records
 * and reason files), and members in work/ that no record names (the member was written, the kill came
 * before its record: the original is still in the inbox and is normalised again). Nothing a user
 * dropped is touched: originals, captions and quarantined files all have records or live elsewhere.
 */
@Component
public class Leftovers implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(Leftovers.class);
    /** The names {@code AtomicFiles.temporarySibling} gives: ".&lt;name&gt;.&lt;8 hex&gt;.tmp". */
    private static final Pattern TEMPORARY = Pattern.compile("^\\..+\\.[0-9a-f]{8}\\.tmp$");
    private static final Set<String> MEMBER_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp");

    private final Folders folders;
    private final ImageRecords records;

    public Leftovers(Folders folders, ImageRecords records, FolderCheck checkedFirst) {
        this.folders = folders;
        this.records = records;
    }

    @Override
    public void afterPropertiesSet() {
        int removed = removeTemporaries(folders.outbox());
        for (Path dataset : subfolders(folders.work())) {
            String name = dataset.getFileName().toString();
            removed += removeTemporaries(dataset) + removeTemporaries(folders.records(name))
                    + removeTemporaries(folders.originals(name)) + removeOrphanMembers(name);
        }
        for (Path dataset : subfolders(folders.failedRoot())) {
            removed += removeTemporaries(dataset);
        }
        if (removed > 0) {
            log.info("Removed {} leftover(s) of an interrupted run", removed);
        }
    }

    private int removeTemporaries(Path dir) {
        int removed = 0;
        for (Path file : entries(dir)) {
            if (TEMPORARY.matcher(file.getFileName().toString()).matches() && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                removed += delete(file) ? 1 : 0;
            }
        }
        return removed;
    }

    private int removeOrphanMembers(String dataset) {
        Set<String> named = new HashSet<>();
        try {
            records.all(dataset).forEach(r -> named.add(r.output()));
        } catch (RuntimeException e) {
            return 0; // records that cannot be read: which members are orphans is unknown, so none is
        }
        int removed = 0;
        for (Path file : entries(folders.work(dataset))) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
            if (!name.startsWith(".") && MEMBER_EXTENSIONS.contains(extension) && !named.contains(name)
                    && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && delete(file)) {
                log.info("Removed {}: a member without a record (its original is normalised again)", file);
                removed++;
            }
        }
        return removed;
    }

    private static boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove the leftover {}: {}", file, e.toString());
            return false;
        }
    }

    private static List<Path> subfolders(Path dir) {
        return entries(dir).stream().filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                && !p.getFileName().toString().startsWith(".")).toList();
    }

    private static List<Path> entries(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<Path> entries = new java.util.ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            log.debug("Could not list {}: {}", dir, e.toString());
        }
        return entries;
    }
}
