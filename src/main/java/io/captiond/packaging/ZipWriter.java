package io.captiond.packaging;

import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Streams a flat zip of members and their sidecars. Entries are STORED: JPEGs do not compress, so
 * deflating them only burns CPU. Commons Compress writes STORED entries to a seekable file without
 * knowing their CRC in advance (it patches the header afterwards), so every file is read once, and
 * memory stays at one copy buffer whatever the dataset's size. Zip64 is used when needed. The zip is
 * written under a hidden temporary name and renamed, so no half-written zip is ever visible.
 */
public final class ZipWriter {

    private ZipWriter() {
    }

    /** An entry: its name at the zip root and the file it is read from. */
    public record Entry(String name, Path file) {
    }

    /** What was written: its size and a digest of the entries' names and contents (not of zip headers). */
    public record Written(long bytes, String contentSha256) {
    }

    public static Written write(Path zip, List<Entry> entries) throws IOException {
        Path temp = AtomicFiles.temporarySibling(zip);
        MessageDigest content = sha256();
        byte[] buffer = new byte[256 * 1024];
        try {
            try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(temp)) {
                out.setUseZip64(Zip64Mode.AsNeeded);
                out.setMethod(ZipEntry.STORED);
                for (Entry entry : entries) {
                    ZipArchiveEntry zipEntry = new ZipArchiveEntry(entry.name());
                    zipEntry.setMethod(ZipEntry.STORED);
                    zipEntry.setLastModifiedTime(Files.getLastModifiedTime(entry.file()));
                    out.putArchiveEntry(zipEntry);
                    content.update(entry.name().getBytes(StandardCharsets.UTF_8));
                    content.update((byte) 0);
                    copy(entry.file(), out, content, buffer);
                    out.closeArchiveEntry();
                }
            }
            long bytes = Files.size(temp);
            AtomicFiles.moveIntoPlace(temp, zip);
            return new Written(bytes, HexFormat.of().formatHex(content.digest()));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void copy(Path file, OutputStream out, MessageDigest digest, byte[] buffer) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
