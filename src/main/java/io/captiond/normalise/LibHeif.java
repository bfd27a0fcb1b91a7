package io.captiond.normalise;

import io.captiond.config.CaptiondProperties;
import io.captiond.support.ExternalProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * libheif's {@code heif-convert}, run out of process: a decoder crash or hang on a hostile file
 * kills one child process, never the daemon. At most {@code heif-parallelism} run at once (each
 * one decodes on several threads of its own); one that outlives {@code heif-timeout} is killed
 * together with anything it started.
 */
@Component
public class LibHeif {

    static final String INSTALL_HINT = "install libheif's tools: apt-get install libheif-examples";

    private static final Logger log = LoggerFactory.getLogger(LibHeif.class);

    private final String command;
    private final Duration timeout;
    private final ExternalProcess process;
    private volatile String missing;
    private volatile boolean probed;

    @Autowired
    public LibHeif(CaptiondProperties props) {
        this(props.normalise().heifConvert(), props.normalise().heifTimeout(), props.normalise().heifParallelism());
    }

    LibHeif(String command, Duration timeout, int parallelism) {
        this.command = command;
        this.timeout = timeout;
        this.process = new ExternalProcess("heif-convert", timeout, parallelism);
    }

    /** What one run printed (stdout and stderr together) and its exit code. */
    public record Run(int exitCode, String output) {

        /** libheif's own words for a failure: its last non-empty lines, without "File contains" chatter. */
        public String error() {
            List<String> lines = new ArrayList<>();
            for (String line : output.split("\\R")) {
                if (!line.isBlank() && !line.startsWith("File contains") && !line.startsWith("Written to")) {
                    lines.add(line.strip());
                }
            }
            return lines.isEmpty() ? "exit code " + exitCode : String.join(" / ", lines);
        }
    }

    /** Null when heif-convert can be run, else why not (with the install hint). */
    public String problem() {
        if (!probed || missing != null) { // once missing, check again: it may have been installed since
            missing = probe();
            probed = true;
        }
        return missing;
    }

    public String command() {
        return command;
    }

    @EventListener(ApplicationStartedEvent.class)
    public void warnWhenMissing() {
        String problem = problem();
        if (problem != null) {
            log.warn("HEIC/HEIF/AVIF files will be quarantined: {}", problem);
        }
    }

    /**
     * Runs heif-convert with {@code args} in {@code dir}, waiting for a free slot first.
     *
     * @throws RejectedInputException when it cannot be started (not installed) or runs out of time
     */
    public Run convert(List<String> args, Path dir) throws IOException {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command);
        commandLine.addAll(args);
        ExternalProcess.Run run;
        try {
            run = process.run(commandLine, dir, true, 0);
        } catch (ExternalProcess.CannotStart e) {
            missing = notInstalled(e.getMessage());
            probed = true;
            throw new RejectedInputException(missing);
        } catch (ExternalProcess.TimedOut e) {
            throw new RejectedInputException("libheif's heif-convert took longer than " + timeout.toSeconds()
                    + " s (captiond.normalise.heif-timeout) and was stopped");
        }
        missing = null;
        return new Run(run.exitCode(), run.output());
    }

    private String probe() {
        String why = ExternalProcess.whyNotStartable(List.of(command, "--help"));
        return why == null ? null : notInstalled(why);
    }

    private String notInstalled(String why) {
        return "libheif's " + command + " cannot be run (" + why
                + "), so HEIC/HEIF/AVIF cannot be converted: " + INSTALL_HINT
                + " (or set captiond.normalise.heif-convert)";
    }
}
