package io.captiond.caption;

import io.captiond.core.CaptionJob;
import io.captiond.core.Folders;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells the user, in the dataset's own inbox folder, that its images wait because the provider's
 * configuration is wrong: {@value Folders#PROBLEM_FILE} says what is wrong and which setting fixes
 * it. Written once per dataset; removed by the first caption the provider makes again (after the
 * restart with the fixed setting). A problem file captiond wrote for another reason (an invalid
 * trigger word) is left alone.
 */
@Component("providerProblems")
public class ProviderProblemFiles {

    static final String HEADING = "captiond cannot caption this dataset: the captioning provider's configuration is wrong";
    private static final Logger log = LoggerFactory.getLogger(ProviderProblemFiles.class);

    private final Folders folders;
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    public ProviderProblemFiles(Folders folders) {
        this.folders = folders;
    }

    /** The caption route's handler for a paused provider: writes the file when the pause is a configuration problem. */
    public void report(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        CaptionJob job = exchange.getIn().getBody(CaptionJob.class);
        if (caught instanceof ProviderMisconfiguredException wrong && job != null && written.add(job.dataset())) {
            Path file = folders.inbox(job.dataset()).resolve(Folders.PROBLEM_FILE);
            try {
                if (Files.isDirectory(file.getParent())) {
                    AtomicFiles.writeString(file, HEADING + " (" + Instant.now() + ")\n\n" + wrong.problem() + "\n\nFix: "
                            + wrong.fix() + ", then restart captiond.\n\nNothing was moved or quarantined: the images wait "
                            + "uncaptioned in work/" + job.dataset() + "/ and are captioned after the restart. This file "
                            + "is removed when captioning works again.\n");
                }
            } catch (IOException e) {
                written.remove(job.dataset());
                log.warn("Could not write {}: {}", file, e.toString());
            }
        }
    }

    /** A provider caption was made for the dataset: a configuration problem file is out of date. */
    public void captioned(String dataset) {
        if (!checked.add(dataset) && !written.contains(dataset)) {
            return; // looked once in this run, and not written since
        }
        written.remove(dataset);
        Path file = folders.inbox(dataset).resolve(Folders.PROBLEM_FILE);
        try {
            if (Files.isRegularFile(file) && Files.readString(file).startsWith(HEADING) && Files.deleteIfExists(file)) {
                log.info("Captioning works again for '{}': removed its {}", dataset, Folders.PROBLEM_FILE);
            }
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", file, e.toString());
        }
    }
}
