package io.captiond.caption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.captiond.support.DropFolders;
import io.captiond.support.InProcessDaemon;
import io.captiond.support.Stopping;
import io.captiond.support.StormyVisionServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stopping is quick and spends nothing: with captions queued behind a slow paid provider, the stop
 * (what SIGTERM runs: the context's close) lets the request in flight finish within the grace,
 * starts no new request, and leaves the other images uncaptioned in work/, where the next start
 * captions them. Judged by the server's own log of arrivals and Camel's shutdown record, not by a clock.
 */
class ShutdownFlowTest {

    static final List<String> PHOTOS = List.of("flower.webp", "Landscape_6.jpg", "Portrait_5.jpg", "transparent.png",
            "samsung_gt-i9000_orientation6.jpg");

    @TempDir
    java.nio.file.Path root;

    @Test
    void aStopWithCaptionsQueuedSendsNoNewRequestAndLeavesTheRestForTheNextStart() throws Exception {
        DropFolders folders = new DropFolders(root);
        try (StormyVisionServer server = StormyVisionServer.calm(1000)) {
            Map<String, String> settings = Map.of("captiond.provider", "openai", "captiond.openai.base-url", server.baseUrl(),
                    "captiond.openai.model", "storm-vl", "captiond.rate.concurrency", "1");
            PHOTOS.forEach(photo -> folders.drop("stop_demo", photo));
            ConfigurableApplicationContext daemon = InProcessDaemon.start(folders, settings);
            Stopping stopping = daemon.getBean(Stopping.class);
            CamelContext camel = daemon.getBean(CamelContext.class);
            // every photo normalised (and queued for its caption), the first request on its way
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> !server.arrivals().isEmpty()
                    && folders.list(folders.work("stop_demo")).stream().filter(n -> !n.startsWith(".") && !n.endsWith(".txt"))
                            .count() == PHOTOS.size());

            daemon.close(); // SIGTERM

            long stopBegan = stopping.since();
            assertThat(stopBegan).isNotZero();
            assertThat(server.arrivals()).as("requests arriving after the stop began").allMatch(t -> t - stopBegan < 0);
            assertThat(server.arrivals()).hasSizeLessThan(PHOTOS.size());
            assertThat(camel.getShutdownStrategy().hasTimeoutOccurred()).as("the stop needed more than its grace").isFalse();
            assertThat(folders.list(folders.failed("stop_demo"))).isEmpty();
            long captioned = folders.list(folders.work("stop_demo")).stream().filter(n -> n.endsWith(".txt")).count();
            assertThat(captioned).as("the request in flight finished").isEqualTo(server.arrivals().size());

            // the next start captions what was left
            try (ConfigurableApplicationContext again = InProcessDaemon.start(folders, settings)) {
                folders.awaitCaptions("stop_demo", PHOTOS.size(), Duration.ofSeconds(60));
            }
            assertThat(server.calls()).hasSize(PHOTOS.size()); // each photo paid for once
        }
    }
}
