package io.captiond.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A folder of phone clips for the end-to-end video tests: an iPhone-like rotated portrait HEVC
 * {@code IMG_0001.MOV} (when this ffmpeg has libx265) and an H.264 {@code talk.mp4} with audio,
 * dropped with trigger.done; and what their zip must be: {@code <clip>.mp4} + {@code <clip>.txt} at
 * the root and nothing else, the portrait clip upright, every caption a video caption.
 */
public final class PhoneClips {

    private PhoneClips() {
    }

    /** Drops the clips into {@code inbox/<dataset>/} with trigger.done; returns the stems expected in the zip. */
    public static List<String> drop(DropFolders folders, String dataset, Path made) throws Exception {
        Clips.assumeFfmpeg();
        List<String> stems = new ArrayList<>();
        if (Clips.output("ffmpeg", "-hide_banner", "-encoders").contains(" libx265 ")) {
            folders.drop(dataset, Clips.rotatedPortraitHevc(made, "IMG_0001.MOV"), "IMG_0001.MOV");
            stems.add("IMG_0001");
        } else {
            System.out.println("SKIPPED CASE: no libx265 in this ffmpeg, the rotated portrait HEVC clip is left out");
        }
        folders.drop(dataset, Clips.h264(made, "talk.mp4", 1, 320, 240, true), "talk.mp4");
        stems.add("talk");
        folders.trigger(dataset);
        return stems;
    }

    /** Exactly {@code <stem>.mp4} + {@code <stem>.txt} per clip; the portrait clip upright; each caption {@code caption}. */
    public static void assertVideoZip(Map<String, byte[]> zip, List<String> stems, String caption, Path made) throws Exception {
        List<String> expected = new ArrayList<>();
        stems.forEach(stem -> expected.addAll(List.of(stem + ".mp4", stem + ".txt")));
        assertThat(zip.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        for (String stem : stems) {
            assertThat(new String(zip.get(stem + ".txt"), StandardCharsets.UTF_8).strip()).as(stem + ".txt").isEqualTo(caption);
        }
        if (stems.contains("IMG_0001")) {
            Path clip = Files.write(made.resolve("zipped-IMG_0001.mp4"), zip.get("IMG_0001.mp4"));
            assertThat(Clips.stream(clip, "codec_name")).isEqualTo("h264");
            assertThat(Clips.stream(clip, "width,height")).isEqualTo("240\n320");
            BufferedImage frame = Clips.frame(clip, 0.5);
            assertThat((frame.getRGB(120, 10) >> 16) & 0xFF).as("upright: red band on top").isGreaterThan(200);
        }
    }
}
