package io.captiond;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.captiond.support.CaptiondJar;
import io.captiond.support.DropFolders;
import io.captiond.support.Json;
import io.captiond.support.PackagedRounds;
import io.captiond.support.ReplicateFake;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys exported as users export them (GEMINI_API_KEY, OPENAI_API_KEY, REPLICATE_API_TOKEN) into the
 * real jar running as a daemon: one dataset is captioned by Gemini and trained on Replicate, another
 * is refused by Gemini (403, quoting the key back). Afterwards no key appears in the log, in any file captiond wrote
 * (manifests, zips, reason files, state files), or in anything /actuator answers.
 */
class SecretsJarIT {

    private static final String GEMINI_KEY = "AIzaSecretsIT-gemini-key";
    private static final String OPENAI_KEY = "sk-secretsIT-openai-key";
    private static final Map<String, String> ENV = Map.of("GEMINI_API_KEY", GEMINI_KEY, "OPENAI_API_KEY", OPENAI_KEY,
            "REPLICATE_API_TOKEN", ReplicateFake.TOKEN);
    private static final String GEMINI_PATH = "/v1beta/models/gemini-2.5-flash:generateContent";

    @TempDir
    Path root;

    @Test
    void noKeyReachesLogsFilesZipsOrActuator() throws Exception {
        WireMockServer gemini = new WireMockServer(wireMockConfig().dynamicPort());
        gemini.start();
        try (ReplicateFake replicate = new ReplicateFake().happyPath("me/secret-lora")) {
            gemini.stubFor(post(urlEqualTo(GEMINI_PATH)).withRequestBody(containing("secret_denied")).willReturn(json(403, """
                    {"error":{"code":403,"message":"Permission denied: Consumer 'api_key:%s' has been suspended.",
                     "status":"PERMISSION_DENIED"}}""".formatted(GEMINI_KEY))));
            gemini.stubFor(post(urlEqualTo(GEMINI_PATH)).withRequestBody(containing("secret_ok")).willReturn(json(200, """
                    {"candidates":[{"content":{"role":"model","parts":[{"text":"A flower by a window."}]},
                     "finishReason":"STOP","index":0}]}""")));
            DropFolders folders = new DropFolders(root);
            folders.drop("secret_ok", "flower.webp");
            folders.drop("secret_ok", "Landscape_6.jpg");
            folders.write("secret_ok", "trigger.done", "upload");
            int port = freePort();
            List<String> args = new ArrayList<>(CaptiondJar.folderArgs(root));
            args.addAll(List.of("--server.port=" + port, "--captiond.gemini.base-url=" + gemini.baseUrl() + "/v1beta",
                    "--captiond.replicate.base-url=" + replicate.baseUrl(), "--captiond.upload.destination=me/secret-lora",
                    "--captiond.upload.poll-interval=50ms", "--captiond.upload.poll-max-interval=200ms",
                    "--captiond.watch.quiet-period=300ms", "--captiond.watch.poll-interval=100ms",
                    "--management.endpoints.web.exposure.include=*"));
            Path log = root.resolve("daemon.log");
            Process daemon = CaptiondJar.start(root, log, args, ENV);
            Map<String, String> actuator = new LinkedHashMap<>();
            try {
                // generous: the jar starts, captions, packages and trains; on a busy shared machine that takes minutes
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200)).until(() ->
                        Files.exists(folders.manifest("secret_ok")) && "succeeded".equals(Json.MAPPER
                                .readTree(folders.manifest("secret_ok").toFile()).path("upload").path("status").asText()));
                // then a dataset whose caption Gemini denies, quoting the key back: a key problem pauses
                // the provider (nothing quarantined) and says so in the dataset's CAPTIOND-ERROR.txt
                folders.drop("secret_denied", "transparent.png");
                folders.trigger("secret_denied");
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                        Files.exists(folders.inbox("secret_denied").resolve("CAPTIOND-ERROR.txt")));
                HttpClient http = HttpClient.newHttpClient();
                // even with every endpoint exposed (a careless operator), keys stay masked
                for (String path : List.of("", "/health", "/prometheus", "/info", "/env", "/configprops", "/beans",
                        "/metrics", "/loggers", "/mappings", "/camelroutes", "/env/GEMINI_API_KEY",
                        "/env/captiond.gemini.api-key", "/env/REPLICATE_API_TOKEN")) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator" + path)).build(), HttpResponse.BodyHandlers.ofString());
                    actuator.put(path + " (" + response.statusCode() + ")", response.body());
                }
            } finally {
                daemon.destroy(); // SIGTERM: a graceful stop writes its last log lines too
                if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                }
            }
            String output = Files.readString(log);
            assertThat(output).as("the daemon ran Gemini").contains("gemini");
            assertThat(Files.readString(folders.inbox("secret_denied").resolve("CAPTIOND-ERROR.txt")))
                    .contains("403").contains("(redacted)");
            // health is DOWN (503) while Gemini refuses the key, and says why, without the key
            assertThat(actuator).as("actuator answered").containsKeys("/health (503)", "/prometheus (200)", "/env (200)");
            assertThat(actuator.get("/health (503)")).contains("configurationProblem").contains("PERMISSION_DENIED");
            for (String secret : List.of(GEMINI_KEY, OPENAI_KEY, ReplicateFake.TOKEN)) {
                assertThat(output).as("log").doesNotContain(secret);
                assertThat(PackagedRounds.filesContaining(root, secret)).as("files holding " + secret).isEmpty();
                for (Path zip : List.of(folders.zip("secret_ok"), folders.zip("secret_denied"))) {
                    if (Files.exists(zip)) {
                        DropFolders.zipContents(zip).forEach((name, bytes) ->
                                assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).as(zip + "!" + name).doesNotContain(secret));
                    }
                }
                actuator.forEach((path, body) -> assertThat(body).as("/actuator" + path).doesNotContain(secret));
            }
        } finally {
            gemini.stop();
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
