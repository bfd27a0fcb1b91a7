package io.captiond.web;

import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.support.AtomicFiles;
import io.captiond.support.Pixels;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * Small JPEGs for the contact sheet, made once per member in {@code work/<dataset>/.captiond/thumbs/}
 * and made again only when the member is newer. Members are already upright (normalise bakes the
 * EXIF orientation into the pixels and resets the tag), so a plain decode is the right way up.
 * Decoding is subsampled (a 48 MP photo is not decoded whole) and at most two run at once, so a cold
 * contact sheet cannot eat the heap or both cores.
 */
@Component
public class Thumbnails {

    static final int SIDE = 320;

    private final Folders folders;
    private final Map<Path, Object> making = new ConcurrentHashMap<>();
    private final Semaphore decoders = new Semaphore(2);

    public Thumbnails(Folders folders) {
        this.folders = folders;
    }

    public Path of(String dataset, ImageRecord member) throws IOException {
        Path source = folders.work(dataset).resolve(member.output());
        Path thumb = folders.records(dataset).resolveSibling("thumbs").resolve(member.outputStem() + ".jpg");
        if (fresh(thumb, source)) {
            return thumb;
        }
        Object lock = making.computeIfAbsent(thumb, k -> new Object());
        try {
            synchronized (lock) {
                if (!fresh(thumb, source)) {
                    make(source, thumb, member);
                }
            }
        } finally {
            making.remove(thumb, lock);
        }
        return thumb;
    }

    private void make(Path source, Path thumb, ImageRecord member) throws IOException {
        decoders.acquireUninterruptibly();
        try {
            BufferedImage decoded = Pixels.decode(source, Pixels.subsamplingFor(member.width(), member.height(), SIDE));
            BufferedImage small = Pixels.fitWithin(Pixels.opaqueRgb(decoded, Color.WHITE), SIDE);
            byte[] jpeg = Pixels.encodeJpeg(small, 0.8f);
            Files.createDirectories(thumb.getParent());
            AtomicFiles.write(thumb, out -> out.write(jpeg));
        } finally {
            decoders.release();
        }
    }

    private static boolean fresh(Path thumb, Path source) throws IOException {
        return Files.isRegularFile(thumb)
                && Files.getLastModifiedTime(thumb).compareTo(Files.getLastModifiedTime(source)) >= 0;
    }
}
