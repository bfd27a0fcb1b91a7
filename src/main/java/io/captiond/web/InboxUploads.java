package io.captiond.web;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.Folders;
import io.captiond.core.IgnoredNames;
import io.captiond.core.SafeNames;
import io.captiond.normalise.ImageSniffer;
import io.captiond.normalise.ImageType;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;

/**
 * Photos from the browser enter the pipeline through the inbox, like any copied file: each is
 * streamed to a hidden temporary name in {@code inbox/<dataset>/} (the watch route ignores hidden
 * names) and renamed once complete, so watch → normalise → caption takes it as usual. The type is
 * judged from the first bytes by the normalise stage's sniffer; a {@code .zip} is unpacked entry by
 * entry the same way. Names are made safe with the pipeline's rules and never replace a file.
 */
@Component
public class InboxUploads {

    public record Refused(String file, String reason) {
    }

    public record Result(List<String> taken, List<Refused> refused) {
    }

    private static final int HEAD = 256 * 1024;
    private static final java.util.Set<String> IMAGE_EXTENSIONS = java.util.Set.of(
            "jpg", "jpeg", "jpe", "png", "webp", "heic", "heif", "hif", "avif", "mpo");

    private final Folders folders;
    private final CaptiondProperties.Ui limits;

    public InboxUploads(Folders folders, CaptiondProperties props) {
        this.folders = folders;
        this.limits = props.ui();
    }

    public Result take(String dataset, List<MultipartFile> parts) throws IOException {
        List<String> taken = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        Path dir = folders.inbox(dataset);
        for (MultipartFile part : parts) {
            String name = baseName(part.getOriginalFilename());
            try (InputStream in = part.getInputStream()) {
                byte[] head = in.readNBytes(HEAD);
                if (isZip(head)) {
                    unzip(dir, name, new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), in), taken,
                            refused);
                } else {
                    store(dir, name, head, in, taken, refused);
                }
            }
        }
        return new Result(taken, refused);
    }

    private void unzip(Path dir, String zipName, InputStream in, List<String> taken, List<Refused> refused)
            throws IOException {
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = baseName(entry.getName());
                if (IgnoredNames.ignored(name)) {
                    continue; // __MACOSX/._IMG_1.jpg and friends: not photos
                }
                store(dir, name, zip.readNBytes(HEAD), zip, taken, refused);
            }
        } catch (java.util.zip.ZipException e) {
            refused.add(new Refused(zipName, "not a readable zip: " + e.getMessage()));
        }
    }

    private void store(Path dir, String name, byte[] head, InputStream rest, List<String> taken, List<Refused> refused)
            throws IOException {
        if (taken.size() >= limits.maxFiles()) {
            throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE,
                    "at most " + limits.maxFiles() + " files per upload (captiond.ui.max-files)");
        }
        ImageType type = ImageSniffer.sniff(head);
        if (!type.supported()) {
            refused.add(new Refused(name, type == ImageType.UNKNOWN ? "not an image captiond reads (JPEG, PNG, WebP, HEIC, "
                    + "AVIF, MPO)" : type.label() + " is not taken: convert it to JPEG or PNG"));
            return;
        }
        Path temp = dir.resolve(".upload-" + UUID.randomUUID() + ".part");
        long max = limits.maxFileSize().toBytes();
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                out.write(head);
                long written = head.length + copy(rest, out, max - head.length);
                if (written > max) {
                    refused.add(new Refused(name, "larger than " + limits.maxFileSize() + " (captiond.ui.max-file-size)"));
                    return;
                }
            }
            Path placed = AtomicFiles.moveToFolderKeepingBoth(temp, dir, safeName(name, type));
            taken.add(placed.getFileName().toString());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Copies at most {@code room + 1} bytes: one past the limit is enough to know it is too large. */
    private static long copy(InputStream in, OutputStream out, long room) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        int n;
        while (copied <= room && (n = in.read(buffer, 0, (int) Math.min(buffer.length, room + 1 - copied))) > 0) {
            out.write(buffer, 0, n);
            copied += n;
        }
        return copied;
    }

    /**
     * The pipeline's safe stem (companion .txt files match by stem) and an image extension: the
     * sender's when it is one, else the type's, so that an upload never lands as a control file
     * ({@code .txt}, {@code dataset.yaml}) or under a name the watcher ignores ({@code .part}, {@code .tmp}).
     */
    static String safeName(String original, ImageType type) {
        int dot = original.lastIndexOf('.');
        String ext = dot > 0 ? original.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        if (!IMAGE_EXTENSIONS.contains(ext)) {
            ext = type == ImageType.HEIF ? "heic" : type == ImageType.AVIF ? "avif" : type.outputExtension();
        }
        return SafeNames.safeStem(original) + "." + ext;
    }

    /** The last path element of what a browser or zip calls the file: no folder of the sender's survives. */
    static String baseName(String name) {
        if (name == null) {
            return "upload";
        }
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip();
        return base.isEmpty() ? "upload" : base;
    }

    private static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }
}
