package io.captiond.normalise;

import io.captiond.support.StoppingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One outside program (libheif's heif-convert, libjpeg-turbo's jpegtran) run out of process: a
 * crash or hang on a hostile file kills one child process, never the daemon. At most
 * {@code parallelism} runs at once; one that outlives {@code timeout} is killed together with
 * anything it started. What it prints goes to a file and only its tail is kept.
 */
public class ExternalTool {

    private final String command;
    private final String timeoutProperty;
    private final String commandProperty;
    private final String what;
    private final Duration timeout;
    private final Semaphore slots;
    private volatile String missing;
    private volatile boolean probed;

    /**
     * @param what            what it is needed for, for messages ("HEIC/HEIF/AVIF cannot be converted")
     * @param commandProperty the property that names the command, for messages
     * @param timeoutProperty the property that sets the timeout, for messages
     */
    public ExternalTool(String command, Duration timeout, int parallelism, String what, String commandProperty,
            String timeoutProperty) {
        this.command = command;
        this.timeout = timeout;
        this.slots = new Semaphore(parallelism, true);
        this.what = what;
        this.commandProperty = commandProperty;
        this.timeoutProperty = timeoutProperty;
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

    public String command() {
        return command;
    }

    /** Null when the command can be run, else why not (with the install hint). */
    public String problem(String installHint) {
        if (!probed || missing != null) { // once missing, check again: it may have been installed since
            missing = probe(installHint);
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
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppingException("waiting for a " + command + " slot", e);
        }
        try {
            return start(commandLine, dir, installHint);
        } finally {
            slots.release();
        }
    }

    private Run start(List<String> commandLine, Path dir, String installHint) throws IOException {
        Path log = Files.createTempFile(dir, "tool", ".log");
        Process process;
        try {
            process = new ProcessBuilder(commandLine).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            process.getOutputStream().close(); // nothing to read on stdin
        } catch (IOException e) {
            missing = notInstalled(e, installHint);
            probed = true;
            throw new RejectedInputException(missing);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw new RejectedInputException(name() + " took longer than " + timeout.toSeconds()
                        + " s (" + timeoutProperty + ") and was stopped");
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new StoppingException("a run of " + command, e);
        }
        missing = null;
        try {
            return new Run(process.exitValue(), tail(log));
        } finally {
            Files.deleteIfExists(log);
        }
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

    /** The last 16 KB of what it printed: enough for an error, bounded whatever a file makes it print. */
    private static String tail(Path log) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(log)) {
            long from = Math.max(0, ch.size() - 16 * 1024);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (ch.size() - from));
            while (b.hasRemaining() && ch.read(b, from + b.position()) > 0) {
                // read to the end
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
    }

    private static void killTree(Process process) {
        List<ProcessHandle> children = process.descendants().toList(); // before the parent dies and they are reparented
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String probe(String installHint) {
        try {
            Process p = new ProcessBuilder(command, "--help").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                killTree(p);
            }
            return null;
        } catch (IOException e) {
            return notInstalled(e, installHint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String notInstalled(IOException e, String installHint) {
        return owner() + command + " cannot be run (" + e.getMessage().replaceFirst("^Cannot run program \"[^\"]*\": ", "")
                + "), so " + what + ": " + installHint + " (or set " + commandProperty + ")";
    }
}
