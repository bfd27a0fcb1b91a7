package io.captiond.core;

import io.captiond.config.CaptiondProperties;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Errors of the machine rather than of a file: a full disk (ENOSPC), a quota (EDQUOT), a read-only
 * file system (EROFS), an I/O error (EIO), or no permission (EACCES) on captiond's own folders. They
 * are never a reason to quarantine anything. While one holds in work/ (or the inbox), intake and
 * captioning pause and every file stays where it is; it is logged once, shown on /actuator/health,
 * and a probe (a small write into the folder, and for a full disk enough free space) ends the pause by
 * itself, publishing {@link Resumed} so that waiting members are queued again.
 */
@Component
public class EnvironmentFaults implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EnvironmentFaults.class);

    /** What went wrong, found by the operating system's words for the errno (Java gives no errno). */
    public enum Condition {
        DISK_FULL("No space left on device", "the disk is full"),
        QUOTA("Disk quota exceeded", "the disk quota is used up"),
        READ_ONLY("Read-only file system", "the file system is read-only"),
        IO_ERROR("Input/output error", "the disk reports an input/output error"),
        NO_PERMISSION("Permission denied", "captiond may not write there");

        final String errno;
        public final String description;

        Condition(String errno, String description) {
            this.errno = errno;
            this.description = description;
        }

        boolean needsFreeSpace() {
            return this == DISK_FULL || this == QUOTA;
        }
    }

    /** One folder's fault: which folder, what, since when, and the error as the system said it. */
    public record Fault(Path folder, Condition condition, Instant since, String error) {

        public String describe() {
            return condition.description + " in " + folder + " (" + error + ")";
        }
    }

    /** Published when the last fault is gone. */
    public record Resumed(List<Path> folders) {
    }

    private final Folders folders;
    private final long minFreeBytes;
    private final long probeMillis;
    private final ApplicationEventPublisher events;
    private final Map<Path, Fault> faults = new ConcurrentHashMap<>();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "captiond-fault-probe");
        t.setDaemon(true);
        return t;
    });

    public EnvironmentFaults(Folders folders, CaptiondProperties props, ApplicationEventPublisher events) {
        this.folders = folders;
        this.minFreeBytes = props.faults().minFreeSpace().toBytes();
        this.probeMillis = Math.max(50, props.faults().probeInterval().toMillis());
        this.events = events;
        prober.scheduleWithFixedDelay(this::probe, probeMillis, probeMillis, TimeUnit.MILLISECONDS);
    }

    /** The machine's condition behind {@code e} (anywhere in its causes), or null when it is not one. */
    public Condition conditionOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String words = t instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : t.getMessage();
            if (words == null) {
                continue;
            }
            for (Condition c : Condition.values()) {
                if (words.contains(c.errno) && (c != Condition.NO_PERMISSION || ownOutputFolder(t))) {
                    return c;
                }
            }
        }
        return null;
    }

    /**
     * Records {@code e} when it is the machine's fault (logged once per folder and condition) and says
     * so; {@code folderHint} is the folder being written when the error itself names no file.
     */
    public boolean report(Path folderHint, Throwable e) {
        Condition condition = conditionOf(e);
        if (condition == null) {
            return false;
        }
        Path folder = rootOf(fileOf(e), folderHint);
        Fault fault = new Fault(folder, condition, Instant.now().truncatedTo(ChronoUnit.SECONDS), String.valueOf(e.getMessage()));
        Fault before = faults.putIfAbsent(folder, fault);
        if (before == null || before.condition() != condition) {
            faults.put(folder, fault);
            log.warn("{}: {}. captiond pauses{} and keeps every file where it is; it resumes by itself once the "
                    + "folder can be written again{}.", folder, condition.description, pausesIntake(folder)
                    ? " intake and captioning" : " writing there", condition.needsFreeSpace()
                    ? " with at least " + readable(minFreeBytes) + " free (captiond.faults.min-free-space)" : "");
        }
        return true;
    }

    /** True while intake and captioning wait for the machine (a fault in work/ or the inbox). */
    public boolean paused() {
        return faults.keySet().stream().anyMatch(this::pausesIntake);
    }

    /** True while {@code folder} (one of the four) has a fault. */
    public boolean faulted(Path folder) {
        return faults.containsKey(folder);
    }

    public Map<Path, Fault> current() {
        return Map.copyOf(faults);
    }

    /** One line for logs and "waiting" messages. */
    public String summary() {
        return faults.values().stream().map(Fault::describe).reduce((a, b) -> a + "; " + b).orElse("");
    }

    public static String readable(long bytes) {
        return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MB" : bytes / 1024 + " KB";
    }

    /** Bytes a folder must have free to count as healthy (and to end a full-disk pause). */
    public long minFreeBytes() {
        return minFreeBytes;
    }

    /** Runs every probe interval: a fault whose folder takes a write again (and has space) is over. */
    void probe() {
        if (faults.isEmpty()) {
            return;
        }
        for (Fault fault : List.copyOf(faults.values())) {
            if (writable(fault.folder()) && (!fault.condition().needsFreeSpace() || freeBytes(fault.folder()) >= minFreeBytes)) {
                faults.remove(fault.folder(), fault);
                log.info("{} can be written again ({} since {} is over); captiond resumes", fault.folder(),
                        fault.condition().description, fault.since());
            }
        }
        if (faults.isEmpty()) {
            events.publishEvent(new Resumed(List.of()));
        }
    }

    /** A small real write: the only test that tells a full disk, a quota and a read-only mount apart from fine. */
    public static boolean writable(Path folder) {
        try {
            Files.createDirectories(folder);
            Path probe = Files.createTempFile(folder, ".captiond-probe-", ".tmp");
            try (OutputStream out = Files.newOutputStream(probe)) {
                out.write(new byte[4096]);
            } finally {
                Files.deleteIfExists(probe);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static long freeBytes(Path folder) {
        try {
            return Files.getFileStore(folder).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private boolean pausesIntake(Path folder) {
        return folder.startsWith(folders.work()) || folder.startsWith(folders.inbox());
    }

    /** Permission errors count only in captiond's own folders: an unreadable photo in the inbox is the photo's. */
    private boolean ownOutputFolder(Throwable t) {
        Path file = t instanceof FileSystemException fse && fse.getFile() != null ? Path.of(fse.getFile()).toAbsolutePath() : null;
        return file != null && (file.startsWith(folders.work()) || file.startsWith(folders.outbox())
                || file.startsWith(folders.failedRoot()));
    }

    private static Path fileOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FileSystemException fse && fse.getFile() != null) {
                return Path.of(fse.getFile()).toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /** Which of the four folders a path is in (the deepest match), else the hint. */
    private Path rootOf(Path file, Path hint) {
        Path best = null;
        if (file != null) {
            for (Path root : List.of(folders.inbox(), folders.work(), folders.outbox(), folders.failedRoot())) {
                if (file.startsWith(root) && (best == null || root.getNameCount() > best.getNameCount())) {
                    best = root;
                }
            }
        }
        return best != null ? best : (hint != null ? hint.toAbsolutePath().normalize() : folders.work());
    }

    @Override
    public void destroy() {
        prober.shutdownNow();
    }
}
