package io.captiond.normalise;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.Folders;
import io.captiond.core.IgnoredNames;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A {@code .zip} dropped into {@code inbox/<dataset>/}: the unzip route checks it here, splits it
 * with camel-zipfile's ZipSplitter (streamed, one entry at a time) and each photo is written back
 * into the same inbox folder, under a hidden temporary name renamed when complete, so the watch
 * route takes it like any dropped file. Nested folders are flattened; a name already taken gets
 * "-2", "-3"... {@code __MACOSX/}, hidden and system entries are skipped. Limits against zip bombs
 * ({@code zip-max-entries}, {@code zip-max-bytes}, {@code zip-max-ratio}) are checked on the central
 * directory before anything is written and again on the bytes actually inflated (sizes in a zip
 * can lie). An entry whose path leaves the folder (zip slip: {@code ../}, absolute) refuses the
 * whole zip. A refused or broken zip is quarantined with the reason; an unpacked one is kept in
 * {@code work/<dataset>/.originals/}.
 */
@Component("zipInbox")
public class ZipInbox {

    /** Exchange property: bytes inflated so far from this zip, shared by its split entries. */
    public static final String INFLATED = "captiondZipInflated";
    /** Exchange property: the inbox folder the entries go to. */
    public static final String FOLDER = "captiondZipFolder";
    /** Exchange property: the names this zip's entries were given (lower case), so two a/x.jpg, b/x.jpg never meet. */
    public static final String USED = "captiondZipNames";

    private static final Logger log = LoggerFactory.getLogger(ZipInbox.class);

    private final Folders folders;
    private final int maxEntries;
    private final long maxBytes;
    private final int maxRatio;

    public ZipInbox(Folders folders, CaptiondProperties props) {
        this.folders = folders;
        this.maxEntries = props.normalise().zipMaxEntries();
        this.maxBytes = props.normalise().zipMaxBytes().toBytes();
        this.maxRatio = props.normalise().zipMaxRatio();
    }

    /** The watch route's choice: true for a zip, told by content ("PK\3\4"), so a renamed zip is found too. */
    public boolean isZip(@Header("CamelFileAbsolutePath") String path) {
        return isZip(Path.of(path));
    }

    public static boolean isZip(Path file) {
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false; // never opened: a FIFO would block the watch route (normalise sets it aside)
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads the central directory: refuses a broken zip, one over the limits and one with an entry
     * that would leave the folder, before a byte is unpacked.
     */
    public void check(Exchange exchange, @Header("CamelFileAbsolutePath") String path) throws IOException {
        Path zip = Path.of(path);
        long entries = 0;
        long declared = 0;
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry e : Collections.list(file.getEntries())) {
                String name = e.getName();
                if (leavesFolder(name)) {
                    throw new RejectedInputException("zip entry \"" + name + "\" points outside the dataset folder "
                            + "(zip slip): nothing was unpacked");
                }
                if (e.isDirectory() || skipped(name)) {
                    continue;
                }
                entries++;
                long size = Math.max(0, e.getSize());
                declared += size;
                if (e.getCompressedSize() > 0 && size / e.getCompressedSize() > maxRatio && size > 1024 * 1024) {
                    throw new RejectedInputException("zip entry \"" + name + "\" inflates " + size / e.getCompressedSize()
                            + " times, over captiond.normalise.zip-max-ratio (" + maxRatio + "): a zip bomb? nothing was unpacked");
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new RejectedInputException("broken zip: " + e.getMessage());
        }
        if (entries > maxEntries) {
            throw new RejectedInputException("zip has " + entries + " files, over captiond.normalise.zip-max-entries ("
                    + maxEntries + "): nothing was unpacked");
        }
        if (declared > maxBytes) {
            throw new RejectedInputException("zip unpacks to " + declared / (1024 * 1024) + " MB, over "
                    + "captiond.normalise.zip-max-bytes (" + maxBytes / (1024 * 1024) + " MB): nothing was unpacked");
        }
        exchange.setProperty(INFLATED, new AtomicLong());
        exchange.setProperty(FOLDER, zip.getParent().toString());
        exchange.setProperty(USED, java.util.concurrent.ConcurrentHashMap.newKeySet());
    }

    /** One split entry: streamed into the inbox folder under a hidden name, then renamed. */
    public void entry(@Body InputStream body, @Header("zipFileName") String name,
            @ExchangeProperty(INFLATED) AtomicLong inflated, @ExchangeProperty(FOLDER) String folder,
            @ExchangeProperty(USED) java.util.Set<String> used) throws IOException {
        if (name == null || name.endsWith("/") || skipped(name) || leavesFolder(name)) {
            return;
        }
        Path dir = Path.of(folder);
        String flat = name.substring(name.lastIndexOf('/') + 1);
        Path temp = AtomicFiles.temporarySibling(dir.resolve(flat));
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = body.read(buffer)) > 0) {
                    if (inflated.addAndGet(n) > maxBytes) {
                        throw new RejectedInputException("zip inflates past captiond.normalise.zip-max-bytes ("
                                + maxBytes / (1024 * 1024) + " MB), more than its directory says: a zip bomb? unpacking stopped");
                    }
                    out.write(buffer, 0, n);
                }
            }
            Path target = uniqueName(dir, flat, used);
            Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.debug("unpacked {} to {}", name, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** {@code name}, or name-2, name-3... when this zip or the folder has it already. */
    private static synchronized Path uniqueName(Path dir, String name, java.util.Set<String> used) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int n = 1; ; n++) {
            String candidate = n == 1 ? name : stem + "-" + n + ext;
            if (!used.contains(candidate.toLowerCase(java.util.Locale.ROOT)) && !Files.exists(dir.resolve(candidate))) {
                used.add(candidate.toLowerCase(java.util.Locale.ROOT));
                return dir.resolve(candidate);
            }
        }
    }

    /** All entries are out: the zip is kept with the dataset's originals. */
    public void done(@Header("CamelFileAbsolutePath") String path) throws IOException {
        Path zip = Path.of(path);
        String dataset = folders.datasetOf(zip);
        AtomicFiles.moveToFolderKeepingBoth(zip, folders.originals(dataset), zip.getFileName().toString());
        log.info("Unpacked {}/{}; the zip is kept in work/{}/.originals", dataset, zip.getFileName(), dataset);
    }

    /** __MACOSX/ resource forks, hidden files and folders, system files: not the user's photos. */
    static boolean skipped(String name) {
        for (String part : name.split("/")) {
            if (!part.isEmpty() && IgnoredNames.ignored(part)) {
                return true;
            }
        }
        return false;
    }

    /** An absolute path, a drive letter, a backslash path or a ".." segment. */
    static boolean leavesFolder(String name) {
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || n.matches("^[A-Za-z]:.*")) {
            return true;
        }
        for (String part : n.split("/")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
    }

}
