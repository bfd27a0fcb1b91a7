package io.captiond.core;

import io.captiond.config.CaptiondProperties;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** Where each dataset's files live: the folder contract of the design notes, in one place. */
@Component
public class Folders {

    /** Written into a dataset's inbox folder when the dataset cannot be processed; removed once fixed. */
    public static final String PROBLEM_FILE = "CAPTIOND-ERROR.txt";
    public static final String TRIGGER_FILE = "trigger.done";
    public static final String SETTINGS_FILE = "dataset.yaml";
    /** Hidden folders inside work/&lt;dataset&gt;/: never zipped, never scanned as images. */
    static final String STATE_DIR = ".captiond";
    static final String ORIGINALS_DIR = ".originals";
    /** A trigger.done taken by a packaging run, kept until its round is written and handed on. */
    static final String CLAIMED_TRIGGER = "trigger.claimed";

    private final Path inbox;
    private final Path work;
    private final Path outbox;
    private final Path failed;

    public Folders(CaptiondProperties props) {
        this.inbox = props.inbox().toAbsolutePath().normalize();
        this.work = props.work().toAbsolutePath().normalize();
        this.outbox = props.outbox().toAbsolutePath().normalize();
        this.failed = props.failed().toAbsolutePath().normalize();
    }

    public Path inbox() {
        return inbox;
    }

    public Path work() {
        return work;
    }

    public Path outbox() {
        return outbox;
    }

    public Path failedRoot() {
        return failed;
    }

    public Path inbox(String dataset) {
        return inbox.resolve(dataset);
    }

    public Path work(String dataset) {
        return work.resolve(dataset);
    }

    public Path records(String dataset) {
        return work(dataset).resolve(STATE_DIR).resolve("records");
    }

    /** Inputs that became dataset members, kept so that nothing the user dropped is ever lost. */
    public Path originals(String dataset) {
        return work(dataset).resolve(ORIGINALS_DIR);
    }

    public Path failed(String dataset) {
        return failed.resolve(dataset);
    }

    public Path zip(String trigger) {
        return outbox.resolve(trigger + "_training.zip");
    }

    public Path manifest(String trigger) {
        return outbox.resolve(trigger + "_training.json");
    }

    /** The dataset insight report written beside the zip. */
    public Path report(String trigger) {
        return outbox.resolve(reportName(trigger));
    }

    public static String reportName(String trigger) {
        return trigger + "_report.html";
    }

    /** Where a trigger claimed by a packaging run is kept until the round is done (restored after a crash). */
    public Path claimedTrigger(String dataset) {
        return records(dataset).resolveSibling(CLAIMED_TRIGGER);
    }

    /** Files that steer a dataset rather than belong to it: settings, marker, messages, user captions. */
    public static boolean isControlFile(String name) {
        return name.equals(TRIGGER_FILE) || name.equals(SETTINGS_FILE)
                || name.equals(PROBLEM_FILE) || FileNames.isCaptionFile(name) || FileNames.isTagsFile(name);
    }

    /** The dataset a path under the inbox or work folder belongs to (its first folder), or null. */
    public String datasetOf(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        for (Path root : new Path[] {inbox, work}) {
            if (abs.startsWith(root) && root.relativize(abs).getNameCount() >= 2) {
                return root.relativize(abs).getName(0).toString();
            }
        }
        return null;
    }
}
