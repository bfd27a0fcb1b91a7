package io.captiond.normalise;

import io.captiond.config.CaptiondProperties;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * libheif's {@code heif-convert}, run out of process by {@link ExternalTool}: at most
 * {@code heif-parallelism} at once (each one decodes on several threads of its own), killed with
 * anything it started after {@code heif-timeout}.
 *
 * <p>Children die with the daemon (a shutdown hook in {@code ExternalProcess}). For a {@code kill -9},
 * which runs no hook, each child's pid and start time are written into its scratch folder
 * ({@code <tmp>/captiond-heif-<daemon pid>-*}), and the next start kills any child left running by a
 * daemon that is gone (the start time guards against a reused pid) and removes its scratch folders.
 * A watchdog wrapper around each child was the alternative; it would be one more process per image
 * and a shell script to keep portable, for the same result.
 */
@Component
public class LibHeif {

    static final String INSTALL_HINT = "install libheif's tools: apt-get install libheif-examples";

    private static final Logger log = LoggerFactory.getLogger(LibHeif.class);

    static final String SCRATCH_PREFIX = "captiond-heif-";
    private static final String CHILD_FILE = ".child";

    private final ExternalTool tool;

    @Autowired
    public LibHeif(CaptiondProperties props) {
        this(props.normalise().heifConvert(), props.normalise().heifTimeout(), props.normalise().heifParallelism());
    }

    LibHeif(String command, Duration timeout, int parallelism) {
        this.tool = new ExternalTool(command, timeout, parallelism, "HEIC/HEIF/AVIF cannot be converted",
                "captiond.normalise.heif-convert", "captiond.normalise.heif-timeout", LibHeif::recordChild);
    }

    /** Kills the conversions in progress and starts no more (what the JVM's shutdown hook does). */
    void stopChildren() {
        tool.stopChildren();
    }

    /** A scratch folder for one conversion, named after this daemon so that a later start knows whose it was. */
    public Path scratchFolder() throws IOException {
        return Files.createTempDirectory(SCRATCH_PREFIX + ProcessHandle.current().pid() + "-");
    }

    /**
     * At start-up: scratch folders of daemons that are gone are removed, after killing a heif-convert
     * they left running (recorded pid and start time must both match: pids are reused).
     */
    @PostConstruct
    public void cleanLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> dirs = Files.list(tmp)) {
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

    /** pid and start time of the child, in its scratch folder: a later start can tell it from a reused pid. */
    private static void recordChild(Process process, Path dir) {
        if (!dir.getFileName().toString().startsWith(SCRATCH_PREFIX)) {
            return;
        }
        try {
            String started = process.info().startInstant().map(Object::toString).orElse("?");
            Files.writeString(dir.resolve(CHILD_FILE), process.pid() + " " + started + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.debug("Could not record heif-convert's pid in {}: {}", dir, e.toString());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Null when heif-convert can be run, else why not (with the install hint). */
    public String problem() {
        return tool.problem(INSTALL_HINT);
    }

    public String command() {
        return tool.command();
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
    public ExternalTool.Run convert(List<String> args, Path dir) throws IOException {
        return tool.run(args, dir, INSTALL_HINT);
    }
}
