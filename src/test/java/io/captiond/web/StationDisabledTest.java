package io.captiond.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.captiond.CaptiondApplication;
import io.captiond.support.DropFolders;
import io.captiond.support.StationClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code captiond.ui.enabled=false}: no review station at all (its pages and API answer 404, no
 * password is made or kept), while the pipeline and the actuator work as before the station existed.
 */
@CamelSpringBootTest
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StationDisabledTest {

    @TempDir
    static Path root;
    static DropFolders folders;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.register(registry);
        registry.add("captiond.ui.enabled", () -> "false");
    }

    @LocalServerPort
    int port;

    @Test
    void noStationNoPasswordAndThePipelineAndHealthAsBefore() throws Exception {
        StationClient anonymous = StationClient.anonymous(port);
        for (String path : List.of("/", "/login", "/api/datasets", "/datasets/any", "/quarantine")) {
            assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(StationClient.basic(port, "captiond", "anything").get("/api/datasets").statusCode()).isEqualTo(404);
        // open as before the station (UP once the routes and checks have settled)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            var health = anonymous.get("/actuator/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        });

        folders.drop("no_station", "flower.webp");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(folders.work("no_station").resolve("flower.txt")));
        try (var files = Files.walk(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("ui-password");
        }
    }
}
