package io.captiond.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.config.CaptiondProperties;
import io.captiond.config.FolderCheck;
import io.captiond.support.TestProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start after a kill: partial zips, half-written files and members without a record are gone; nothing of the user's is. */
class LeftoversTest {

    @TempDir
    Path root;

    @Test
    void temporariesAndOrphanMembersOfAnInterruptedRunAreRemovedAtStartUp() throws Exception {
        CaptiondProperties props = TestProperties.inFolders(root);
        Files.createDirectories(root.resolve("inbox"));
        Folders folders = new Folders(props);
        ImageRecords records = new ImageRecords(folders);
        Path partialZip = write(root.resolve("outbox/.ds_training.zip.0badf00d.tmp"));
        Path zip = write(root.resolve("outbox/ds_training.zip"));
        Path work = folders.work("ds");
        Path member = write(work.resolve("kept.jpg"));
        Path sidecar = write(work.resolve("kept.txt"));
        records.save("ds", new ImageRecord("kept.jpg", "jpeg", 1, "kept.jpg", "jpeg", 1, 1, 1, null, List.of(), null,
                Instant.now(), null));
        Path orphan = write(work.resolve("orphan.jpg"));
        Path halfSidecar = write(work.resolve(".kept.txt.12345678.tmp"));
        Path original = write(folders.originals("ds").resolve("orphan.jpg"));
        Path halfReason = write(root.resolve("failed/ds/.x.jpg.error.txt.abcdef01.tmp"));
        Path quarantined = write(root.resolve("failed/ds/x.jpg"));

        new Leftovers(folders, new ImageRecords(folders), new FolderCheck(props)).afterPropertiesSet();

        assertThat(partialZip).doesNotExist();
        assertThat(halfSidecar).doesNotExist();
        assertThat(halfReason).doesNotExist();
        assertThat(orphan).doesNotExist();
        assertThat(List.of(zip, member, sidecar, original, quarantined)).allMatch(Files::exists);
    }

    private static Path write(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.write(file, new byte[] {1});
    }
}
