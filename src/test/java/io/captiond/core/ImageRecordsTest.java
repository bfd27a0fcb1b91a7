package io.captiond.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.support.TestProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records in work/&lt;dataset&gt;/.captiond/records/ as a restart reads them. */
class ImageRecordsTest {

    @TempDir
    Path root;

    private Folders folders() {
        return new Folders(TestProperties.with(
                "captiond.inbox", root.resolve("inbox").toString(), "captiond.work", root.resolve("work").toString(),
                "captiond.outbox", root.resolve("outbox").toString(), "captiond.failed", root.resolve("failed").toString()));
    }

    private static ImageRecord record(String source, String output) {
        return new ImageRecord(source, "jpeg", 10, output, "jpeg", 4, 3, 10, null, List.of(), null, Instant.now(), null);
    }

    @Test
    void aDamagedRecordFileIsSkippedAndTheOtherMembersOfItsDatasetAreRead() throws Exception {
        Folders folders = folders();
        new ImageRecords(folders).save("ds", record("a.jpg", "a.jpg"));
        new ImageRecords(folders).save("ds", record("b.jpg", "b.jpg"));
        Files.writeString(folders.records("ds").resolve("c.jpg.json"), "{\"source\": \"c.jp"); // cut off mid-write
        Files.writeString(folders.records("ds").resolve("d.jpg.json"), "[]");
        Files.write(folders.work("ds").resolve("c.jpg"), new byte[] {1});

        ImageRecords afterRestart = new ImageRecords(folders);

        assertThat(afterRestart.all("ds")).extracting(ImageRecord::output).containsExactly("a.jpg", "b.jpg");
        // the skipped member's name stays taken: a new c.jpg does not overwrite its file in work/
        assertThat(afterRestart.allocateOutputName("ds", "c.jpg", "jpg")).isEqualTo("c-2.jpg");
    }
}
