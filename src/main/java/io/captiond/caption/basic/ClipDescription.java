package io.captiond.caption.basic;

import io.captiond.caption.ClipFrames;
import io.captiond.core.VideoFacts;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The offline caption of a video clip: length, framing, resolution and frame rate from the probe,
 * colours and light from the middle frame, and how much moves from the sampled frames (mean
 * brightness change per pixel between neighbouring frames, and whether the light changes). It says
 * "clip", not "video clip": the video template in front already reads "video of TOK, ".
 */
final class ClipDescription {

    private ClipDescription() {
    }

    static String describe(ClipFrames clip) {
        VideoFacts out = clip.facts().output();
        int w = out.displayWidth();
        int h = out.displayHeight();
        Tones tones = Tones.of(clip.middle().image());
        List<String> parts = new ArrayList<>();
        parts.add(BasicCaptioner.article(String.format(Locale.ROOT, "%s-second %s %s clip at %s fps",
                seconds(out.durationSeconds()), BasicCaptioner.framing(w, h), BasicCaptioner.resolution(w, h),
                fps(out.fps()))) + " in " + tones.colourPhrase());
        parts.add(tones.lightPhrase());
        parts.add(motionPhrase(meanChange(clip.images())));
        String light = lightChange(clip.images());
        if (!light.isEmpty()) {
            parts.add(light);
        }
        return String.join(", ", parts);
    }

    static String motionPhrase(double change) {
        if (change < 1.5) {
            return "an almost still scene";
        }
        if (change < 6) {
            return "with gentle motion";
        }
        return change < 18 ? "with steady motion" : "with fast motion or camera movement";
    }

    /** Mean absolute luma difference (0–255) between neighbouring sampled frames, on a coarse grid. */
    static double meanChange(List<BufferedImage> frames) {
        if (frames.size() < 2) {
            return 0;
        }
        double total = 0;
        for (int i = 1; i < frames.size(); i++) {
            total += difference(frames.get(i - 1), frames.get(i));
        }
        return total / (frames.size() - 1);
    }

    private static double difference(BufferedImage a, BufferedImage b) {
        int w = Math.min(a.getWidth(), b.getWidth());
        int h = Math.min(a.getHeight(), b.getHeight());
        int step = Math.max(1, (int) Math.sqrt((double) w * h / 10_000));
        double sum = 0;
        int n = 0;
        for (int y = 0; y < h; y += step) {
            for (int x = 0; x < w; x += step) {
                sum += Math.abs(luma(a.getRGB(x, y)) - luma(b.getRGB(x, y)));
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private static String lightChange(List<BufferedImage> frames) {
        double first = Tones.of(frames.get(0)).meanLuma();
        double last = Tones.of(frames.get(frames.size() - 1)).meanLuma();
        if (last - first > 0.15) {
            return "getting brighter";
        }
        return first - last > 0.15 ? "getting darker" : "";
    }

    private static double luma(int rgb) {
        return 0.2126 * ((rgb >> 16) & 0xFF) + 0.7152 * ((rgb >> 8) & 0xFF) + 0.0722 * (rgb & 0xFF);
    }

    private static String seconds(double s) {
        return s >= 10 ? String.valueOf(Math.round(s)) : String.format(Locale.ROOT, "%.1f", s);
    }

    private static String fps(double fps) {
        return fps == Math.rint(fps) ? String.valueOf((long) fps) : String.format(Locale.ROOT, "%.2f", fps);
    }
}
