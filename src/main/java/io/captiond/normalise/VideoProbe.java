package io.captiond.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.core.VideoFacts;
import io.captiond.support.ExternalProcess;
import io.captiond.support.Json;
import io.captiond.support.VideoTools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Reads a video's facts with ffprobe (container and stream headers only, no frame decoded). A file
 * ffprobe cannot read is rejected with ffprobe's own words ({@code moov atom not found}...).
 */
@Component
public class VideoProbe {

    private final VideoTools tools;

    public VideoProbe(VideoTools tools) {
        this.tools = tools;
    }

    /** The facts plus the container's global tags (location, creation time...). */
    public record Probed(VideoFacts facts, Map<String, String> tags, String pixelFormat, String frameRate) {

        /** A GPS position in the container's tags (Apple's ISO 6709 location, Android's "location"). */
        public boolean hasLocation() {
            return tags.keySet().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT).contains("location"));
        }
    }

    /**
     * Parses a typical ffprobe answer once, off the start-up thread, as soon as the daemon is ready.
     * The first parse in a JVM loads Jackson's tree model (about 250 ms on an idle core, seconds on
     * a loaded one): bench/video.sh found that one-time cost to be all of VideoProbe's overhead over
     * bare ffprobe; warm, the two take the same time. Without this the first clip dropped paid it.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void warmUp() {
        Thread warm = new Thread(() -> {
            try {
                parse(Json.MAPPER.readTree(WARM_UP_JSON), ImageType.MOV);
            } catch (IOException | RuntimeException e) {
                // only a warm-up: the first real probe pays the cost instead
            }
        }, "captiond-probe-warm-up");
        warm.setDaemon(true);
        warm.start();
    }

    /** What ffprobe prints for a short iPhone HEVC clip with audio, cut to the fields {@link #parse} reads. */
    private static final String WARM_UP_JSON = """
            {"streams": [{"codec_name": "hevc", "codec_type": "video", "width": 1920, "height": 1080, "pix_fmt": "yuv420p",
              "r_frame_rate": "30/1", "avg_frame_rate": "30/1", "duration": "3.000000", "nb_frames": "90",
              "disposition": {"attached_pic": 0}, "tags": {"rotate": "90"},
              "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]},
             {"codec_name": "aac", "codec_type": "audio", "disposition": {"attached_pic": 0}}],
             "format": {"duration": "3.000000", "tags": {"com.apple.quicktime.content.identifier": "warm-up"}}}""";

    public Probed probe(Path file, ImageType type, Path tempDir) throws IOException {
        ExternalProcess.Run run;
        try {
            run = tools.probe(file, tempDir);
        } catch (ExternalProcess.CannotStart e) {
            throw new RejectedInputException("ffprobe cannot be run (" + e.getMessage() + "): " + VideoTools.INSTALL_HINT);
        } catch (ExternalProcess.TimedOut e) {
            throw new RejectedInputException(e.getMessage() + " (captiond.video.probe-timeout)");
        }
        if (!run.ok()) {
            throw new RejectedInputException("ffprobe cannot read this video: " + VideoTools.words(run, file));
        }
        return parse(Json.MAPPER.readTree(run.output()), type);
    }

    /** {@code type} (found from the bytes) names the container: ffprobe calls MOV and MP4 alike "mov,mp4,...". */
    static Probed parse(JsonNode json, ImageType type) {
        JsonNode video = null;
        String audio = null;
        for (JsonNode stream : json.path("streams")) {
            String kind = stream.path("codec_type").asText();
            if (kind.equals("video") && video == null && stream.path("disposition").path("attached_pic").asInt() == 0) {
                video = stream;
            } else if (kind.equals("audio") && audio == null) {
                audio = stream.path("codec_name").asText("unknown");
            }
        }
        if (video == null) {
            throw new RejectedInputException("no video stream in this file (ffprobe found "
                    + json.path("streams").size() + " other stream(s))");
        }
        JsonNode format = json.path("format");
        Map<String, String> tags = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = format.path("tags").fields(); it.hasNext();) {
            var tag = it.next();
            tags.put(tag.getKey(), tag.getValue().asText());
        }
        double duration = number(video.path("duration").asText(""));
        if (!(duration > 0)) {
            duration = number(format.path("duration").asText(""));
        }
        String avg = video.path("avg_frame_rate").asText("0/0");
        String nominal = video.path("r_frame_rate").asText("0/0");
        double fps = rate(avg) > 0 ? rate(avg) : rate(nominal);
        boolean vfr = rate(avg) > 0 && rate(nominal) > 0 && Math.abs(rate(avg) - rate(nominal)) / rate(nominal) > 0.01;
        long frames = video.path("nb_frames").asLong(0);
        if (frames <= 0 && duration > 0 && fps > 0) {
            frames = Math.round(duration * fps);
        }
        int rotation = 0;
        for (JsonNode side : video.path("side_data_list")) {
            if (side.has("rotation")) {
                rotation = (int) Math.round(side.path("rotation").asDouble());
            }
        }
        if (rotation == 0 && video.path("tags").has("rotate")) {
            rotation = video.path("tags").path("rotate").asInt();
        }
        String contentId = tags.get("com.apple.quicktime.content.identifier");
        VideoFacts facts = new VideoFacts(type.label(), video.path("codec_name").asText("unknown"),
                Double.isNaN(duration) ? 0 : duration, fps, vfr, frames, video.path("width").asInt(),
                video.path("height").asInt(), rotation, audio, contentId);
        return new Probed(facts, tags, video.path("pix_fmt").asText(""), rate(avg) > 0 ? avg : nominal);
    }

    static double rate(String fraction) {
        int slash = fraction.indexOf('/');
        if (slash < 0) {
            return number(fraction);
        }
        double num = number(fraction.substring(0, slash));
        double den = number(fraction.substring(slash + 1));
        return den > 0 ? num / den : 0;
    }

    private static double number(String text) {
        try {
            return text.isBlank() ? Double.NaN : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
