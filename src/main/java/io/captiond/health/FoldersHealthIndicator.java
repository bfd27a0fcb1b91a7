package io.captiond.health;

import io.captiond.core.EnvironmentFaults;
import io.captiond.core.Folders;
import io.captiond.core.Quarantine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "folders": each of the four folders exists, takes a write (a
 * real probe file: a read-only mount or a full disk says so only then) and has at least
 * {@code captiond.faults.min-free-space} free. DOWN too while a machine fault pauses captiond or
 * files wait for failed/ to take them. Replaces Spring's disk check, which looks at the working
 * directory instead of these folders.
 */
@Component
public class FoldersHealthIndicator implements HealthIndicator {

    private final Folders folders;
    private final EnvironmentFaults faults;
    private final Quarantine quarantine;

    public FoldersHealthIndicator(Folders folders, EnvironmentFaults faults, Quarantine quarantine) {
        this.folders = folders;
        this.faults = faults;
        this.quarantine = quarantine;
    }

    @Override
    public Health health() {
        boolean up = true;
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Path> four = new LinkedHashMap<>();
        four.put("inbox", folders.inbox());
        four.put("work", folders.work());
        four.put("outbox", folders.outbox());
        four.put("failed", folders.failedRoot());
        for (var folder : four.entrySet()) {
            Path path = folder.getValue();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("path", path.toString());
            String problem = null;
            long free = EnvironmentFaults.freeBytes(path);
            d.put("freeBytes", free);
            if (!Files.isDirectory(path)) {
                problem = "missing";
            } else if (folder.getKey().equals("inbox") ? !Files.isWritable(path) : !EnvironmentFaults.writable(path)) {
                problem = "not writable";
            } else if (free < faults.minFreeBytes()) {
                problem = "less than " + EnvironmentFaults.readable(faults.minFreeBytes()) + " free (captiond.faults.min-free-space)";
            }
            EnvironmentFaults.Fault fault = faults.current().get(path);
            if (fault != null) {
                problem = (problem == null ? "" : problem + "; ") + fault.condition().description + " since " + fault.since()
                        + ": captiond waits and resumes by itself";
            }
            if (problem != null) {
                d.put("problem", problem);
                up = false;
            }
            details.put(folder.getKey(), d);
        }
        if (quarantine.deferredCount() > 0) {
            details.put("waitingForFailed", quarantine.deferredCount() + " file(s) cannot be moved to failed/ yet");
            up = false;
        }
        if (faults.paused()) {
            details.put("paused", "intake and captioning wait: " + faults.summary());
        }
        return (up ? Health.up() : Health.down()).withDetails(details).build();
    }
}
