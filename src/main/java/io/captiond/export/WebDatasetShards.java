package io.captiond.export;

import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * WebDataset shards, as the NVIDIA seed exports: {@code outbox/<trigger>_webdataset/<trigger>-000000.tar},
 * each holding up to {@code samplesPerShard} samples as {@code <key>.jpg} (or .png/.webp) followed by
 * {@code <key>.txt}. WebDataset groups a sample by the name up to its first dot, so dots in a key
 * become underscores. The shards are written into a hidden folder which then replaces the old one.
 */
final class WebDatasetShards {

    private WebDatasetShards() {
    }

    static List<String> write(Path outbox, String trigger, Iterable<DatasetExports.Member> members, int samplesPerShard)
            throws IOException {
        String folderName = trigger + "_webdataset";
        Path target = outbox.resolve(folderName);
        Path temp = AtomicFiles.temporarySibling(target);
        Files.createDirectories(temp);
        List<String> shards = new ArrayList<>();
        try {
            TarArchiveOutputStream tar = null;
            int inShard = 0;
            byte[] buffer = new byte[256 * 1024];
            for (DatasetExports.Member member : members) {
                if (tar == null || inShard == samplesPerShard) {
                    if (tar != null) {
                        tar.close();
                    }
                    String shard = String.format(Locale.ROOT, "%s-%06d.tar", trigger, shards.size());
                    shards.add(folderName + "/" + shard);
                    tar = open(temp.resolve(shard));
                    inShard = 0;
                }
                String key = key(member.record().output());
                add(tar, key + "." + extension(member.record().format()), member.image(), buffer);
                byte[] caption = (member.caption() + "\n").getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry text = new TarArchiveEntry(key + ".txt");
                text.setSize(caption.length);
                text.setModTime(Files.getLastModifiedTime(member.sidecar()));
                tar.putArchiveEntry(text);
                tar.write(caption);
                tar.closeArchiveEntry();
                inShard++;
            }
            if (tar != null) {
                tar.close();
            }
            replace(target, temp);
            return shards;
        } finally {
            deleteTree(temp);
        }
    }

    /** WebDataset's key: the file name without extension, with no dot left in it. */
    static String key(String output) {
        int dot = output.lastIndexOf('.');
        return (dot > 0 ? output.substring(0, dot) : output).replace('.', '_');
    }

    private static String extension(String format) {
        return "jpeg".equals(format) ? "jpg" : format;
    }

    private static TarArchiveOutputStream open(Path file) throws IOException {
        OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 256 * 1024);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    private static void add(TarArchiveOutputStream tar, String name, Path file, byte[] buffer) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(Files.size(file));
        entry.setModTime(Files.getLastModifiedTime(file));
        tar.putArchiveEntry(entry);
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                tar.write(buffer, 0, n);
            }
        }
        tar.closeArchiveEntry();
    }

    /** The complete new folder takes the old one's place; the old one goes only after. */
    private static void replace(Path target, Path complete) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = AtomicFiles.temporarySibling(target);
            Files.move(target, old);
        }
        Files.move(complete, target);
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
