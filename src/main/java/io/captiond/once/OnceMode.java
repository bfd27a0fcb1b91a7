package io.captiond.once;

import io.captiond.caption.CaptionQueue;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.CaptioningStatus;
import io.captiond.packaging.DatasetPackager;
import io.captiond.core.DatasetScan;
import io.captiond.core.DatasetStatus;
import io.captiond.upload.UploadTracker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code captiond.once=true}: process what is in the inbox now, package the datasets that have
 * trigger.done, then exit 0. "Done" is read from the folders, as the package stage reads it: no
 * file waiting in a usable dataset, no member without a caption, no packageable trigger left, and
 * nothing in flight, no upload or training it started still running, twice in a row. A training
 * still running when captiond.once-mode.max-wait is up is left to Replicate: its state file lets the
 * next run (or the daemon) resume polling it, never start it again.
 * <p>
 * The bean is always there and reads the setting when the application is ready, not by a condition on
 * the bean: the launcher starts the jar with Spring AOT, which fixes bean conditions at build time.
 */
@Component
public class OnceMode {

    private static final Logger log = LoggerFactory.getLogger(OnceMode.class);
    private static final long CHECK_MILLIS = 200; // each check lists the inbox, often a network share
    /** EX_TEMPFAIL (sysexits.h): a temporary failure, try again later; what cron wrappers retry on. */
    static final int EX_TEMPFAIL = 75;

    private final DatasetScan scan;
    private final DatasetPackager packager;
    private final CaptionQueue queue;
    private final CamelContext camel;
    private final ApplicationContext context;
    private final CaptiondProperties props;
    private final UploadTracker uploads;
    private final CaptioningStatus captioning;
    private final ProcessExit processExit;

    public OnceMode(DatasetScan scan, DatasetPackager packager, CaptionQueue queue, CamelContext camel,
            ApplicationContext context, CaptiondProperties props, UploadTracker uploads, CaptioningStatus captioning,
            ObjectProvider<ProcessExit> processExit) {
        this.processExit = processExit.getIfAvailable(() -> ProcessExit.SYSTEM);
        this.captioning = captioning;
        this.uploads = uploads;
        this.scan = scan;
        this.packager = packager;
        this.queue = queue;
        this.camel = camel;
        this.context = context;
        this.props = props;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        if (!props.once()) {
            return;
        }
        Thread watcher = new Thread(this::runUntilIdle, "captiond-once");
        watcher.setDaemon(false);
        watcher.start();
    }

    private void runUntilIdle() {
        long deadline = System.nanoTime() + props.onceMode().maxWait().toNanos();
        Instant giveUpAt = Instant.now().plus(props.onceMode().maxWait());
        int idleChecks = 0;
        List<String> left = List.of();
        try {
            // the first check as soon as the routes run (an empty inbox ends the run 200 ms later), then
            // every CHECK_MILLIS until two in a row find nothing left
            while (System.nanoTime() < deadline) {
                left = unfinished();
                idleChecks = left.isEmpty() ? idleChecks + 1 : 0;
                if (!left.isEmpty() && outlastsTheRun(giveUpAt)) {
                    return;
                }
                if (idleChecks == 2) {
                    break;
                }
                Thread.sleep(CHECK_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Once mode could not read the folders: {}", e.toString());
            exit(2);
            return;
        }
        if (!left.isEmpty()) {
            log.warn("Once mode gave up waiting after {} (captiond.once-mode.max-wait): {}",
                    props.onceMode().maxWait(), String.join("; ", left));
        } else {
            log.info("Once mode: everything in the inbox is processed; exiting");
        }
        exit(0);
    }

    /**
     * A provider paused past the end of this run (a daily quota, or a configuration problem: for
     * ever) with images waiting for it: waiting cannot help, so the run ends now with
     * {@value #EX_TEMPFAIL} and says why and how many images wait. Everything stays where it is.
     */
    private boolean outlastsTheRun(Instant giveUpAt) {
        Instant resume = captioning.captionsResumeAt();
        if (resume == null || !resume.isAfter(giveUpAt)) {
            return false;
        }
        int waiting = 0;
        for (String name : scan.datasetNames()) {
            DatasetStatus s = scan.status(name);
            if (s.usable()) {
                waiting += s.uncaptioned().size() + s.waiting().size();
            }
        }
        if (waiting == 0) {
            return false;
        }
        log.error("Once mode stops with status {} (EX_TEMPFAIL): {} image(s) wait for a caption, and{}{}. They stay in "
                + "work/ and the inbox for the next run.", EX_TEMPFAIL, waiting, captioning.pauseNotice().replaceFirst("^ \\(", " ")
                        .replaceFirst("\\)$", ""),
                resume.equals(Instant.MAX) ? "" : " (after captiond.once-mode.max-wait, " + props.onceMode().maxWait() + ")");
        exit(EX_TEMPFAIL);
        return true;
    }

    /** What keeps the run going, in words; empty when everything is done. */
    List<String> unfinished() {
        Set<String> names = new LinkedHashSet<>(scan.datasetNames());
        List<String> left = new ArrayList<>();
        for (String name : names) {
            DatasetStatus s = scan.status(name);
            if (!s.usable()) {
                continue;
            }
            if (!s.waiting().isEmpty()) {
                left.add(name + ": " + s.waiting().size() + " file(s) not taken yet");
            }
            if (!s.uncaptioned().isEmpty()) {
                left.add(name + ": " + s.uncaptioned().size() + " image(s) without caption");
            }
            if (s.readyToPackage() && !packager.failures().containsKey(name)) {
                left.add(name + ": trigger.done not packaged yet");
            }
        }
        if (queue.size() > 0) {
            left.add(queue.size() + " caption(s) queued");
        }
        if (uploads.active() > 0) {
            left.add(uploads.active() + " upload(s) or training(s) still running on Replicate");
        }
        int inflight = camel.getInflightRepository().size();
        if (inflight > 0) {
            left.add(inflight + " exchange(s) in flight");
        }
        return left;
    }

    private void exit(int code) {
        uploads.stop(); // trainings still polled after max-wait stop at once; their state resumes next run
        processExit.exit(context, code);
    }
}
