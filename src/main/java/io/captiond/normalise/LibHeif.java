package io.captiond.normalise;

import io.captiond.config.CaptiondProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * libheif's {@code heif-convert}, run out of process by {@link ExternalTool}: at most
 * {@code heif-parallelism} at once (each one decodes on several threads of its own), killed with
 * anything it started after {@code heif-timeout}.
 */
@Component
public class LibHeif {

    static final String INSTALL_HINT = "install libheif's tools: apt-get install libheif-examples";

    private static final Logger log = LoggerFactory.getLogger(LibHeif.class);

    private final ExternalTool tool;

    @Autowired
    public LibHeif(CaptiondProperties props) {
        this(props.normalise().heifConvert(), props.normalise().heifTimeout(), props.normalise().heifParallelism());
    }

    LibHeif(String command, Duration timeout, int parallelism) {
        this.tool = new ExternalTool(command, timeout, parallelism, "HEIC/HEIF/AVIF cannot be converted",
                "captiond.normalise.heif-convert", "captiond.normalise.heif-timeout");
    }

    /** Null when heif-convert can be run, else why not (with the install hint). */
    public String problem() {
        return tool.problem(INSTALL_HINT);
    }

    public String command() {
        return tool.command();
    }

    @EventListener(ApplicationStartedEvent.class)
    public void warnWhenMissing() {
        String problem = problem();
        if (problem != null) {
            log.warn("HEIC/HEIF/AVIF files will be quarantined: {}", problem);
        }
    }

    /**
     * Runs heif-convert with {@code args} in {@code dir}, waiting for a free slot first.
     *
     * @throws RejectedInputException when it cannot be started (not installed) or runs out of time
     */
    public ExternalTool.Run convert(List<String> args, Path dir) throws IOException {
        return tool.run(args, dir, INSTALL_HINT);
    }
}
