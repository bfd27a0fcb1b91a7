package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.captiond.support.DropFolders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A network share that disappears while the daemon runs: reported, never recreated, resumed. */
@CamelSpringBootTest
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
@SpringBootTest(classes = CaptiondApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnmountedInboxTest {

    @TempDir
    static Path root;
    static DropFolders folders;

    @DynamicPropertySource
    static void folders(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.register(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void aVanishedInboxIsReportedDownIsNotRecreatedAndWorkResumesWhenItReturns() throws Exception {
        Path unmounted = root.resolve("inbox-while-unmounted");
        Files.move(folders.inbox(), unmounted);

        await().atMost(Duration.ofSeconds(10)).until(() -> health().contains("\"inbox\":{\"status\":\"DOWN\""));
        assertThat(health()).contains("is the share mounted?");
        Thread.sleep(1000); // several polls while it is gone
        assertThat(folders.inbox()).doesNotExist();

        Files.move(unmounted, folders.inbox());
        folders.drop("nils_boat", "flower.webp");
        folders.trigger("nils_boat");
        assertThat(folders.awaitZip("nils_boat", Duration.ofSeconds(60))).containsKeys("flower.webp", "flower.txt");
        assertThat(health()).contains("\"inbox\":{\"status\":\"UP\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/actuator/prometheus").contains("captiond_datasets_packaged_total"));
        assertThat(get("/actuator/prometheus"))
                .contains("captiond_images_normalised_total").contains("captiond_images_captioned_total");
    }

    private String health() throws Exception {
        return get("/actuator/health");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
