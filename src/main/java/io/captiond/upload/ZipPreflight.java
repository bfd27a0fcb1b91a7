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
 * Checks a zip against what Replicate's trainers accept before a byte is uploaded (protocols.md
 * §4.2, seed 000): a flat zip of image (or video clip) + same-stem .txt pairs, at least 2 members,
 * and no larger than the files API takes. Reads only the zip's central directory. Clips are fine
 * here; whether the chosen trainer takes them is known only from its schema, so
 * {@link Result#requireTrainerFor} decides that once the schema is read (still before the upload).
 */
public final class ZipPreflight {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "webp");
    /** What video trainers (musubi-tuner, diffusion-pipe and their Replicate wrappers) read; captiond writes mp4. */
    static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mov", "webm", "mkv", "avi");
    static final int MIN_IMAGES = 2;
    static final int RECOMMENDED_IMAGES = 10;

    private ZipPreflight() {
    }

    /** The checked zip: image and clip counts (a clip named as an example), advice that does not stop the upload. */
    public record Result(int images, int videos, String firstClip, List<String> warnings) {

        public Result(int images, List<String> warnings) {
            this(images, 0, null, warnings);
        }

        /**
         * Refuses clips for a trainer that takes images only: an image trainer would skip them and
         * train on nothing (or fail) after the upload and the GPU time were paid for.
         */
        public void requireTrainerFor(String trainer, boolean takesVideo) {
            if (videos > 0 && !takesVideo) {
                throw new UploadRejectedException("the zip holds " + videos + " video clip(s) ('" + firstClip + "'), and "
                        + "trainer " + trainer + " takes images only (nothing in its input schema mentions video); "
                        + "nothing was uploaded. Choose a video trainer with captiond.upload.trainer (or 'trainer' under "
                        + "'upload' in dataset.yaml), e.g. zsxkib/hunyuan-video-lora, or set "
                        + "captiond.upload.trainer-takes-video=true if this trainer does take clips");
            }
        }

        /** Members the trainer will read: all of them, except images next to clips for a video trainer (warned). */
        public int members() {
            return images + videos;
        }
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
        Map<String, String> clips = new java.util.TreeMap<>();
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
                } else if (IMAGE_EXTENSIONS.contains(ext) || VIDEO_EXTENSIONS.contains(ext)) {
                    String other = images.containsKey(stem) ? images.get(stem) : clips.get(stem);
                    (IMAGE_EXTENSIONS.contains(ext) ? images : clips).put(stem, name);
                    if (other != null) {
                        problems.add("'" + other + "' and '" + name + "' would share one caption " + stem + ".txt");
                    }
                } else {
                    problems.add("'" + name + "' is neither an image (" + String.join(", ", new TreeSet<>(IMAGE_EXTENSIONS))
                            + "), a video clip (" + String.join(", ", new TreeSet<>(VIDEO_EXTENSIONS)) + ") nor a .txt caption");
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new UploadRejectedException(zip.getFileName() + " is not a readable zip (" + e.getMessage()
                    + "); the trainer would fail with \"input_images must be a zip file\"");
        }
        Map<String, String> members = new java.util.TreeMap<>(images);
        members.putAll(clips);
        for (String stem : members.keySet()) {
            if (!captions.contains(stem)) {
                problems.add("'" + members.get(stem) + "' has no caption " + stem + ".txt");
            }
        }
        for (String stem : captions) {
            if (!members.containsKey(stem)) {
                problems.add("'" + stem + ".txt' has no image or clip");
            }
        }
        if (members.size() < MIN_IMAGES) {
            problems.add("it holds " + members.size() + " image(s) or clip(s); Replicate's trainers need at least " + MIN_IMAGES);
        }
        if (!problems.isEmpty()) {
            throw new UploadRejectedException(zip.getFileName() + " is not what the trainer accepts: "
                    + String.join("; ", problems));
        }
        List<String> warnings = new ArrayList<>();
        if (clips.isEmpty() && images.size() < RECOMMENDED_IMAGES) {
            warnings.add("only " + images.size() + " images: trainers recommend at least " + RECOMMENDED_IMAGES);
        }
        if (!clips.isEmpty() && !images.isEmpty()) {
            warnings.add(images.size() + " image(s) next to " + clips.size() + " clip(s): a trainer that reads only "
                    + "clips skips the images");
        }
        return new Result(images.size(), clips.size(), clips.isEmpty() ? null : clips.values().iterator().next(),
                List.copyOf(warnings));
    }
}
