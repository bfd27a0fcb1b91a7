package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.core.Quarantine;
import io.captiond.health.DatasetsHealthIndicator;
import io.captiond.support.DropFolders;
import io.captiond.support.Json;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import io.captiond.support.Fixtures;
import io.captiond.support.SharedDaemonTest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Hostile and careless input, generated here: every file ends as a dataset member or in failed/
 * with a reason, nothing outside the inbox is read or moved, and the daemon keeps running.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadInputCorpusTest extends SharedDaemonTest {

    /** Files outside the daemon's folders, which it must neither read nor move. */
    @TempDir
    Path outsideTheFolders;

    @Autowired
    CamelContext camel;

    @Autowired
    DatasetsHealthIndicator datasetsHealth;

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void everyBrokenFileIsQuarantinedWithAReasonAndTheGoodOnesArePackaged() throws Exception {
        String ds = "bad_corpus";
        byte[] jpeg = Files.readAllBytes(Fixtures.image("samsung_gt-i9000_orientation6.jpg"));
        byte[] png = Files.readAllBytes(Fixtures.image("transparent.png"));
        folders.write(ds, "zero.jpg", new byte[0]);
        folders.write(ds, "truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 3));
        folders.write(ds, "truncated.png", Arrays.copyOf(png, png.length - 40));
        folders.write(ds, "letter.jpg", "Dear Sir, this is not a photo.");
        folders.write(ds, "bomb.png", pngWithSize(100_000, 100_000));
        folders.write(ds, "movie.mov", new byte[] {0, 0, 0, 0x14, 'f', 't', 'y', 'p', 'q', 't', ' ', ' ', 0, 0, 0, 0});
        folders.write(ds, "bomb.heic", heicClaiming(100_000, 100_000));
        byte[] mpo = Files.readAllBytes(Fixtures.image("sugarshack.mpo"));
        folders.write(ds, "cut.mpo", Arrays.copyOf(mpo, 30_000));
        folders.drop(ds, "flower.webp");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        assertThat(zip.keySet()).containsExactly("flower.webp", "flower.txt");
        Map<String, String> reasons = Map.of(
                "zero.jpg", "empty file (0 bytes)",
                "truncated.jpg", "broken JPEG",
                "truncated.png", "broken PNG",
                "letter.jpg", "unsupported file type",
                "bomb.png", "100000x100000",
                "movie.mov", "ffprobe cannot read this video", // a video header now: read by ffprobe, which refuses it
                "bomb.heic", "100000x100000",
                "cut.mpo", "broken MPO");
        for (var expected : reasons.entrySet()) {
            Path reason = folders.failed(ds).resolve(expected.getKey() + ".error.txt");
            assertThat(reason).as(expected.getKey()).exists();
            assertThat(Files.readString(reason)).as(expected.getKey()).contains(expected.getValue());
            assertThat(folders.failed(ds).resolve(expected.getKey())).exists();
        }
        assertThat(folders.list(folders.inbox(ds))).isEmpty();
        assertRoutesStillRunning();
    }

    @Test
    void pngsWithBogusChunksEndInTheZipOrInFailedNeverNowhere() throws Exception {
        String ds = "bogus_chunks";
        byte[] png = Files.readAllBytes(Fixtures.image("transparent.png"));
        // an unknown critical chunk (upper-case first letter: decoders must refuse the file)
        folders.write(ds, "critical.png", withChunkAfterHeader(png, "BOGS", new byte[] {1, 2, 3, 4}, false));
        // an unknown ancillary chunk with a wrong CRC (decoders may skip it)
        folders.write(ds, "ancillary.png", withChunkAfterHeader(png, "boGs", new byte[] {9, 9}, true));
        // IHDR claims a colour type that does not exist
        byte[] badType = png.clone();
        badType[8 + 8 + 9] = 5;
        folders.write(ds, "colour_type.png", badType);
        folders.drop(ds, "flower.webp");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        for (String name : List.of("critical", "ancillary", "colour_type")) {
            boolean member = zip.containsKey(name + ".png") && zip.containsKey(name + ".txt");
            Path reason = folders.failed(ds).resolve(name + ".png.error.txt");
            assertThat(member || Files.isRegularFile(reason)).as(name + ".png is a member or quarantined").isTrue();
            if (!member) {
                assertThat(Files.readString(reason)).contains("reason: ").doesNotContain("reason: unknown error");
            }
        }
        assertThat(zip).containsKeys("flower.webp", "flower.txt");
        assertThat(folders.list(folders.inbox(ds))).isEmpty();
        assertRoutesStillRunning();
    }

    @Test
    void nothingIsWrittenOutsideTheConfiguredFolders() throws Exception {
        String ds = "stay_inside";
        folders.drop(ds, "flower.webp");
        folders.write(ds, "letter.jpg", "not a photo");
        folders.trigger(ds);
        folders.awaitZip(ds, WAIT);

        try (var top = Files.list(folders.root())) {
            // the four folders, plus files this test class put at the root itself (the symlink targets)
            assertThat(top.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("secret")))
                    .allMatch(n -> List.of("inbox", "work", "outbox", "failed").contains(n));
        }
        try (var outbox = Files.list(folders.root().resolve("outbox"))) {
            assertThat(outbox.map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.matches("[A-Za-z0-9_]+_(training\\.(zip|json)|report\\.html)"));
        }
    }

    @Test
    void namesWithSpacesUnicodeDashesAndNewlinesBecomeSafeNames() throws Exception {
        String ds = "odd_names";
        Path webp = Fixtures.image("flower.webp");
        folders.drop(ds, webp, "my photo (copy).webp");
        folders.drop(ds, webp, "Ünïcodé 写真.webp");
        folders.drop(ds, webp, "--rm -rf.webp");
        folders.drop(ds, webp, "line\nbreak.webp");
        folders.drop(ds, webp, "$(whoami);`id`.webp");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        assertThat(zip).hasSize(10);
        assertThat(zip.keySet()).as(zip.keySet().toString()).allMatch(n -> n.matches("[A-Za-z0-9][A-Za-z0-9._-]*\\.(webp|txt)"));
        assertThat(zip.keySet()).as(zip.keySet().toString())
                .contains("my_photo_copy.webp", "Unicode.webp", "rm_-rf.webp", "line_break.webp", "whoami_id.webp");
    }

    @Test
    void aSymlinkPointingOutsideTheInboxIsSetAsideUnreadAndItsTargetUntouched() throws Exception {
        String ds = "link_trap";
        Path outside = Files.writeString(outsideTheFolders.resolve("secret.jpg"), "outside the inbox");
        Files.createDirectories(folders.inbox(ds));
        Files.createSymbolicLink(folders.inbox(ds).resolve("innocent.jpg"), outside);
        folders.drop(ds, "flower.webp");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        assertThat(zip.keySet()).containsExactly("flower.webp", "flower.txt");
        assertThat(Files.readString(folders.failed(ds).resolve("innocent.jpg.error.txt"))).contains("symbolic link");
        assertThat(Files.isSymbolicLink(folders.failed(ds).resolve("innocent.jpg"))).isTrue();
        assertThat(Files.readString(outside)).isEqualTo("outside the inbox");
    }

    @Test
    void foldersDeeperThanTheContractAreLeftAloneAndNamedInTheManifest() throws Exception {
        String ds = "nested_ds";
        folders.drop(ds, "flower.webp");
        Path deep = folders.drop(ds, Fixtures.image("transparent.png"), "holiday/deeper.png");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        assertThat(zip.keySet()).containsExactly("flower.webp", "flower.txt");
        assertThat(deep).exists();
        assertThat(Files.readString(folders.manifest(ds))).contains("folder 'holiday' inside the dataset was not read");
    }

    @Test
    void aTriggerThatArrivesBeforeItsImagesWaitsForThem(CapturedOutput log) throws Exception {
        String ds = "early_bird";
        folders.trigger(ds);
        // the package route has looked at the dataset and decided that it waits
        await().atMost(WAIT).until(() -> log.getAll().contains(
                "Dataset 'early_bird' has trigger.done; waiting: trigger.done is there but the dataset has no images yet"));
        assertThat(folders.zip(ds)).doesNotExist();
        assertThat(folders.inbox(ds).resolve("trigger.done")).exists();

        folders.drop(ds, "flower.webp");
        folders.drop(ds, "transparent.png");
        assertThat(folders.awaitZip(ds, WAIT)).hasSize(4);
    }

    @Test
    void aDatasetFolderDeletedWhileItIsProcessedTakesNothingElseDown() throws Exception {
        String gone = "vanishing";
        for (int i = 0; i < 12; i++) {
            folders.drop(gone, Fixtures.image("Landscape_6.jpg"), "big_" + i + ".jpg");
        }
        await().atMost(WAIT).until(() -> Files.isDirectory(folders.work(gone)));
        deleteTree(folders.inbox(gone));
        deleteTree(folders.work(gone));

        folders.drop("survivor", "flower.webp");
        folders.trigger("survivor");
        assertThat(folders.awaitZip("survivor", WAIT)).hasSize(2);
        assertRoutesStillRunning();
    }

    @Test
    void aSecondTriggerDroppedWhilePackagingStartsTheNextRound() throws Exception {
        String ds = "double_tap";
        folders.drop(ds, "flower.webp");
        folders.trigger(ds);
        folders.awaitZip(ds, WAIT);
        Files.delete(folders.manifest(ds));
        folders.trigger(ds); // a second marker: a new round with the same content
        folders.awaitZip(ds, WAIT);
        await().atMost(WAIT).until(() -> !Files.exists(folders.inbox(ds).resolve("trigger.done")));
        assertThat(DropFolders.zipContents(folders.zip(ds))).hasSize(2);
    }

    @Test
    void aFifoInADatasetIsSetAsideUnopenedAndDoesNotBlockTheDataset() throws Exception {
        String ds = "fifo_ds";
        Path pipe = folders.inbox(ds).resolve("pipe.jpg");
        Files.createDirectories(pipe.getParent());
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).redirectErrorStream(true).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
        folders.drop(ds, "flower.webp");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT); // not "1 file(s) still arriving" for ever

        assertThat(zip.keySet()).containsExactly("flower.webp", "flower.txt");
        assertThat(Files.readString(folders.failed(ds).resolve("pipe.jpg.error.txt"))).contains("not a regular file");
        assertThat(Files.readAttributes(folders.failed(ds).resolve("pipe.jpg"), BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).isOther()).isTrue();
    }

    @Test
    void aTriggerDoneThatIsAFolderStopsTheDatasetWithAReasonUntilItIsAFile() throws Exception {
        String ds = "folder_trigger";
        Path photo = folders.drop(ds, "flower.webp");
        Path marker = Files.createDirectories(folders.inbox(ds).resolve("trigger.done"));
        Path problem = folders.inbox(ds).resolve("CAPTIOND-ERROR.txt");

        await().atMost(WAIT).until(() -> Files.exists(problem));
        assertThat(Files.readString(problem)).contains("trigger.done is a folder, not a file");
        assertThat(photo).exists();

        Files.delete(marker);
        folders.trigger(ds);
        assertThat(folders.awaitZip(ds, WAIT).keySet()).containsExactly("flower.webp", "flower.txt");
        assertThat(problem).doesNotExist();
    }

    @Test
    void aBadFileWithA255ByteNameIsQuarantinedWithAShortenedReasonFileAndListedInTheManifest() throws Exception {
        String ds = "long_names";
        String name = "a".repeat(251) + ".jpg"; // NAME_MAX: "<name>.error.txt" could not exist
        folders.write(ds, name, "not a photo at all");
        folders.drop(ds, "flower.webp");
        folders.trigger(ds);

        folders.awaitZip(ds, WAIT);

        assertThat(folders.failed(ds).resolve(name)).exists();
        Path reason = folders.failed(ds).resolve(Quarantine.reasonFileName(name));
        assertThat(reason.getFileName().toString()).endsWith(".error.txt").hasSizeLessThanOrEqualTo(241);
        assertThat(Files.readString(reason)).contains("file: " + name).contains("unsupported file type");
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest(ds).toFile());
        assertThat(manifest.path("failed").get(0).path("file").asText()).isEqualTo(name);
    }

    @Test
    void aNewlineInAFileNameCannotSplitALogLine(CapturedOutput output) throws Exception {
        String ds = "log_lines";
        folders.write(ds, "evil\n2026-01-01 ERROR forged.jpg", "not a photo");
        folders.drop(ds, "flower.webp");
        folders.trigger(ds);
        folders.awaitZip(ds, WAIT);

        assertThat(output.getAll()).contains("evil\\n2026-01-01 ERROR forged.jpg");
        assertThat(output.getAll().lines()).noneMatch(line -> line.startsWith("2026-01-01 ERROR forged"));
    }

    @Test
    void aJpegWithAnInvalidOrientationIsKeptAsStoredWithAWarningInTheManifest() throws Exception {
        String ds = "orientation_nine";
        byte[] jpeg = Files.readAllBytes(Fixtures.image("samsung_gt-i9000_orientation6.jpg"));
        folders.write(ds, "nine.jpg", withOrientation(jpeg, 9));
        folders.trigger(ds);

        folders.awaitZip(ds, WAIT);

        JsonNode image = Json.MAPPER.readTree(folders.manifest(ds).toFile()).path("images").get(0);
        assertThat(image.path("warnings").toString()).contains("EXIF orientation 9 is not a valid value (1-8): treated as 1");
        assertThat(image.path("width").asInt()).isEqualTo(640); // as stored: not turned
        assertThat(image.path("height").asInt()).isEqualTo(480);
    }

    @Test
    void aSymlinkedDatasetFolderIsRefusedAndNothingIsMovedOutOfItsTarget() throws Exception {
        Path outside = Files.createDirectories(folders.root().resolve("secret_photos"));
        Files.copy(Fixtures.image("flower.webp"), outside.resolve("flower.webp"));
        Files.writeString(outside.resolve("trigger.done"), "");
        Files.createSymbolicLink(folders.inbox("linked_ds"), outside);

        await().atMost(WAIT).until(() -> datasetsHealth.health().getDetails().toString().contains("linked_ds"));

        assertThat(datasetsHealth.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(datasetsHealth.health().getDetails().toString()).contains("symbolic link");
        assertThat(outside.resolve("flower.webp")).exists();
        assertThat(outside.resolve("trigger.done")).exists();
        assertThat(outside.resolve("CAPTIOND-ERROR.txt")).doesNotExist(); // nothing written through the link either
        assertThat(folders.work("linked_ds")).doesNotExist();
        Files.delete(folders.inbox("linked_ds")); // the other tests' health stays theirs
    }

    /** {@code jpeg} with its EXIF Orientation value (a SHORT in IFD0, either byte order) set to {@code value}. */
    static byte[] withOrientation(byte[] jpeg, int value) {
        byte[] out = jpeg.clone();
        for (int i = 0; i + 10 <= out.length; i++) {
            boolean motorola = out[i] == 0x01 && out[i + 1] == 0x12 && out[i + 2] == 0 && out[i + 3] == 3;
            boolean intel = out[i] == 0x12 && out[i + 1] == 0x01 && out[i + 2] == 3 && out[i + 3] == 0;
            if (motorola) {
                out[i + 8] = 0;
                out[i + 9] = (byte) value;
                return out;
            }
            if (intel) {
                out[i + 8] = (byte) value;
                out[i + 9] = 0;
                return out;
            }
        }
        throw new IllegalArgumentException("no Orientation tag");
    }

    private void assertRoutesStillRunning() {
        for (String id : List.of("watch-inbox", "normalise", "caption", "package", "recover")) {
            assertThat(camel.getRouteController().getRouteStatus(id)).as(id).isEqualTo(ServiceStatus.Started);
        }
    }

    /** A valid PNG header claiming {@code width}x{@code height} pixels, with almost no data behind it. */
    static byte[] pngWithSize(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(width);
        d.writeInt(height);
        d.write(new byte[] {8, 2, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** A real iPhone HEIC whose every image claims {@code width}x{@code height} pixels (its ispe boxes rewritten). */
    static byte[] heicClaiming(int width, int height) throws Exception {
        byte[] heic = Files.readAllBytes(Fixtures.image("arrow.heic"));
        for (int i = 4; i + 16 <= heic.length; i++) {
            if (heic[i] == 'i' && heic[i + 1] == 's' && heic[i + 2] == 'p' && heic[i + 3] == 'e') {
                java.nio.ByteBuffer.wrap(heic, i + 8, 8).putInt(width).putInt(height); // after version and flags
            }
        }
        return heic;
    }

    /** {@code png} with one more chunk right after IHDR; {@code badCrc} spoils the chunk's checksum. */
    static byte[] withChunkAfterHeader(byte[] png, String type, byte[] data, boolean badCrc) throws Exception {
        int afterIhdr = 8 + 4 + 4 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        chunk(extra, type, data);
        byte[] chunk = extra.toByteArray();
        if (badCrc) {
            chunk[chunk.length - 1] ^= 0x5A;
        }
        out.write(chunk);
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
