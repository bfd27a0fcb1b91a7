package io.captiond.support;

import io.captiond.config.CaptiondProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * ffprobe and ffmpeg (Debian's {@code ffmpeg} package), run out of process with a timeout and
 * bounded parallelism: probes (container reads, quick) and ffmpeg runs (transcodes, frame samples,
 * slow) have separate slots, so a long transcode never holds up the probe of the next file. Shared
 * by the normalise stage (probe, transcode) and the caption stage (frames for captioners).
 */
@Component
public class VideoTools {

    public static final String INSTALL_HINT = "install ffmpeg: apt-get install ffmpeg";

    private static final Logger log = LoggerFactory.getLogger(VideoTools.class);
    /** ffprobe's JSON for a file with a handful of streams is a few KB; a hostile file gets no more than this. */
    private static final int MAX_PROBE_JSON = 4 * 1024 * 1024;

    private final String ffprobe;
    private final String ffmpeg;
    private final ExternalProcess probes;
    private final ExternalProcess runs;

    public VideoTools(CaptiondProperties props) {
        var video = props.video();
        this.ffprobe = video.ffprobe();
        this.ffmpeg = video.ffmpeg();
        this.probes = new ExternalProcess("ffprobe", video.probeTimeout(), Math.max(2, video.parallelism()));
        this.runs = new ExternalProcess("ffmpeg", video.timeout(), video.parallelism());
    }

    /** Null when both programs can be started, else why not (with the install hint). */
    public String problem() {
        for (String tool : new String[] {ffprobe, ffmpeg}) {
            String why = ExternalProcess.whyNotStartable(List.of(tool, "-version"));
            if (why != null) {
                return tool + " cannot be run (" + why + "), so videos cannot be read: " + INSTALL_HINT
                        + " (or set captiond.video.ffprobe / captiond.video.ffmpeg)";
            }
        }
        return null;
    }

    @EventListener(ApplicationStartedEvent.class)
    public void warnWhenMissing() {
        String problem = problem();
        if (problem != null) {
            log.warn("Video files will be quarantined: {}", problem);
        }
    }

    /** {@code ffprobe -show_format -show_streams -of json}: the container's facts, nothing decoded. */
    public ExternalProcess.Run probe(Path file, Path tempDir) throws IOException {
        return probes.run(List.of(ffprobe, "-v", "error", "-show_format", "-show_streams", "-of", "json",
                file.toAbsolutePath().toString()), tempDir, false, MAX_PROBE_JSON);
    }

    /** {@code ffmpeg -nostdin -v error -y <args>} in {@code dir}. */
    public ExternalProcess.Run ffmpeg(List<String> args, Path dir) throws IOException {
        List<String> commandLine = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-v", "error", "-y"));
        commandLine.addAll(args);
        return runs.run(commandLine, dir, false, 64 * 1024);
    }

    public java.time.Duration timeout() {
        return runs.timeout();
    }

    /** A tool's own words for a failure about {@code file}, which it names by its bare file name. */
    public static String words(ExternalProcess.Run run, Path file) {
        return words(run).replace(file.toAbsolutePath().toString(), file.getFileName().toString())
                .replace(file.toString(), file.getFileName().toString());
    }

    /** A tool's own words for a failure: its non-empty stderr lines, joined. */
    public static String words(ExternalProcess.Run run) {
        List<String> lines = new ArrayList<>();
        for (String line : run.errors().split("\\R")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        if (lines.size() > 6) { // a broken stream can print one line per packet: first and last few say it
            lines = new ArrayList<>(List.of(lines.get(0), lines.get(1), lines.get(2), "…",
                    lines.get(lines.size() - 2), lines.get(lines.size() - 1)));
        }
        return lines.isEmpty() ? "exit code " + run.exitCode() : String.join(" / ", lines);
    }
}
