package io.captiond.core;

import io.captiond.core.ImageRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset's state read from the folders: inbox files still to be taken, members still without
 * a caption, members ready to ship, and whether trigger.done is present.
 */
public record DatasetStatus(String dataset, boolean usable, List<Path> waiting, List<ImageRecord> uncaptioned,
        List<ImageRecord> members, boolean triggered) {

    public boolean hasPendingWork() {
        return !waiting.isEmpty() || !uncaptioned.isEmpty();
    }

    /** trigger.done is there, nothing is pending and there is something to ship. */
    public boolean readyToPackage() {
        return usable && triggered && !hasPendingWork() && !members.isEmpty();
    }
}
