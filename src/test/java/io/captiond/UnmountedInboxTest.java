package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.captiond.support.SharedDaemonTest;
import io.captiond.support.StationClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A network share that disappears while the daemon runs: reported, never recreated, resumed. */
class UnmountedInboxTest extends SharedDaemonTest {

    @Autowired
    CamelContext camel;

    @Test
    void aVanishedInboxIsReportedDownIsNotRecreatedAndWorkResumesWhenItReturns() throws Exception {
        Path unmounted = folders.root().resolveSibling(folders.root().getFileName() + "-inbox-while-unmounted");
        Files.move(folders.inbox(), unmounted);

        await().atMost(Duration.ofSeconds(10)).until(() -> health().contains("\"inbox\":{\"status\":\"DOWN\""));
        assertThat(health()).contains("is the share mounted?");
        // the review station's API says so too, with a status a script can retry on
        String password = Files.readString(folders.root().resolve("work/.captiond/ui-password")).strip();
        HttpResponse<String> datasets = StationClient.basic(port, "captiond", password).get("/api/datasets");
        assertThat(datasets.statusCode()).isEqualTo(503);
        assertThat(datasets.body()).contains("is the share mounted?");
        // both routes that poll the inbox have failed polls in a row while it is gone (a success resets the count)
        await().atMost(Duration.ofSeconds(30)).until(() -> failedPollsInARow("watch-inbox") >= 2 && failedPollsInARow("package") >= 2);
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

    private long failedPollsInARow(String routeId) {
        return ((ScheduledPollConsumer) camel.getRoute(routeId).getConsumer()).getErrorCounter();
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
