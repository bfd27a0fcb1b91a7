package io.captiond.normalise;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.VideoFacts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg arguments captiond runs (after {@code ffmpeg -nostdin -v error -y}), in one place so
 * that the bench can time bare ffmpeg with exactly the same ones.
 */
public final class VideoCommands {

    private VideoCommands() {
    }

    /** Reads every packet of the video stream without decoding: a truncated file fails here. */
    public static List<String> demuxCheck(Path source) {
        return List.of("-xerror", "-i", source.toString(), "-map", "0:v:0", "-c", "copy", "-f", "null", "-");
    }

    /** Copies the video stream into a new MP4, leaving out audio and/or the container's metadata. */
    public static List<String> remux(Path source, Path target, VideoFacts facts, boolean dropAudio, boolean dropMetadata) {
        List<String> args = new ArrayList<>(List.of("-xerror", "-i", source.toString(), "-map", "0:v:0"));
        if (!dropAudio && facts.audio() != null) {
            args.addAll(List.of("-map", "0:a:0?"));
        }
        args.addAll(List.of("-c", "copy"));
        if (dropMetadata) {
            args.addAll(List.of("-map_metadata", "-1"));
        }
        if ("hevc".equals(facts.codec())) {
            args.addAll(List.of("-tag:v", "hvc1")); // the tag Apple players and most trainers' readers expect
        }
        args.addAll(List.of("-movflags", "+faststart", "-f", "mp4", target.toString()));
        return args;
    }

    /**
     * Re-encodes to H.264 MP4: ffmpeg applies the display rotation itself (autorotate) and writes an
     * upright stream without rotation metadata; the fps filter makes the frame rate constant; even
     * dimensions for 4:2:0; metadata (location) left out. {@code start}/{@code length} &lt; 0: whole clip.
     */
    public static List<String> transcode(Path source, Path target, VideoProbe.Probed probed, CaptiondProperties.Video config,
            double start, double length, List<String> changes) {
        VideoFacts f = probed.facts();
        List<String> args = new ArrayList<>();
        if (start >= 0) {
            args.addAll(List.of("-ss", seconds(start)));
        }
        args.addAll(List.of("-i", source.toString()));
        if (length >= 0) {
            args.addAll(List.of("-t", seconds(length)));
        }
        args.addAll(List.of("-map", "0:v:0"));
        boolean audio = config.keepAudio() && f.audio() != null;
        if (audio) {
            args.addAll(List.of("-map", "0:a:0"));
        }
        String rate = config.fps() > 0 ? seconds(config.fps()) : probed.frameRate();
        List<String> filters = new ArrayList<>(List.of("fps=" + rate));
        if (config.maxSide() > 0 && Math.max(f.width(), f.height()) > config.maxSide()) {
            filters.add("scale=" + config.maxSide() + ":" + config.maxSide()
                    + ":force_original_aspect_ratio=decrease:force_divisible_by=2");
            changes.add("scaled to fit " + config.maxSide() + " px");
        } else {
            filters.add("scale=trunc(iw/2)*2:trunc(ih/2)*2");
        }
        args.addAll(List.of("-vf", String.join(",", filters)));
        if (config.maxFrames() > 0) {
            args.addAll(List.of("-frames:v", String.valueOf(config.maxFrames())));
            if (f.frames() > config.maxFrames() || config.fps() > 0) {
                changes.add("at most " + config.maxFrames() + " frames");
            }
        }
        args.addAll(List.of("-c:v", "libx264", "-preset", config.preset(), "-crf", String.valueOf(config.crf()),
                "-pix_fmt", "yuv420p"));
        args.addAll(audio ? List.of("-c:a", "aac", "-b:a", "128k") : List.of("-an"));
        args.addAll(List.of("-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4", target.toString()));

        if (!"h264".equals(f.codec())) {
            changes.add(f.codec() + " re-encoded as h264");
        }
        if (!f.upright()) {
            changes.add("rotation " + f.rotation() + "° applied to the pixels");
        }
        if (f.variableFrameRate()) {
            changes.add("variable frame rate made constant at " + seconds(config.fps() > 0 ? config.fps() : f.fps()) + " fps");
        } else if (config.fps() > 0 && Math.abs(config.fps() - f.fps()) >= 0.01) {
            changes.add("frame rate " + seconds(f.fps()) + " → " + seconds(config.fps()) + " fps");
        }
        if (f.audio() != null && !audio) {
            changes.add("audio (" + f.audio() + ") dropped");
        }
        if (!"mp4".equals(f.container())) {
            changes.add(f.container() + " → mp4");
        }
        return args;
    }

    static String seconds(double value) {
        String text = String.format(Locale.ROOT, "%.3f", value);
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
