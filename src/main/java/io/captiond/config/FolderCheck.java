package io.captiond.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Checks the four folders before any route starts. The inbox is never created: a missing inbox
 * usually means an unmounted network share, and polling an empty local stand-in would hide that.
 * The output folders are captiond's own and are created when their parent exists.
 */
@Component
public class FolderCheck implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(FolderCheck.class);

    private final CaptiondProperties props;

    public FolderCheck(CaptiondProperties props) {
        this.props = props;
    }

    @Override
    public void afterPropertiesSet() {
        List<String> problems = new ArrayList<>();
        Path inbox = props.inbox().toAbsolutePath();
        if (!Files.isDirectory(inbox)) {
            problems.add("captiond.inbox " + inbox + " does not exist (is the share mounted?); "
                    + "create it or point captiond.inbox at the drop folder");
        } else if (!Files.isWritable(inbox)) {
            problems.add("captiond.inbox " + inbox + " is not writable by this user; captiond moves "
                    + "processed and failed files out of it");
        }
        for (var folder : List.of(new Named("captiond.work", props.work()), new Named("captiond.outbox", props.outbox()),
                new Named("captiond.failed", props.failed()))) {
            String problem = ensureWritable(folder.property(), folder.path().toAbsolutePath());
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new UnusableFolderException(String.join("\n  ", problems));
        }
        log.info("Folders: inbox={} work={} outbox={} failed={}", inbox, props.work().toAbsolutePath(),
                props.outbox().toAbsolutePath(), props.failed().toAbsolutePath());
    }

    private static String ensureWritable(String property, Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            return property + " " + path + " cannot be created: " + e;
        }
        if (!Files.isWritable(path)) {
            return property + " " + path + " is not writable by this user";
        }
        return null;
    }

    private record Named(String property, Path path) {
    }

    /** Start-up fails with this when a folder cannot be used; the message says which and why. */
    public static class UnusableFolderException extends IllegalStateException {
        public UnusableFolderException(String message) {
            super("captiond cannot use its folders:\n  " + message);
        }
    }
}
