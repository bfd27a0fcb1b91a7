package io.captiond.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.CaptionRules;
import io.captiond.core.DatasetScan;
import io.captiond.core.Datasets;
import io.captiond.core.EnvironmentFaults;
import io.captiond.core.Folders;
import io.captiond.core.LivePhotos;
import io.captiond.core.RoundExtra;
import io.captiond.core.RoundExtras;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.core.ManifestLock;
import io.captiond.core.Packaged;
import io.captiond.core.Quarantine;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import io.captiond.support.TestProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The package stage's jobs wired as the application wires them, on real folders, without the routes. */
class DatasetPackagerTest {

    @TempDir
    Path root;
    Folders folders;
    DatasetPackager packager;
    Path trigger;

    @BeforeEach
    void aCaptionedMemberAndItsTrigger() throws IOException {
        CaptiondProperties props = TestProperties.with("captiond.inbox", root.resolve("inbox").toString(),
                "captiond.work", root.resolve("work").toString(), "captiond.outbox", root.resolve("outbox").toString(),
                "captiond.failed", root.resolve("failed").toString());
        folders = new Folders(props);
        ImageRecords records = new ImageRecords(folders);
        Datasets datasets = new Datasets(folders);
        EnvironmentFaults faults = new EnvironmentFaults(folders, props, event -> { });
        RoundExtras noExtras = new RoundExtras(folders, new StaticListableBeanFactory().getBeanProvider(RoundExtra.class));
        packager = new DatasetPackager(folders, datasets, new DatasetScan(folders, datasets, records), () -> "",
                new LateCompanions(folders, records, new CaptionRules(props), new Quarantine(folders, records, faults)),
                new TriggerClaims(folders),
                new RoundWriter(folders, new ManifestLock(), new LivePhotos(folders), noExtras), faults);
        Files.createDirectories(folders.work("mia_park"));
        Files.createDirectories(folders.outbox());
        Files.copy(Fixtures.image("flower.webp"), folders.work("mia_park").resolve("flower.webp"));
        Files.writeString(folders.work("mia_park").resolve("flower.txt"), "photo of mia_park, a flower\n");
        records.save("mia_park", new ImageRecord("flower.webp", "webp", 1, "flower.webp", "webp", 10, 10, 1, null,
                List.of(), "basic", Instant.now(), Instant.now()));
        trigger = Files.createDirectories(folders.inbox("mia_park")).resolve("trigger.done");
        Files.writeString(trigger, "");
    }

    @Test
    void aReadyDatasetBecomesItsZipAndManifestAndItsTriggerIsConsumedWhenTheRoundIsHandedOn() throws Exception {
        Packaged packaged = packager.packageIfReady(trigger.toString());

        assertThat(packaged.images()).isEqualTo(1);
        assertThat(DropFolders.zipContents(folders.zip("mia_park")).keySet()).containsExactly("flower.webp", "flower.txt");
        assertThat(folders.manifest("mia_park")).exists();
        assertThat(trigger).doesNotExist();
        assertThat(folders.claimedTrigger("mia_park")).exists();       // kept until the hand-over
        packager.roundDone(packaged);
        assertThat(folders.claimedTrigger("mia_park")).doesNotExist();
    }

    @Test
    void aFailureTheRouteCaughtIsRecordedAndTheDatasetRestsInsteadOfFailingEveryPoll() throws Exception {
        packager.attemptFailed(trigger.toString(), new IOException("Input/output error"));

        assertThat(packager.failures()).containsEntry("mia_park", "java.io.IOException: Input/output error");
        assertThat(packager.packageIfReady(trigger.toString())).isNull();
        assertThat(folders.zip("mia_park")).doesNotExist();
        assertThat(trigger).exists();                                   // nothing lost: the next attempt takes it
    }
}
