package io.captiond.packaging;

import io.captiond.core.Folders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A round's trigger: {@code trigger.done} is claimed (moved under work/&lt;dataset&gt;/.captiond) when
 * packaging starts, so a new trigger.done dropped meanwhile starts the next round; it is consumed once
 * the round is handed on, and put back after a failure.
 */
@Component
public class TriggerClaims {

    private static final Logger log = LoggerFactory.getLogger(TriggerClaims.class);
    /** trigger.done may carry a note (upload wishes, see the upload stage); a huge one is not a note. */
    private static final long MAX_NOTE_BYTES = 64 * 1024;

    private final Folders folders;

    public TriggerClaims(Folders folders) {
        this.folders = folders;
    }

    public Path claim(String dataset) throws IOException {
        Path claimed = folders.claimedTrigger(dataset);
        Files.createDirectories(claimed.getParent());
        Files.move(folders.inbox(dataset).resolve(Folders.TRIGGER_FILE), claimed, StandardCopyOption.REPLACE_EXISTING);
        return claimed;
    }

    public static String note(Path claimed) throws IOException {
        return Files.size(claimed) > MAX_NOTE_BYTES ? "" : Files.readString(claimed, StandardCharsets.UTF_8).strip();
    }

    /** After a failure the trigger goes back, unless the user dropped a new one meanwhile. */
    public void restore(String dataset, Path claimed) {
        try {
            Path trigger = folders.inbox(dataset).resolve(Folders.TRIGGER_FILE);
            if (Files.exists(claimed) && !Files.exists(trigger)) {
                Files.move(claimed, trigger);
            }
        } catch (IOException e) {
            log.warn("Could not put back trigger.done of '{}': {}", dataset, e.toString());
        }
    }

    /** The round is written and handed on: its claimed trigger is consumed. */
    public void consume(String dataset) throws IOException {
        Files.deleteIfExists(folders.claimedTrigger(dataset));
    }
}
