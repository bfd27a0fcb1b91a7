package io.captiond.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.config.CaptiondProperties;
import io.captiond.support.TestProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** failed/ that cannot take a file: nothing is lost, nothing is paid again, names of any length get a reason. */
class QuarantineTest {

    @TempDir
    Path root;

    @Test
    void aMemberWhoseCaptionFailedKeepsItsVerdictWhileFailedCannotTakeItSoNoRestartPaysForItAgain() throws Exception {
        CaptiondProperties props = TestProperties.inFolders(root);
        Folders folders = new Folders(props);
        ImageRecords records = new ImageRecords(folders);
        EnvironmentFaults faults = new EnvironmentFaults(folders, props, event -> { });
        Path member = Files.createDirectories(folders.work("ds")).resolve("card.png");
        Files.write(member, new byte[] {1, 2, 3});
        Path original = Files.createDirectories(folders.originals("ds")).resolve("card.png");
        Files.write(original, new byte[] {1, 2, 3});
        records.save("ds", new ImageRecord("card.png", "png", 3, "card.png", "png", 1, 1, 3, null, List.of(), null,
                Instant.now(), null));
        Files.writeString(root.resolve("failed"), "a file where the folder should be"); // failed/ cannot take anything
        CaptionJob job = new CaptionJob("ds", "card.png");

        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(job);
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("the model refused: unsafe content"));
            new Quarantine(folders, records, faults).member(exchange);
        }

        assertThat(member).exists(); // nothing lost
        Quarantine afterRestart = new Quarantine(folders, new ImageRecords(folders), faults);
        assertThat(afterRestart.verdict("ds", "card.png")).contains("the model refused: unsafe content");

        Files.delete(root.resolve("failed"));
        afterRestart.retryMember(job);

        assertThat(member).doesNotExist();
        assertThat(folders.failed("ds").resolve("card.png")).exists();
        assertThat(Files.readString(folders.failed("ds").resolve("card.png.error.txt"), StandardCharsets.UTF_8))
                .contains("stage: caption").contains("the model refused: unsafe content");
        assertThat(afterRestart.verdict("ds", "card.png")).isEmpty();
        faults.destroy();
    }

    @Test
    void aNameTooLongForItsReasonFileGetsAShortenedUniqueOne() {
        String a = "é".repeat(120) + "a.jpg"; // 245 bytes in UTF-8
        String b = "é".repeat(120) + "b.jpg";
        assertThat(Quarantine.reasonFileName("short.jpg")).isEqualTo("short.jpg.error.txt");
        for (String name : List.of(a, b)) {
            String reason = Quarantine.reasonFileName(name);
            assertThat(reason).endsWith(".error.txt").startsWith("éé");
            assertThat(reason.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255 - 14);
        }
        assertThat(Quarantine.reasonFileName(a)).isNotEqualTo(Quarantine.reasonFileName(b));
    }
}
