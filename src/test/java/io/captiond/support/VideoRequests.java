package io.captiond.support;

import io.captiond.caption.CaptionRequest;
import io.captiond.caption.ClipFrames;
import io.captiond.caption.FrameSampler;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.Dataset;
import io.captiond.core.DatasetSettings;
import io.captiond.core.ImageRecord;
import io.captiond.core.VideoClip;
import io.captiond.core.VideoFacts;
import io.captiond.normalise.ImageType;
import io.captiond.normalise.VideoProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A caption request for a real clip: probed by ffprobe and sampled by ffmpeg as the daemon does. */
public final class VideoRequests {

    private VideoRequests() {
    }

    public static CaptionRequest request(Path clip, int frames, CaptiondProperties props) throws Exception {
        VideoTools tools = new VideoTools(props);
        VideoFacts facts = new VideoProbe(tools).probe(clip, ImageType.MP4, clip.getParent()).facts();
        ImageRecord record = new ImageRecord(clip.getFileName().toString(), "mp4", Files.size(clip),
                clip.getFileName().toString(), "mp4", facts.displayWidth(), facts.displayHeight(), Files.size(clip), null,
                List.of(), null, Instant.now(), null, null, new VideoClip(facts, facts, "passthrough", List.of(), 1, 1, 0));
        ClipFrames sampled = new FrameSampler(tools).sample(clip, record, frames, 1536);
        return new CaptionRequest(sampled.middle(), record, new Dataset("zeke", DatasetSettings.NONE, "zeke_walk", null),
                null, sampled);
    }
}
