package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.captiond.caption.PaidCaptions;
import io.captiond.core.EnvironmentFaults;
import io.captiond.core.Quarantine;
import io.captiond.health.FoldersHealthIndicator;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import io.captiond.support.SmallDisk;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Faults of the machine on real small file systems (tmpfs mounts; root only, skipped visibly
 * elsewhere). A full work/ disk is not the photos' fault: nothing is quarantined, intake and
 * captioning pause (and /actuator/health says so), a caption already paid for is kept and written
 * once space returns, and captiond resumes by itself. A read-only failed/ leaves a bad file in the
 * inbox, logged once and backed off, until failed/ takes it.
 */
@ExtendWith(OutputCaptureExtension.class)
@CamelSpringBootTest
// closed after the class: its folders are a @TempDir that is gone once the class is done
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class)
class MachineFaultsTest {

    private static final int PHOTOS = 4;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path root;
    static DropFolders folders;
    static SmallDisk disk;
    static SmallDisk failedDisk;
    static HttpServer provider;
    static final AtomicInteger requests = new AtomicInteger();
    /** The provider fills work/ while it answers its first request: the caption is paid, the disk is full. */
    static final AtomicBoolean fillOnNextRequest = new AtomicBoolean();

    @Autowired
    EnvironmentFaults faults;
    @Autowired
    PaidCaptions paid;
    @Autowired
    FoldersHealthIndicator health;
    @Autowired
    Quarantine quarantine;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        folders = new DropFolders(root);
        folders.registerAuto(registry, Map.of(
                "captiond.openai.base-url", () -> "http://127.0.0.1:" + provider.getAddress().getPort() + "/v1",
                "captiond.openai.model", () -> "disk-vl",
                "captiond.faults.min-free-space", () -> "256KB",
                "captiond.faults.probe-interval", () -> "200ms"));
    }

    /** Runs before the daemon starts (its properties are read after this), so work/ is the small disk. */
    @BeforeAll
    static void smallDiskAndProvider() throws Exception {
        disk = SmallDisk.mount(root.resolve("work"), "2m");
        failedDisk = disk == null ? null : SmallDisk.mount(root.resolve("failed"), "1m");
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        provider.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            if (disk != null && fillOnNextRequest.getAndSet(false)) {
                disk.fill();
            }
            byte[] body = """
                    {"id":"c1","object":"chat.completion","created":1764000000,"model":"disk-vl",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"a small coloured card"},"finish_reason":"stop"}]}"""
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        provider.start();
        assumeTrue(disk != null && failedDisk != null, () -> "skipped: " + SmallDisk.whyNot);
    }

    @AfterAll
    static void unmount() {
        if (provider != null) {
            provider.stop(0);
        }
        if (disk != null) {
            disk.close();
        }
        if (failedDisk != null) {
            failedDisk.close();
        }
    }

    @Test
    void aFullWorkDiskPausesIntakeKeepsPaidCaptionsQuarantinesNothingAndResumesWhenSpaceReturns() throws Exception {
        disk.fill(); // work/ is full before the photos arrive
        for (int i = 0; i < PHOTOS; i++) {
            folders.write("roomy", "card_" + i + ".png", Fixtures.distinctPng(i, PHOTOS));
        }
        folders.trigger("roomy");

        await().atMost(WAIT).until(faults::paused);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails().toString()).contains("the disk is full");
        assertThat(folders.list(folders.inbox("roomy"))).contains("card_0.png", "card_1.png", "card_2.png", "card_3.png");
        assertThat(folders.failed("roomy")).doesNotExist();

        // space returns; the provider's first answer fills the disk again before its caption can be written
        fillOnNextRequest.set(true);
        disk.free();
        await().atMost(WAIT).until(() -> paid.size() > 0 && faults.paused());
        assertThat(folders.failed("roomy")).doesNotExist();

        disk.free();
        Map<String, byte[]> zip = folders.awaitZip("roomy", WAIT);

        assertThat(zip).hasSize(2 * PHOTOS);
        for (int i = 0; i < PHOTOS; i++) {
            assertThat(new String(zip.get("card_" + i + ".txt"), StandardCharsets.UTF_8)).contains("a small coloured card");
        }
        assertThat(requests.get()).as("one paid request per photo: the kept caption was written, not bought again")
                .isEqualTo(PHOTOS);
        assertThat(folders.failed("roomy")).doesNotExist();
        assertThat(paid.size()).isZero();
        await().atMost(WAIT).until(() -> !faults.paused());
    }

    @Test
    void aReadOnlyFailedFolderLeavesTheBadFileInTheInboxLoggedOnceUntilItCanTakeIt(CapturedOutput output) throws Exception {
        failedDisk.readOnly(true);
        try {
            folders.write("stuck_q", "letter.jpg", "Dear Sir, this is not a photo.");
            folders.write("stuck_q", "card.png", Fixtures.distinctPng(1, 2));
            folders.trigger("stuck_q");

            await().atMost(WAIT).until(() -> quarantine.deferredCount() > 0);
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails().toString()).contains("cannot be moved to failed/");
            assertThat(folders.inbox("stuck_q").resolve("letter.jpg")).exists(); // nothing lost
        } finally {
            failedDisk.readOnly(false);
        }

        await().atMost(WAIT).until(() -> java.nio.file.Files.exists(folders.failed("stuck_q").resolve("letter.jpg.error.txt")));
        Map<String, byte[]> zip = folders.awaitZip("stuck_q", WAIT);
        assertThat(zip.keySet()).containsExactly("card.png", "card.txt");
        assertThat(output.getAll().lines().filter(l -> l.contains("Cannot set stuck_q/letter.jpg aside"))).hasSize(1);
    }
}
