package io.captiond.normalise;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.core.VideoClip;
import io.captiond.core.VideoFacts;
import io.captiond.support.AtomicFiles;
import io.captiond.support.ExternalProcess;
import io.captiond.support.VideoTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Makes trainer-ready clips from one probed video: H.264/H.265 in MP4, upright, constant frame rate,
 * within the configured size, frame rate and frame count. A clip that already is one is copied byte
 * for byte (after a demux pass that catches a truncated file); an MP4 that only carries audio or a
 * location the dataset must not keep is remuxed (streams copied); everything else is transcoded to
 * H.264 by ffmpeg (which applies the rotation itself). A long video is split into parts of
 * {@code split-seconds}, each a member of its own.
 */
@Component
public class VideoConverter {

    static final Set<String> TRAINER_CODECS = Set.of("h264", "hevc");

    private final VideoTools tools;
    private final VideoProbe probe;
    private final ImageRecords records;
    private final CaptiondProperties.Video config;
    private final boolean stripGps;

    public VideoConverter(VideoTools tools, VideoProbe probe, ImageRecords records, CaptiondProperties props) {
        this.tools = tools;
        this.probe = probe;
        this.records = records;
        this.config = props.video();
        this.stripGps = props.normalise().stripGps();
    }

    /** Refuses a video over the limits, from its probe facts alone (nothing decoded yet). */
    void checkLimits(VideoFacts facts) {
        if (facts.durationSeconds() > config.maxDuration().toMillis() / 1000.0) {
            throw new RejectedInputException(String.format(Locale.ROOT, "video is %.1f s long, over the limit of %d s "
                    + "(captiond.video.max-duration)", facts.durationSeconds(), config.maxDuration().toSeconds()));
        }
        long pixels = (long) facts.width() * facts.height();
        if (pixels > config.maxPixels()) {
            throw new RejectedInputException("video frames are " + facts.width() + "x" + facts.height() + " = " + pixels
                    + " pixels, over the limit of " + config.maxPixels() + " (captiond.video.max-pixels)");
        }
        if (facts.width() <= 0 || facts.height() <= 0) {
            throw new RejectedInputException("ffprobe found no frame size in the video stream");
        }
        if (!(facts.durationSeconds() > 0) || facts.frames() <= 0) {
            throw new RejectedInputException("the video stream has no frames (duration "
                    + facts.durationSeconds() + " s)");
        }
    }

    /** The members made from {@code source}: one, or one per part of a split. */
    public List<ImageRecord> convert(String dataset, Path source, String name, long bytes, ImageType type,
            VideoProbe.Probed probed, Path workDir, Path tempDir) throws IOException {
        VideoFacts facts = probed.facts();
        checkLimits(facts);
        List<double[]> parts = parts(facts.durationSeconds());
        List<ImageRecord> made = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            double start = parts.get(i)[0];
            double length = parts.get(i)[1];
            boolean split = parts.size() > 1;
            String partSource = split && i > 0 ? name + "#" + (i + 1) : name;
            String stemName = split ? io.captiond.core.SafeNames.safeStem(name) + String.format(Locale.ROOT, "_part%02d", i + 1) + ".mp4" : name;
            String output = records.allocateOutputName(dataset, stemName, "mp4");
            Path target = workDir.resolve(output);
            Path temporary = AtomicFiles.temporarySibling(target);
            List<String> changes = new ArrayList<>();
            String processing;
            try {
                processing = write(source, type, probed, split ? start : -1, split ? length : -1, temporary, tempDir, changes);
                // a pass-through member is the source byte for byte: its facts are the source's
                VideoFacts out = "passthrough".equals(processing) ? facts
                        : probe.probe(temporary, ImageType.MP4, tempDir).facts();
                AtomicFiles.moveIntoPlace(temporary, target);
                List<String> warnings = new ArrayList<>();
                if (split) {
                    warnings.add(String.format(Locale.ROOT, "video part %d of %d (%.1f s from %.1f s)", i + 1,
                            parts.size(), length, start));
                }
                if (!"passthrough".equals(processing)) {
                    warnings.add("video " + processing + ": " + (changes.isEmpty() ? "re-encoded" : String.join(", ", changes)));
                }
                made.add(new ImageRecord(partSource, type.label(), bytes, output, "mp4", out.displayWidth(),
                        out.displayHeight(), Files.size(target), null, warnings, null, Instant.now(), null, null,
                        new VideoClip(facts, out, processing, changes, i + 1, parts.size(), split ? start : 0)));
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
        return made;
    }

    /** [start, length] of each part; one part covering everything when no split is wanted. */
    List<double[]> parts(double duration) {
        int every = config.splitSeconds();
        List<double[]> parts = new ArrayList<>();
        if (every <= 0 || duration <= every + 0.5) {
            parts.add(new double[] {0, duration});
            return parts;
        }
        for (double start = 0; start < duration; start += every) {
            double length = Math.min(every, duration - start);
            if (length < 1.0 && !parts.isEmpty()) {
                break; // a last sliver under a second teaches a trainer nothing
            }
            parts.add(new double[] {start, length});
        }
        return parts;
    }

    /** Writes the clip to {@code target}; returns passthrough, remux or transcode. */
    private String write(Path source, ImageType type, VideoProbe.Probed probed, double start, double length,
            Path target, Path tempDir, List<String> changes) throws IOException {
        VideoFacts f = probed.facts();
        boolean fits = TRAINER_CODECS.contains(f.codec()) && f.upright() && !f.variableFrameRate()
                && (config.maxSide() == 0 || Math.max(f.width(), f.height()) <= config.maxSide())
                && (config.fps() == 0 || Math.abs(config.fps() - f.fps()) < 0.01)
                && (config.maxFrames() == 0 || f.frames() <= config.maxFrames())
                && start < 0 && type == ImageType.MP4;
        boolean dropAudio = f.audio() != null && !config.keepAudio();
        boolean dropLocation = stripGps && probed.hasLocation();
        if (fits && !dropAudio && !dropLocation) {
            run(VideoCommands.demuxCheck(source), source, tempDir, "cannot read this video to its end");
            Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return "passthrough";
        }
        if (fits) {
            if (dropAudio) {
                changes.add("audio (" + f.audio() + ") dropped");
            }
            if (dropLocation) {
                changes.add("location metadata removed");
            }
            run(VideoCommands.remux(source, target, f, dropAudio, dropLocation), source, tempDir, "cannot remux this video");
            return "remux";
        }
        run(VideoCommands.transcode(source, target, probed, config, start, length, changes), source, tempDir,
                "cannot transcode this video");
        return "transcode";
    }

    private void run(List<String> args, Path source, Path dir, String what) throws IOException {
        ExternalProcess.Run run;
        try {
            run = tools.ffmpeg(args, dir);
        } catch (ExternalProcess.CannotStart e) {
            throw new RejectedInputException("ffmpeg cannot be run (" + e.getMessage() + "): " + VideoTools.INSTALL_HINT);
        } catch (ExternalProcess.TimedOut e) {
            throw new RejectedInputException(e.getMessage() + " (captiond.video.timeout)");
        }
        if (!run.ok()) {
            throw new RejectedInputException("ffmpeg " + what + ": " + VideoTools.words(run, source));
        }
    }
}
