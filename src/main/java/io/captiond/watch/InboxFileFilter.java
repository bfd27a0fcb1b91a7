package io.captiond.watch;

import io.captiond.core.IgnoredNames;

import io.captiond.core.Datasets;
import io.captiond.core.EnvironmentFaults;
import io.captiond.core.Folders;
import io.captiond.core.Quarantine;
import java.io.File;
import java.util.Locale;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.springframework.stereotype.Component;

/**
 * Which inbox entries the watch route takes: files of usable datasets that are neither ignored
 * names nor control files, once they have stopped changing. Camel calls it for the dataset folders
 * as well, so a stopped dataset is skipped without listing its files.
 */
@Component("inboxFileFilter")
public class InboxFileFilter implements GenericFileFilter<File> {

    private final Datasets datasets;
    private final StabilityTracker stability;
    private final EnvironmentFaults faults;
    private final Quarantine quarantine;

    public InboxFileFilter(Datasets datasets, StabilityTracker stability, EnvironmentFaults faults, Quarantine quarantine) {
        this.datasets = datasets;
        this.stability = stability;
        this.faults = faults;
        this.quarantine = quarantine;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        String name = file.getFileNameOnly();
        if (IgnoredNames.ignored(name)) {
            return false;
        }
        if (file.isDirectory()) {
            // only the dataset folders themselves are walked (maxDepth=2)
            return datasets.get(name).usable();
        }
        if (Folders.isControlFile(name) || faults.paused() || !quarantine.mayTry(file.getAbsoluteFilePath())) {
            return false; // intake paused (full disk...), or failed/ could not take this file: its back-off runs
        }
        return stability.isStable(file.getAbsoluteFilePath(), file.getFileLength(), file.getLastModified());
    }

}
