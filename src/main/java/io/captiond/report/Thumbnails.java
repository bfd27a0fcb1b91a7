package io.captiond.report;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The report's thumbnails, kept in one scratch file rather than in memory (10,000 thumbnails would
 * take 40 MB of heap), read back only for the images the page shows; the file goes on close.
 */
final class Thumbnails implements AutoCloseable {

    private final Path path;
    private final RandomAccessFile file;
    private final long[] offsets;
    private final int[] lengths;

    Thumbnails(Path path, int count) throws IOException {
        this.path = path;
        this.file = new RandomAccessFile(path.toFile(), "rw");
        this.offsets = new long[count];
        this.lengths = new int[count];
    }

    synchronized void put(int index, byte[] jpeg) throws IOException {
        long at = file.length();
        file.seek(at);
        file.write(jpeg);
        offsets[index] = at;
        lengths[index] = jpeg.length;
    }

    /** A data: URI of the thumbnail, or null when there is none. */
    synchronized String dataUri(int index) throws IOException {
        if (lengths[index] == 0) {
            return null;
        }
        byte[] bytes = new byte[lengths[index]];
        file.seek(offsets[index]);
        file.readFully(bytes);
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public void close() throws IOException {
        file.close();
        java.nio.file.Files.deleteIfExists(path);
    }
}
