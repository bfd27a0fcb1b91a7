package io.captiond.caption;

import io.captiond.core.ImageRecord;
import io.captiond.support.ExternalProcess;
import io.captiond.support.Pixels;
import io.captiond.support.VideoTools;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.springframework.stereotype.Component;

/**
 * Samples N frames evenly across a clip with one ffmpeg run: the {@code fps} filter at N/duration
 * frames per second keeps one frame from each of N equal stretches of the clip. Frames are scaled
 * to at most {@link #FRAME_SIDE} pixels: several go into one request, and a model reads motion and
 * content at that size as well as at full resolution.
 */
@Component
public class FrameSampler {

    public static final int FRAME_SIDE = 768;

    private final VideoTools tools;

    public FrameSampler(VideoTools tools) {
        this.tools = tools;
    }

    public ClipFrames sample(Path clip, ImageRecord record, int count, int captionSide) throws IOException {
        double duration = Math.max(0.04, record.video().output().durationSeconds());
        int side = Math.min(FRAME_SIDE, captionSide);
        Path dir = Files.createTempDirectory(Files.createDirectories(clip.getParent().resolve(".captiond")), "frames");
        try {
            ExternalProcess.Run run = tools.ffmpeg(List.of("-i", clip.toString(), "-vf",
                    String.format(Locale.ROOT, "fps=%.6f,scale=%d:%d:force_original_aspect_ratio=decrease", count / duration,
                            side, side),
                    "-frames:v", String.valueOf(count), "-q:v", "3", "-f", "image2", dir.resolve("f%03d.jpg").toString()), dir);
            if (!run.ok()) {
                throw new IOException("ffmpeg could not sample frames of " + clip.getFileName() + ": "
                        + VideoTools.words(run, clip));
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "f*.jpg")) {
                stream.forEach(files::add);
            }
            files.sort(null);
            if (files.isEmpty()) {
                throw new IOException("ffmpeg sampled no frame of " + clip.getFileName());
            }
            List<BufferedImage> images = new ArrayList<>();
            List<byte[]> jpegs = new ArrayList<>();
            for (Path file : files) {
                BufferedImage image = ImageIO.read(file.toFile());
                images.add(Pixels.opaqueRgb(image, java.awt.Color.WHITE));
                jpegs.add(Files.readAllBytes(file));
            }
            return new ClipFrames(clip, Files.size(clip), record.video(), images, jpegs);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
