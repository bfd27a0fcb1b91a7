package io.captiond.core;

import io.captiond.core.CaptionJob;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where inputs go that cannot become dataset members: {@code failed/<dataset>/<file>} and, next to
 * it, {@code <file>.error.txt} saying which stage refused it, why, and when. Nothing is deleted.
 */
@Component("quarantine")
public class Quarantine {

    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);
    public static final String REASON_SUFFIX = ".error.txt";

    private final Folders folders;
    private final ImageRecords records;

    public Quarantine(Folders folders, ImageRecords records) {
        this.folders = folders;
        this.records = records;
    }

    /** The watch/normalise route's error handler: the inbox file itself goes to failed/. */
    public void inboxFile(Exchange exchange, @Header("CamelFileAbsolutePath") String path) throws IOException {
        Path file = Path.of(path);
        String dataset = folders.datasetOf(file);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            log.warn("{} failed ({}) but is gone from the inbox already", path, reasonOf(exchange));
            return;
        }
        put(dataset, file, "normalise", reasonOf(exchange));
    }

    /** The caption route's error handler: the member's original goes to failed/, the member leaves work/. */
    public void member(Exchange exchange) throws IOException {
        CaptionJob job = exchange.getMessage().getBody(CaptionJob.class);
        String reason = reasonOf(exchange);
        ImageRecord record = records.byOutput(job.dataset(), job.output()).orElse(null);
        if (record == null) {
            log.warn("Caption of {}/{} failed ({}); its record is gone", job.dataset(), job.output(), reason);
            return;
        }
        Path work = folders.work(job.dataset());
        Path original = folders.originals(job.dataset()).resolve(record.source());
        Path member = work.resolve(record.output());
        put(job.dataset(), Files.exists(original) ? original : member, "caption", reason);
        Files.deleteIfExists(member);
        Files.deleteIfExists(work.resolve(record.sidecarName()));
        records.delete(job.dataset(), record);
    }

    /** Moves {@code file} into failed/&lt;dataset&gt;/ with its reason file; returns where it went. */
    public Path put(String dataset, Path file, String stage, String reason) throws IOException {
        String name = file.getFileName().toString();
        Path moved = AtomicFiles.moveToFolderKeepingBoth(file, folders.failed(dataset), name);
        String text = "file: " + name + "\n"
                + "dataset: " + dataset + "\n"
                + "stage: " + stage + "\n"
                + "reason: " + reason.replace('\n', ' ') + "\n"
                + "time: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n\n"
                + "captiond set this file aside; nothing else in the dataset was affected. Fix it (or convert it)\n"
                + "and drop it into inbox/" + dataset + "/ again to include it in the next round.\n";
        AtomicFiles.writeString(moved.resolveSibling(moved.getFileName() + REASON_SUFFIX), text);
        log.warn("Quarantined {}/{} at {}: {}", dataset, name, stage, reason);
        return moved;
    }

    private static String reasonOf(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (e == null) {
            return "unknown error";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
