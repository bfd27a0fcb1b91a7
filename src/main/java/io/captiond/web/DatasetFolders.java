package io.captiond.web;

import io.captiond.core.DatasetScan;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Every dataset or file name that comes from a URL or a form passes here before it touches a folder.
 * A name is never joined to a path as typed: an existing dataset must be one the inbox listing shows
 * (a real directory, not a symlink), a member one of the dataset's records; a new dataset name must
 * be a plain word. Whatever resolves must stay below the folder it was resolved in.
 */
@Component
public class DatasetFolders {

    /** A dataset made from the browser: its name is also its default trigger word. */
    private static final Pattern NEW_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,63}");

    private final Folders folders;
    private final DatasetScan scan;
    private final ImageRecords records;

    public DatasetFolders(Folders folders, DatasetScan scan, ImageRecords records) {
        this.folders = folders;
        this.scan = scan;
        this.records = records;
    }

    /** An existing dataset's name, as the inbox lists it; 404 for anything else. */
    public String existing(String name) {
        if (name == null || !scan.datasetNames().contains(name)) {
            throw notFound("no dataset named '" + printable(name) + "'");
        }
        refuseLink(folders.work(name));
        refuseLink(folders.failed(name));
        return name;
    }

    /** An existing dataset, or a new one made for an upload; 400 for a name that is not a plain word. */
    public String existingOrNew(String name) throws IOException {
        if (name != null && scan.datasetNames().contains(name)) {
            return existing(name);
        }
        if (name == null || !NEW_NAME.matcher(name).matches()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a new dataset's name must be 2 to 64 letters, "
                    + "digits, '_' or '-', starting with a letter or digit");
        }
        Path dir = inside(folders.inbox(), name);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'" + name + "' exists and is not a dataset folder");
        }
        Files.createDirectory(dir);
        return name;
    }

    /** The member named {@code file} (its name in work/); 404 when the dataset has no such member. */
    public ImageRecord member(String dataset, String file) {
        ImageRecord record = file == null ? null : records.byOutput(dataset, file).orElse(null);
        if (record == null) {
            throw notFound("dataset '" + dataset + "' has no member '" + printable(file) + "'");
        }
        Path path = inside(folders.work(dataset), record.output());
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw notFound("member '" + record.output() + "' is no longer in work/" + dataset);
        }
        return record;
    }

    /** A file directly in {@code dir}, by a name the caller listed from it; 404 otherwise. */
    public static Path child(Path dir, String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".")
                || name.equals("..") || name.indexOf('\0') >= 0) {
            throw notFound("no file '" + printable(name) + "'");
        }
        Path file = inside(dir, name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw notFound("no file '" + printable(name) + "'");
        }
        return file;
    }

    private static Path inside(Path dir, String name) {
        Path resolved = dir.resolve(name).normalize();
        if (!resolved.getParent().equals(dir.normalize())) {
            throw notFound("no file '" + printable(name) + "'");
        }
        return resolved;
    }

    private static void refuseLink(Path dir) {
        if (Files.isSymbolicLink(dir)) {
            throw notFound("'" + dir.getFileName() + "' is a link, not a dataset folder");
        }
    }

    static ResponseStatusException notFound(String why) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, why);
    }

    private static String printable(String name) {
        return name == null ? "" : name.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
