package io.captiond.upload;

import io.captiond.core.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.springframework.util.unit.DataSize;

/**
 * Checks a zip against what Replicate's FLUX trainers accept before a byte is uploaded (protocols.md
 * §4.2, seed 000): a flat zip of image + same-stem .txt pairs, at least 2 images, and no larger than
 * the files API takes. Reads only the zip's central directory.
 */
public final class ZipPreflight {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "webp");
    static final int MIN_IMAGES = 2;
    static final int RECOMMENDED_IMAGES = 10;

    private ZipPreflight() {
    }

    /** The checked zip: image count and advice that does not stop the upload. */
    public record Result(int images, List<String> warnings) {
    }

    public static Result check(Path zip, DataSize maxSize) throws IOException {
        long bytes = Files.size(zip);
        if (bytes > maxSize.toBytes()) {
            throw new UploadRejectedException(String.format(Locale.ROOT,
                    "%s is %.1f MiB, over the %s MiB Replicate accepts for an uploaded file; nothing was uploaded. "
                            + "Downscale the members with captiond.normalise.max-side (e.g. 2048; trainers use at most "
                            + "1024 px anyway) or split the dataset, then drop trigger.done again",
                    zip.getFileName(), bytes / 1048576.0,
                    new java.math.BigDecimal(maxSize.toBytes() / 1048576.0).setScale(2, java.math.RoundingMode.HALF_UP)
                            .stripTrailingZeros().toPlainString()));
        }
        Map<String, String> images = new HashMap<>();
        Set<String> captions = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                String ext = FileNames.extension(name);
                String stem = FileNames.stem(name);
                if (name.contains("/") || name.contains("\\")) {
                    problems.add("'" + name + "' is in a folder (the zip must be flat)");
                } else if (FileNames.isCaptionFile(name)) {
                    captions.add(stem);
                } else if (IMAGE_EXTENSIONS.contains(ext)) {
                    String other = images.put(stem, name);
                    if (other != null) {
                        problems.add("'" + other + "' and '" + name + "' would share one caption " + stem + ".txt");
                    }
                } else {
                    problems.add("'" + name + "' is neither an image (" + String.join(", ", new TreeSet<>(IMAGE_EXTENSIONS))
                            + ") nor a .txt caption");
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new UploadRejectedException(zip.getFileName() + " is not a readable zip (" + e.getMessage()
                    + "); the trainer would fail with \"input_images must be a zip file\"");
        }
        for (String stem : images.keySet()) {
            if (!captions.contains(stem)) {
                problems.add("'" + images.get(stem) + "' has no caption " + stem + ".txt");
            }
        }
        for (String stem : captions) {
            if (!images.containsKey(stem)) {
                problems.add("'" + stem + ".txt' has no image");
            }
        }
        if (images.size() < MIN_IMAGES) {
            problems.add("it holds " + images.size() + " image(s); Replicate's trainers need at least " + MIN_IMAGES);
        }
        if (!problems.isEmpty()) {
            throw new UploadRejectedException(zip.getFileName() + " is not what the trainer accepts: "
                    + String.join("; ", problems));
        }
        List<String> warnings = images.size() < RECOMMENDED_IMAGES
                ? List.of("only " + images.size() + " images: trainers recommend at least " + RECOMMENDED_IMAGES)
                : List.of();
        return new Result(images.size(), warnings);
    }
}
