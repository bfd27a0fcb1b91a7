package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.support.CaptiondJar;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/captiond.jar --captiond.once=true}: the batch form of the daemon, run as a
 * separate process exactly as a user or a cron job runs it.
 */
class OnceModeJarIT {

    private static final String[] FIXTURES = {"Landscape_6.jpg", "Portrait_5.jpg", "samsung_gt-i9000_orientation6.jpg",
        "flower.webp", "transparent.png"};

    @TempDir
    Path root;

    @Test
    void aTwentyImageDatasetWithTriggerBecomesZipAndManifestAndExitsZero() throws Exception {
        DropFolders folders = new DropFolders(root);
        dropTwenty(folders, "ana_portraits");
        folders.trigger("ana_portraits");

        List<String> args = new ArrayList<>(CaptiondJar.folderArgs(root));
        args.addAll(List.of("--captiond.once=true", "--captiond.provider=basic"));
        CaptiondJar.Run run = CaptiondJar.run(root, args, 120);

        assertThat(run.exitCode()).as(run.output()).isZero();
        Map<String, byte[]> zip = DropFolders.zipContents(folders.zip("ana_portraits"));
        assertThat(zip).hasSize(40);
        assertThat(zip.keySet()).allMatch(n -> !n.contains("/"));
        assertThat(folders.manifest("ana_portraits")).exists();
        assertThat(folders.inbox("ana_portraits").resolve("trigger.done")).doesNotExist();
    }

    @Test
    void aRestartMidDatasetRecaptionsNothingThatAlreadyHasASidecar() throws Exception {
        DropFolders folders = new DropFolders(root);
        dropTwenty(folders, "ben_garage");
        List<String> args = new ArrayList<>(CaptiondJar.folderArgs(root));
        args.addAll(List.of("--captiond.once=true", "--captiond.provider=basic"));

        CaptiondJar.Run first = CaptiondJar.run(root, args, 120); // no trigger yet: captions only
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(captionedCount(first.output())).isEqualTo(20);
        Path work = folders.work("ben_garage");
        List<Path> sidecars;
        try (var files = Files.list(work)) {
            sidecars = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(sidecars).hasSize(20);
        Map<Path, FileTime> stamps = new java.util.HashMap<>();
        for (Path sidecar : sidecars) {
            stamps.put(sidecar, Files.getLastModifiedTime(sidecar));
        }
        Files.delete(sidecars.get(3)); // as if the crash came just before this one was written

        folders.trigger("ben_garage");
        CaptiondJar.Run second = CaptiondJar.run(root, args, 120);

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(captionedCount(second.output())).isEqualTo(1);
        for (Path sidecar : sidecars) {
            if (!sidecar.equals(sidecars.get(3))) {
                assertThat(Files.getLastModifiedTime(sidecar)).isEqualTo(stamps.get(sidecar));
            }
        }
        assertThat(DropFolders.zipContents(folders.zip("ben_garage"))).hasSize(40);
    }

    @Test
    void aMissingInboxStopsStartUpWithAClearMessageAndANonZeroExit() throws Exception {
        List<String> args = new ArrayList<>(CaptiondJar.folderArgs(root.resolve("not-mounted")));
        args.add("--captiond.once=true");
        CaptiondJar.Run run = CaptiondJar.run(root, args, 120);

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("captiond.inbox").contains("does not exist (is the share mounted?)");
        assertThat(root.resolve("not-mounted/inbox")).doesNotExist(); // never silently created
    }

    private static void dropTwenty(DropFolders folders, String dataset) {
        for (int i = 0; i < 20; i++) {
            String fixture = FIXTURES[i % FIXTURES.length];
            String ext = fixture.substring(fixture.lastIndexOf('.'));
            folders.drop(dataset, Fixtures.image(fixture), String.format("IMG_%04d%s", i, ext));
        }
    }

    private static int captionedCount(String log) {
        Matcher m = Pattern.compile("Captioned \\S+ \\(basic\\)").matcher(log);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
