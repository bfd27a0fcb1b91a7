package io.captiond.core;

import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where inputs go that cannot become dataset members: {@code failed/<dataset>/<file>} and, next to
 * it, {@code <file>.error.txt} saying which stage refused it, why, and when. Nothing is deleted.
 *
 * <p>Two things are never quarantined: a file the machine failed (a full disk, a read-only folder:
 * see {@link EnvironmentFaults}), and nothing is moved while failed/ itself cannot take it. Then the
 * file stays where it is and is tried again with a growing back-off (logged once per file); a member
 * whose caption failed keeps its verdict in work/ so that no retry and no restart pays for it again.
 */
@Component("quarantine")
public class Quarantine {

    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);
    public static final String REASON_SUFFIX = ".error.txt";
    /** NAME_MAX of the file systems captiond meets; a reason file's temporary name adds 14 bytes. */
    private static final int NAME_MAX = 255;
    private static final int TEMP_NAME_EXTRA = 14;
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LAST_RETRY = Duration.ofMinutes(10);

    private final Folders folders;
    private final ImageRecords records;
    private final EnvironmentFaults faults;
    /** Files failed/ could not take, by path or member: when they may be tried again. */
    private final Map<String, Deferral> deferred = new ConcurrentHashMap<>();

    public Quarantine(Folders folders, ImageRecords records, EnvironmentFaults faults) {
        this.folders = folders;
        this.records = records;
        this.faults = faults;
    }

    /** The watch/normalise route's error handler: the inbox file itself goes to failed/. */
    public void inboxFile(Exchange exchange, @Header("CamelFileAbsolutePath") String path) throws IOException {
        Path file = Path.of(path);
        String dataset = folders.datasetOf(file);
        if (faults.report(folders.work(), caught(exchange))) {
            log.debug("{} stays in the inbox: {}", path, faults.summary());
            return;
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            log.warn("{} failed ({}) but is gone from the inbox already", path, reasonOf(exchange));
            return;
        }
        try {
            put(dataset, file, "normalise", reasonOf(exchange));
            undefer(path, dataset + "/" + file.getFileName());
        } catch (IOException e) {
            defer(path, dataset + "/" + file.getFileName(), "it stays in the inbox", e);
        }
    }

    /** False while a file that failed/ could not take waits for its next attempt (the watch route skips it). */
    public boolean mayTry(String path) {
        Deferral d = deferred.get(path);
        return d == null || System.nanoTime() - d.notBefore >= 0;
    }

    /** The caption route's error handler: the member's original goes to failed/, the member leaves work/. */
    public void member(Exchange exchange) throws IOException {
        CaptionJob job = exchange.getMessage().getBody(CaptionJob.class);
        if (faults.report(folders.work(), caught(exchange))) {
            log.debug("{}/{} stays uncaptioned in work/: {}", job.dataset(), job.output(), faults.summary());
            return;
        }
        String reason = reasonOf(exchange);
        if (records.byOutput(job.dataset(), job.output()).isEmpty()) {
            log.warn("Caption of {}/{} failed ({}); its record is gone", job.dataset(), job.output(), reason);
            return;
        }
        try {
            Files.createDirectories(verdicts(job.dataset()));
            AtomicFiles.writeString(verdict(job), reason + "\n");
        } catch (IOException e) {
            log.debug("Could not keep the verdict on {}/{}: {}", job.dataset(), job.output(), e.toString());
        }
        setAside(job, reason);
    }

    /**
     * The reason a member's caption failed for good, when the member could not be set aside yet: the
     * caption stage then retries the move (with back-off) instead of paying for another caption.
     */
    public Optional<String> verdict(String dataset, String output) {
        Path file = verdict(new CaptionJob(dataset, output));
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.of("caption failed earlier (its reason file cannot be read: " + e.getMessage() + ")");
        }
    }

    /** Tries again to set aside a member with a {@link #verdict}, unless its back-off has not passed. */
    public void retryMember(CaptionJob job) throws IOException {
        Optional<String> reason = verdict(job.dataset(), job.output());
        if (reason.isPresent() && mayTry(key(job))) {
            setAside(job, reason.get());
        }
    }

    private void setAside(CaptionJob job, String reason) throws IOException {
        ImageRecord record = records.byOutput(job.dataset(), job.output()).orElse(null);
        String key = key(job);
        if (record == null) {
            Files.deleteIfExists(verdict(job));
            return;
        }
        Path work = folders.work(job.dataset());
        Path original = folders.originals(job.dataset()).resolve(record.source());
        Path member = work.resolve(record.output());
        try {
            put(job.dataset(), Files.exists(original) ? original : member, "caption", reason);
        } catch (IOException e) {
            defer(key, job.dataset() + "/" + record.source(), "its member waits uncaptioned in work/ (no new caption is paid for)", e);
            return;
        }
        undefer(key, job.dataset() + "/" + record.source());
        Files.deleteIfExists(member);
        Files.deleteIfExists(work.resolve(record.sidecarName()));
        records.delete(job.dataset(), record);
        Files.deleteIfExists(verdict(job));
    }

    /**
     * Moves {@code file} into failed/&lt;dataset&gt;/ with its reason file; returns where it went. The
     * reason is written first, so a file is never in failed/ without one; a name too long for a reason
     * file beside it gets a shortened reason file whose "file:" line names it.
     */
    public Path put(String dataset, Path file, String stage, String reason) throws IOException {
        String name = file.getFileName().toString();
        Path dir = folders.failed(dataset);
        Files.createDirectories(dir);
        Path target = freeName(dir, name);
        String stored = target.getFileName().toString();
        String text = "file: " + stored + "\n"
                + (stored.equals(name) ? "" : "dropped as: " + name.replace('\n', ' ') + "\n")
                + "dataset: " + dataset + "\n"
                + "stage: " + stage + "\n"
                + "reason: " + reason.replace('\n', ' ') + "\n"
                + "time: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n\n"
                + "captiond set this file aside; nothing else in the dataset was affected. Fix it (or convert it)\n"
                + "and drop it into inbox/" + dataset + "/ again to include it in the next round.\n";
        Path reasonFile = dir.resolve(reasonFileName(stored));
        AtomicFiles.writeString(reasonFile, text);
        try {
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(file, target); // another file system: copied, then removed
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(reasonFile);
            throw e;
        }
        log.warn("Quarantined {}/{} at {}: {}", dataset, name, stage, reason);
        return target;
    }

    /**
     * {@code <file>.error.txt}, or, when that (with its temporary name) would pass NAME_MAX, the
     * file's name cut to fit plus a hash of the whole name: still unique, still next to it in a listing.
     */
    public static String reasonFileName(String stored) {
        String plain = stored + REASON_SUFFIX;
        if (plain.getBytes(StandardCharsets.UTF_8).length + TEMP_NAME_EXTRA <= NAME_MAX) {
            return plain;
        }
        String hash = HexFormat.of().formatHex(sha256(stored), 0, 4);
        int budget = NAME_MAX - TEMP_NAME_EXTRA - REASON_SUFFIX.length() - hash.length() - 1;
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < stored.length(); ) {
            int cp = stored.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > budget) {
                break;
            }
            cut.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return cut + "~" + hash + REASON_SUFFIX;
    }

    private static Path freeName(Path dir, String name) {
        for (int n = 1; ; n++) {
            Path target = dir.resolve(n == 1 ? name : AtomicFiles.numbered(name, n));
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                    && !Files.exists(dir.resolve(reasonFileName(target.getFileName().toString())), LinkOption.NOFOLLOW_LINKS)) {
                return target;
            }
        }
    }

    private void defer(String key, String what, String consequence, IOException e) {
        faults.report(folders.failedRoot(), e); // shown on /actuator/health; failed/ problems do not pause intake
        Deferral before = deferred.get(key);
        Duration wait = before == null ? FIRST_RETRY : before.backoff.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY
                : before.backoff.multipliedBy(2);
        deferred.put(key, new Deferral(wait, System.nanoTime() + wait.toNanos()));
        if (before == null) {
            log.warn("Cannot set {} aside in failed/ ({}); {} and is tried again with a growing back-off (up to {} min)",
                    what, e.toString(), consequence, LAST_RETRY.toMinutes());
        } else {
            log.debug("Still cannot set {} aside ({}); next try in {} s", what, e.toString(), wait.toSeconds());
        }
    }

    private void undefer(String key, String what) {
        if (deferred.remove(key) != null) {
            log.info("{} is set aside in failed/ now", what);
        }
    }

    /** A machine fault is over (failed/ takes writes again): what waited is tried at once, not after its back-off. */
    @org.springframework.context.event.EventListener(EnvironmentFaults.Resumed.class)
    public void resumed() {
        deferred.clear();
    }

    /** Files (and members) waiting for failed/ to take them, for /actuator/health. */
    public int deferredCount() {
        return deferred.size();
    }

    private Path verdicts(String dataset) {
        return folders.records(dataset).resolveSibling("verdicts");
    }

    private Path verdict(CaptionJob job) {
        return verdicts(job.dataset()).resolve(job.output() + ".reason");
    }

    private static String key(CaptionJob job) {
        return "member:" + job.dataset() + "/" + job.output();
    }

    private static Throwable caught(Exchange exchange) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static String reasonOf(Exchange exchange) {
        Throwable e = caught(exchange);
        if (e == null) {
            return "unknown error";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Deferral(Duration backoff, long notBefore) {
    }
}
