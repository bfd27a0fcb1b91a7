package io.captiond.caption;

import io.captiond.core.CaptionJob;

import io.captiond.core.Folders;
import io.captiond.core.DatasetScan;
import io.captiond.core.IgnoredNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Resumes from what is on disk. Members in work/ without a sidecar (a crash, a stop, a dataset that
 * was stopped and then fixed) are queued for captioning again; members that have one never are.
 * At the first pass, a trigger claimed by a packaging run that did not finish is put back.
 */
@Component("recovery")
public class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private final Folders folders;
    private final DatasetScan scan;
    private final CaptionQueue queue;
    private final AtomicBoolean first = new AtomicBoolean(true);

    private final org.springframework.beans.factory.ObjectProvider<org.apache.camel.CamelContext> camel;

    public Recovery(Folders folders, DatasetScan scan, CaptionQueue queue,
            org.springframework.beans.factory.ObjectProvider<org.apache.camel.CamelContext> camel) {
        this.camel = camel;
        this.folders = folders;
        this.scan = scan;
        this.queue = queue;
    }

    /**
     * When a machine fault (full disk...) is over, members that waited are queued at once rather than
     * at the next periodic pass. Sent through the caption route's own endpoint URI.
     */
    @org.springframework.context.event.EventListener(io.captiond.core.EnvironmentFaults.Resumed.class)
    public void resumed() throws IOException {
        org.apache.camel.ProducerTemplate producer = camel.getObject().createProducerTemplate();
        try {
            for (CaptionJob job : uncaptioned()) {
                producer.sendBody("seda:caption?size={{captiond.route.caption-queue}}&blockWhenFull=true", job);
            }
        } finally {
            producer.stop();
        }
    }

    /** The members that need a caption and are not queued yet (they are claimed on return). */
    public List<CaptionJob> uncaptioned() throws IOException {
        List<CaptionJob> jobs = new ArrayList<>();
        boolean startUp = first.getAndSet(false);
        for (String dataset : workDatasets()) {
            if (startUp) {
                restoreClaimedTrigger(dataset);
            }
            var status = scan.status(dataset);
            if (!status.usable()) {
                continue;
            }
            status.uncaptioned().stream().map(r -> new CaptionJob(dataset, r.output())).filter(queue::claim).forEach(jobs::add);
        }
        if (!jobs.isEmpty()) {
            log.info("Resuming: {} image(s) in work/ still need a caption", jobs.size());
        }
        return jobs;
    }

    private void restoreClaimedTrigger(String dataset) throws IOException {
        Path claimed = folders.claimedTrigger(dataset);
        Path trigger = folders.inbox(dataset).resolve(Folders.TRIGGER_FILE);
        if (Files.exists(claimed)) {
            if (Files.isDirectory(trigger.getParent()) && !Files.exists(trigger)) {
                Files.move(claimed, trigger);
                log.info("Dataset '{}' was being packaged when captiond stopped; packaging it again", dataset);
            } else {
                Files.delete(claimed);
            }
        }
    }

    private List<String> workDatasets() throws IOException {
        if (!Files.isDirectory(folders.work())) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(folders.work())) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !IgnoredNames.ignored(n)).sorted().toList();
        }
    }
}
