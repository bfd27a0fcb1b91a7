package io.captiond.packaging;

import io.captiond.core.CaptioningStatus;
import io.captiond.core.Dataset;
import io.captiond.core.DatasetScan;
import io.captiond.core.DatasetStatus;
import io.captiond.core.Datasets;
import io.captiond.core.EnvironmentFaults;
import io.captiond.core.Folders;
import io.captiond.core.Packaged;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The package stage. Called for every {@code trigger.done} the package route sees; it packages only
 * once the dataset has nothing pending, so a trigger that arrives before its images simply waits.
 * Then: late user captions are applied ({@link LateCompanions}), the trigger is claimed
 * ({@link TriggerClaims}, so a new trigger.done dropped meanwhile starts the next round), the zip and
 * then the manifest are written ({@link RoundWriter}), and the claimed trigger is removed.
 */
@Component("packager")
public class DatasetPackager {

    private static final Logger log = LoggerFactory.getLogger(DatasetPackager.class);

    private final Folders folders;
    private final Datasets datasets;
    private final DatasetScan scan;
    private final CaptioningStatus captioning;
    private final LateCompanions companions;
    private final TriggerClaims triggers;
    private final RoundWriter writer;
    private final EnvironmentFaults faults;
    private final Map<String, String> lastWaitMessage = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    /** After a failed attempt the dataset is not tried again for a while, so an error is not logged every poll. */
    private final Map<String, Long> retryNotBefore = new ConcurrentHashMap<>();
    static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.MINUTES.toNanos(1);

    public DatasetPackager(Folders folders, Datasets datasets, DatasetScan scan, CaptioningStatus captioning,
            LateCompanions companions, TriggerClaims triggers, RoundWriter writer,
            EnvironmentFaults faults) {
        this.faults = faults;
        this.folders = folders;
        this.datasets = datasets;
        this.scan = scan;
        this.captioning = captioning;
        this.companions = companions;
        this.triggers = triggers;
        this.writer = writer;
    }

    /** Packages the dataset of {@code triggerPath} if it is ready; null when it must wait. */
    public Packaged packageIfReady(@Header("CamelFileAbsolutePath") String triggerPath) throws IOException {
        String name = folders.datasetOf(Path.of(triggerPath));
        Long notBefore = retryNotBefore.get(name);
        if (notBefore != null && System.nanoTime() - notBefore < 0) {
            return null;
        }
        DatasetStatus status = scan.status(name);
        if (!status.usable() || !status.triggered()) {
            return null;
        }
        if (status.hasPendingWork()) {
            waiting(name, status.waiting().size() + " file(s) still arriving or being normalised, "
                    + status.uncaptioned().size() + " image(s) waiting for a caption"
                    + (status.uncaptioned().isEmpty() ? "" : captioning.pauseNotice())
                    + (faults.paused() ? " (paused: " + faults.summary() + ")" : ""));
            return null;
        }
        Dataset dataset = datasets.get(name);
        companions.apply(dataset, status.members());
        if (status.members().isEmpty()) {
            waiting(name, "trigger.done is there but the dataset has no images yet");
            return null;
        }
        lastWaitMessage.remove(name);
        Path claimed = triggers.claim(name);
        try {
            Packaged packaged = writer.write(dataset, scan.status(name).members(), TriggerClaims.note(claimed));
            // the claimed trigger stays until roundDone: a crash before the round is handed on (to the
            // upload stage) puts it back at the restart, and the round is packaged and handed on again
            failures.remove(name);
            retryNotBefore.remove(name);
            return packaged;
        } catch (IOException | RuntimeException e) {
            failed(name, e);
            triggers.restore(name, claimed);
            return null;
        }
    }

    /** The package route's error handler: a failure before the trigger was claimed (a scan, late companions). */
    public void attemptFailed(@Header("CamelFileAbsolutePath") String triggerPath,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) {
        String name = triggerPath == null ? null : folders.datasetOf(Path.of(triggerPath));
        if (name != null) {
            failed(name, e);
        } else {
            log.error("Packaging failed: {}", String.valueOf(e));
        }
    }

    private void failed(String name, Exception e) {
        boolean again = e.toString().equals(failures.put(name, e.toString()));
        retryNotBefore.put(name, System.nanoTime() + RETRY_AFTER_FAILURE_NANOS);
        if (faults.report(folders.outbox(), e) || again) { // a full outbox/ is on /actuator/health; said once
            log.debug("Packaging dataset '{}' failed again (trying again in a minute): {}", name, e.toString());
        } else {
            log.error("Packaging dataset '{}' failed (trying again in a minute): {}", name, e.toString(),
                    e instanceof IllegalStateException ? null : e);
        }
    }

    /** The round is written and handed on: its claimed trigger is consumed. */
    public void roundDone(Packaged packaged) throws IOException {
        triggers.consume(packaged.dataset());
    }

    /** Datasets whose last packaging attempt failed in this process, with the error. */
    public Map<String, String> failures() {
        return Map.copyOf(failures);
    }

    private void waiting(String dataset, String why) {
        if (!why.equals(lastWaitMessage.put(dataset, why))) {
            log.info("Dataset '{}' has trigger.done; waiting: {}", dataset, why);
        }
    }
}
