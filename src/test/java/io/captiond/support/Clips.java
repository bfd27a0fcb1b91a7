package io.captiond.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Test clips made by the real ffmpeg from lavfi sources, the way phones make them: a portrait video
 * stored landscape with a rotation (iPhone HEVC), a variable frame rate, audio or none, a long clip,
 * a truncated file. Tests that need ffmpeg skip visibly when it is missing.
 */
public final class Clips {

    private Clips() {
    }

    public static void assumeFfmpeg() {
        assumeTrue(runs("ffmpeg", "-version") && runs("ffprobe", "-version"),
                "ffmpeg/ffprobe not installed (apt-get install ffmpeg): video test skipped");
    }

    public static void assumeEncoder(String encoder) {
        assumeFfmpeg();
        String encoders = output("ffmpeg", "-hide_banner", "-encoders");
        assumeTrue(encoders.contains(" " + encoder + " "), "this ffmpeg has no " + encoder + " encoder: case skipped");
    }

    /**
     * A portrait clip (240x320 as shown: red band at the top, blue below) stored as 320x240 HEVC in a
     * QuickTime file whose display matrix turns it upright, as an iPhone records it.
     */
    public static Path rotatedPortraitHevc(Path dir, String name) throws IOException {
        Path coded = dir.resolve(".coded-" + name);
        ffmpeg("-f", "lavfi", "-i", "color=c=blue:size=240x320:rate=30,drawbox=x=0:y=0:w=240:h=60:color=red:t=fill",
                "-t", "1", "-vf", "transpose=1", "-pix_fmt", "yuv420p", "-c:v", "libx265", "-x265-params", "log-level=error",
                "-tag:v", "hvc1", "-f", "mov", coded.toString());
        Path clip = dir.resolve(name);
        ffmpeg("-i", coded.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=90", "-f", "mov", clip.toString());
        Files.delete(coded);
        return clip;
    }

    /** H.264 MP4 from testsrc2; {@code audio} adds a sine tone as AAC. */
    public static Path h264(Path dir, String name, double seconds, int width, int height, boolean audio) throws IOException {
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=rate=30:size=" + width + "x" + height));
        if (audio) {
            args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"));
        }
        args.addAll(List.of("-t", String.valueOf(seconds), "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast"));
        args.addAll(audio ? List.of("-c:a", "aac", "-shortest") : List.of("-an"));
        Path clip = dir.resolve(name);
        args.addAll(List.of("-f", "mp4", clip.toString()));
        ffmpeg(args.toArray(String[]::new));
        return clip;
    }

    /** Variable frame rate: 10 fps in the first second, 30 fps in the second (a phone dropping frames in low light). */
    public static Path variableFrameRate(Path dir, String name) throws IOException {
        Path clip = dir.resolve(name);
        ffmpeg("-f", "lavfi", "-i", "testsrc2=rate=30:size=320x240", "-t", "2", "-vf", "select='not(mod(n\\,3))+gt(n\\,30)'",
                "-vsync", "vfr", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mp4", clip.toString());
        return clip;
    }

    /** A Live Photo's motion part: a short QuickTime clip carrying Apple's content identifier. */
    public static Path livePhotoClip(Path dir, String name, String contentIdentifier) throws IOException {
        Path plain = h264(dir, ".plain-" + name, 1.5, 320, 240, true);
        Path clip = dir.resolve(name);
        ffmpeg("-i", plain.toString(), "-c", "copy", "-movflags", "use_metadata_tags", "-metadata",
                "com.apple.quicktime.content.identifier=" + contentIdentifier, "-f", "mov", clip.toString());
        Files.delete(plain);
        return clip;
    }

    /** The first half of an MP4 whose index (moov) is at the end, as a phone leaves an interrupted recording. */
    public static Path truncated(Path dir, String name) throws IOException {
        Path whole = h264(dir, ".whole-" + name, 3, 640, 480, false);
        byte[] bytes = Files.readAllBytes(whole);
        Files.delete(whole);
        Path clip = dir.resolve(name);
        Files.write(clip, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        return clip;
    }

    /** One frame at {@code seconds}, decoded by ffmpeg (rotation applied) to an image. */
    public static BufferedImage frame(Path clip, double seconds) throws IOException {
        Path png = Files.createTempFile("frame", ".png");
        try {
            ffmpeg("-ss", String.valueOf(seconds), "-i", clip.toString(), "-frames:v", "1", "-f", "image2", png.toString());
            return ImageIO.read(png.toFile());
        } finally {
            Files.deleteIfExists(png);
        }
    }

    /** ffprobe's {@code -show_entries} value for the first video stream, e.g. "codec_name". */
    public static String stream(Path clip, String entry) {
        return output("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=" + entry,
                "-of", "default=nw=1:nk=1", clip.toString()).strip();
    }

    public static String streams(Path clip) {
        return output("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name:stream_side_data=rotation",
                "-of", "compact", clip.toString()).strip();
    }

    public static void ffmpeg(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("ffmpeg " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
