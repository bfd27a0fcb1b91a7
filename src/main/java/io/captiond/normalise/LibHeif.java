package io.captiond.normalise;

import io.captiond.config.CaptiondProperties;
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
 *
 * <p>Children die with the daemon. Java has no {@code prctl(PR_SET_PDEATHSIG)}, so: a JVM shutdown
 * hook kills the running ones (SIGTERM, Ctrl-C, a normal exit); for a {@code kill -9}, which runs no
 * hook, each child's pid and start time are written into its scratch folder
 * ({@code <tmp>/captiond-heif-<daemon pid>-*}), and the next start kills any child left running by a
 * daemon that is gone (the start time guards against a reused pid) and removes its scratch folders.
 * A watchdog wrapper around each child was the alternative; it would be one more process per image
 * and a shell script to keep portable, for the same result.
 */
@Component
public class LibHeif {

    static final String INSTALL_HINT = "install libheif's tools: apt-get install libheif-examples";

    private static final Logger log = LoggerFactory.getLogger(LibHeif.class);

    private final String command;
    private final Duration timeout;
    private final Semaphore slots;
    private volatile String missing;
    private volatile boolean probed;
    private volatile boolean stopping;
    private final java.util.Set<Process> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final String SCRATCH_PREFIX = "captiond-heif-";
    private static final String CHILD_FILE = ".child";

    @Autowired
    public LibHeif(CaptiondProperties props) {
        this(props.normalise().heifConvert(), props.normalise().heifTimeout(), props.normalise().heifParallelism());
    }

    LibHeif(String command, Duration timeout, int parallelism) {
        this.command = command;
        this.timeout = timeout;
        this.slots = new Semaphore(parallelism, true);
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopChildren, "captiond-heif-children"));
        } catch (IllegalStateException shuttingDown) {
            stopping = true; // created while the JVM stops: it will start no child
        }
    }

    /** A scratch folder for one conversion, named after this daemon so that a later start knows whose it was. */
    public Path scratchFolder() throws IOException {
        return Files.createTempDirectory(SCRATCH_PREFIX + ProcessHandle.current().pid() + "-");
    }

    /** Shutdown: running children are killed; the conversions they served leave their files in the inbox. */
    void stopChildren() {
        stopping = true;
        running.forEach(LibHeif::killTree);
    }

    /**
     * At start-up: scratch folders of daemons that are gone are removed, after killing a heif-convert
     * they left running (recorded pid and start time must both match: pids are reused).
     */
    @jakarta.annotation.PostConstruct
    public void cleanLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (java.util.stream.Stream<Path> dirs = Files.list(tmp)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(SCRATCH_PREFIX)).toList()) {
                if (!ownerAlive(dir)) {
                    killRecordedChild(dir);
                    deleteTree(dir);
                    log.info("Removed {} left by a daemon that is gone", dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Could not look for leftovers in {}: {}", tmp, e.toString());
        }
    }

    /** captiond-heif-&lt;pid&gt;-…: alive when that pid runs a Java process; unnamed (older) ones count as gone. */
    private static boolean ownerAlive(Path dir) {
        String rest = dir.getFileName().toString().substring(SCRATCH_PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0 || !rest.substring(0, dash).chars().allMatch(Character::isDigit)) {
            return false;
        }
        return ProcessHandle.of(Long.parseLong(rest.substring(0, dash)))
                .map(p -> p.isAlive() && p.info().command().map(c -> c.contains("java")).orElse(true)).orElse(false);
    }

    private static void killRecordedChild(Path dir) {
        try {
            Path file = dir.resolve(CHILD_FILE);
            if (!Files.exists(file)) {
                return;
            }
            String[] recorded = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
            ProcessHandle.of(Long.parseLong(recorded[0]))
                    .filter(p -> p.info().startInstant().map(i -> i.toString().equals(recorded[1])).orElse(false))
                    .ifPresent(p -> {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                        log.warn("Killed heif-convert (pid {}) left running by a daemon that is gone", p.pid());
                    });
        } catch (IOException | RuntimeException e) {
            log.debug("Could not read the child recorded in {}: {}", dir, e.toString());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
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
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppingException("waiting for a libheif slot", e);
        }
        try {
            return run(commandLine, dir);
        } finally {
            slots.release();
        }
    }

    private Run run(List<String> commandLine, Path dir) throws IOException {
        Path log = Files.createTempFile(dir, "heif-convert", ".log");
        Process process;
        try {
            process = new ProcessBuilder(commandLine).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            process.getOutputStream().close(); // nothing to read on stdin
            running.add(process);
            recordChild(process, dir);
        } catch (IOException e) {
            missing = notInstalled(e);
            probed = true;
            throw new RejectedInputException(missing);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw new RejectedInputException("libheif's heif-convert took longer than " + timeout.toSeconds()
                        + " s (captiond.normalise.heif-timeout) and was stopped");
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new StoppingException("a libheif conversion", e);
        } finally {
            running.remove(process);
        }
        if (stopping) {
            throw new StoppingException("a libheif conversion (captiond is stopping)", null);
        }
        missing = null;
        return new Run(process.exitValue(), tail(log));
    }

    /** pid and start time of the child, in its scratch folder: a later start can tell it from a reused pid. */
    private static void recordChild(Process process, Path dir) {
        try {
            String started = process.info().startInstant().map(Object::toString).orElse("?");
            Files.writeString(dir.resolve(CHILD_FILE), process.pid() + " " + started + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.debug("Could not record heif-convert's pid in {}: {}", dir, e.toString());
        }
    }

    /** The last 16 KB of what it printed: enough for libheif's error, bounded whatever a file makes it print. */
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

    private String probe() {
        try {
            Process p = new ProcessBuilder(command, "--help").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                killTree(p);
            }
            return null;
        } catch (IOException e) {
            return notInstalled(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String notInstalled(IOException e) {
        return "libheif's " + command + " cannot be run (" + e.getMessage().replaceFirst("^Cannot run program \"[^\"]*\": ", "")
                + "), so HEIC/HEIF/AVIF cannot be converted: " + INSTALL_HINT
                + " (or set captiond.normalise.heif-convert)";
    }
}
