package io.captiond.watch;

import io.captiond.core.Folders;
import java.nio.file.Files;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "inbox": DOWN while the drop folder is missing or read-only,
 * typically a network share that came unmounted. The watch routes back off meanwhile and resume by
 * themselves when it returns.
 */
@Component("inbox")
public class InboxHealthIndicator implements HealthIndicator {

    private final Folders folders;

    public InboxHealthIndicator(Folders folders) {
        this.folders = folders;
    }

    @Override
    public Health health() {
        var inbox = folders.inbox();
        if (!Files.isDirectory(inbox)) {
            return Health.down().withDetail("inbox", inbox.toString())
                    .withDetail("problem", "missing: is the share mounted?").build();
        }
        if (!Files.isWritable(inbox)) {
            return Health.down().withDetail("inbox", inbox.toString()).withDetail("problem", "not writable").build();
        }
        return Health.up().withDetail("inbox", inbox.toString()).build();
    }
}
