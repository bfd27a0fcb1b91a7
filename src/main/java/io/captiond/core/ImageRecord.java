package io.captiond.core;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What captiond knows about one dataset member, kept next to it in
 * {@code work/<dataset>/.captiond/records/<output>.json} so that a restart, a review and the manifest
 * all read the same facts. The caption itself lives only in the {@code .txt} sidecar.
 *
 * @param source       the file name as dropped into the inbox
 * @param sourceFormat the real type found from its bytes (jpeg, png, webp, heic, avif, mpo)
 * @param sourceBytes  its size
 * @param output       the member's file name in work/ and in the zip
 * @param format       jpeg, png or webp
 * @param width        pixels, upright
 * @param height       pixels, upright
 * @param bytes        size of the output file
 * @param exif         camera facts kept for captioning, or null
 * @param warnings     things the user may want to know (orientation baked, frames dropped...)
 * @param captioner    who wrote the caption: "user" (a .txt from the inbox) or provider/model
 * @param normalisedAt when the output was written
 * @param captionedAt  when the sidecar was written, or null while it is pending
 * @param alpha        what became of the source's transparency: "flattened" (laid over the
 *                     background), "kept", or null when it had none
 * @param video        for a video member: probe facts, processing and split part; null for images
 */
public record ImageRecord(
        String source,
        String sourceFormat,
        long sourceBytes,
        String output,
        String format,
        int width,
        int height,
        long bytes,
        Exif exif,
        List<String> warnings,
        String captioner,
        Instant normalisedAt,
        Instant captionedAt,
        String alpha,
        VideoClip video) {

    public ImageRecord {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** An image member with no alpha to speak of (most photos), no video facts. */
    public ImageRecord(String source, String sourceFormat, long sourceBytes, String output, String format, int width,
            int height, long bytes, Exif exif, List<String> warnings, String captioner, Instant normalisedAt,
            Instant captionedAt) {
        this(source, sourceFormat, sourceBytes, output, format, width, height, bytes, exif, warnings, captioner,
                normalisedAt, captionedAt, null, null);
    }

    /** The file dropped into the inbox: the source name without a split part's {@code #n} suffix. */
    public String sourceFile() {
        int hash = source.lastIndexOf('#');
        return video != null && hash > 0 ? source.substring(0, hash) : source;
    }

    public String outputStem() {
        return FileNames.stem(output);
    }

    public String sourceStem() {
        return FileNames.stem(sourceFile());
    }

    /** The member's caption file in work/ and in the zip. */
    public String sidecarName() {
        return FileNames.captionFileOf(output);
    }

    public ImageRecord captionedBy(String who, List<String> extraWarnings) {
        List<String> all = new ArrayList<>(warnings);
        extraWarnings.stream().filter(w -> !all.contains(w)).forEach(all::add);
        return new ImageRecord(source, sourceFormat, sourceBytes, output, format, width, height, bytes, exif, all,
                who, normalisedAt, Instant.now(), alpha, video);
    }

    /** The camera facts a caption may mention; any of them may be null. */
    public record Exif(String make, String model, String lens, Double focalLengthMm, LocalDateTime taken) {

        public boolean isEmpty() {
            return make == null && model == null && lens == null && focalLengthMm == null && taken == null;
        }
    }
}
