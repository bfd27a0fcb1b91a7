package io.captiond.normalise;

import io.captiond.support.ExternalProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One outside program of the normalise stage (libheif's heif-convert, libjpeg-turbo's jpegtran),
 * run by {@link ExternalProcess} (bounded parallelism, timeout, killed with anything it started,
 * children die with the daemon). This class adds what the stage needs on top: the user's words for
 * "not installed" and "too slow", each naming the setting to change, as a {@link RejectedInputException}.
 */
public class ExternalTool {

    private final String command;
    private final String timeoutProperty;
    private final String commandProperty;
    private final String what;
    private final Duration timeout;
    private final ExternalProcess process;
    private volatile String missing;
    private volatile boolean probed;

    /**
     * @param what            what it is needed for, for messages ("HEIC/HEIF/AVIF cannot be converted")
     * @param commandProperty the property that names the command, for messages
     * @param timeoutProperty the property that sets the timeout, for messages
     */
    public ExternalTool(String command, Duration timeout, int parallelism, String what, String commandProperty,
            String timeoutProperty) {
        this(command, timeout, parallelism, what, commandProperty, timeoutProperty, (child, dir) -> { });
    }

    /** {@code onStart} sees each child as soon as it runs (LibHeif records its pid for a later start). */
    public ExternalTool(String command, Duration timeout, int parallelism, String what, String commandProperty,
            String timeoutProperty, BiConsumer<Process, Path> onStart) {
        this.command = command;
        this.timeout = timeout;
        this.what = what;
        this.commandProperty = commandProperty;
        this.timeoutProperty = timeoutProperty;
        this.process = new ExternalProcess(Path.of(command).getFileName().toString(), timeout, parallelism, onStart);
    }

    /** What one run printed (stdout and stderr together) and its exit code. */
    public record Run(int exitCode, String output) {

        /** The tool's own words for a failure: its last non-empty lines, without libheif's progress chatter. */
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

    /** Variables added to each run's environment. */
    public ExternalTool withEnvironment(java.util.Map<String, String> variables) {
        process.withEnvironment(variables);
        return this;
    }

    /** Kills the runs in progress and starts no more (what the JVM's shutdown hook does for every tool). */
    void stopChildren() {
        process.stopChildren();
    }

    public String command() {
        return command;
    }

    /** Null when the command can be run, else why not (with the install hint). */
    public String problem(String installHint) {
        if (!probed || missing != null) { // once missing, check again: it may have been installed since
            String why = ExternalProcess.whyNotStartable(List.of(command, "--help"));
            missing = why == null ? null : notInstalled(why, installHint);
            probed = true;
        }
        return missing;
    }

    /**
     * Runs the command with {@code args} in {@code dir}, waiting for a free slot first.
     *
     * @throws RejectedInputException when it cannot be started (not installed) or runs out of time
     */
    public Run run(List<String> args, Path dir, String installHint) throws IOException {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command);
        commandLine.addAll(args);
        ExternalProcess.Run run;
        try {
            run = process.run(commandLine, dir, true, 0);
        } catch (ExternalProcess.CannotStart e) {
            missing = notInstalled(e.getMessage(), installHint);
            probed = true;
            throw new RejectedInputException(missing);
        } catch (ExternalProcess.TimedOut e) {
            throw new RejectedInputException(name() + " took longer than " + timeout.toSeconds()
                    + " s (" + timeoutProperty + ") and was stopped");
        }
        missing = null;
        return new Run(run.exitCode(), run.output());
    }

    /** The command with the library it comes from, as users know it: "libheif's heif-convert". */
    private String name() {
        return owner() + Path.of(command).getFileName();
    }

    private String owner() {
        return switch (Path.of(command).getFileName().toString()) {
            case "heif-convert" -> "libheif's ";
            case "jpegtran" -> "libjpeg-turbo's ";
            default -> "";
        };
    }

    private String notInstalled(String why, String installHint) {
        return owner() + command + " cannot be run (" + why + "), so " + what + ": " + installHint
                + " (or set " + commandProperty + ")";
    }
}
