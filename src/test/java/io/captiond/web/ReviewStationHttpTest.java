package io.captiond.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.captiond.CaptiondApplication;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import io.captiond.support.StationClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The review station over real HTTP on the real routes: the JSON API contract scripts rely on, and
 * what it refuses (no login, no CSRF token, names that leave the folders, oversized uploads), with
 * keys configured that must never appear in an answer.
 */
@CamelSpringBootTest
// closed after the class: its folders are a @TempDir that is gone once the class is done
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReviewStationHttpTest {

    static final String PASSWORD = "station-test-password";
    // made up per run: no key-shaped string is kept in the repository
    static final String GEMINI_KEY = "test-gemini-key-" + java.util.UUID.randomUUID();
    static final String REPLICATE_TOKEN = "test-replicate-token-" + java.util.UUID.randomUUID();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;
    static DropFolders folders;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.register(registry);
        registry.add("captiond.ui.password", () -> PASSWORD);
        registry.add("captiond.ui.max-file-size", () -> "200KB");
        registry.add("captiond.ui.max-files", () -> "5");
        // configured but not used (provider=basic): they must still never be rendered
        registry.add("captiond.gemini.api-key", () -> GEMINI_KEY);
        registry.add("captiond.replicate.api-token", () -> REPLICATE_TOKEN);
    }

    @LocalServerPort
    int port;

    @Test
    void theApiContractUploadListEditAndPackage() throws Exception {
        StationClient script = StationClient.basic(port, "captiond", PASSWORD);
        Map<String, byte[]> photos = new LinkedHashMap<>();
        photos.put("flower.webp", Files.readAllBytes(Fixtures.image("flower.webp")));
        photos.put("My Photo (1).png", Files.readAllBytes(Fixtures.image("transparent.png")));
        HttpResponse<String> uploaded = script.upload("/api/datasets/zeke_garden/files", photos);
        assertThat(uploaded.statusCode()).isEqualTo(200);
        assertThat(json(uploaded)).extracting(JsonNode::asText).containsExactly("flower.webp", "My_Photo_1.png");

        await().atMost(Duration.ofSeconds(60)).until(() -> state(script, "zeke_garden").path("counts").path("captioned").asInt() == 2);
        JsonNode dataset = state(script, "zeke_garden");
        assertThat(dataset.path("trigger").asText()).isEqualTo("zeke_garden");
        assertThat(dataset.path("state").asText()).isEqualTo("captioned");
        assertThat(dataset.path("counts").path("inbox").asInt()).isZero();
        assertThat(dataset.path("counts").path("members").asInt()).isEqualTo(2);
        assertThat(dataset.path("counts").path("quarantined").asInt()).isZero();
        assertThat(dataset.path("etaSeconds").asLong()).isZero();

        JsonNode members = json(script.get("/api/datasets/zeke_garden/members"));
        assertThat(members).hasSize(2);
        JsonNode flower = member(members, "flower.webp");
        assertThat(flower.path("file").asText()).isEqualTo("flower.webp");
        assertThat(flower.path("caption").asText()).contains("zeke_garden");
        assertThat(flower.path("captionBy").asText()).isEqualTo("basic");
        assertThat(flower.path("width").asInt()).isPositive();
        assertThat(flower.path("height").asInt()).isPositive();

        HttpResponse<String> saved = script.put("/api/datasets/zeke_garden/members/flower.webp/caption", "text/plain",
                "a pink flower in soft light");
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(saved.body()).isEqualTo("zeke_garden, a pink flower in soft light");
        assertThat(Files.readString(folders.work("zeke_garden").resolve("flower.txt")).strip()).isEqualTo(saved.body());
        assertThat(member(json(script.get("/api/datasets/zeke_garden/members")), "flower.webp").path("captionBy").asText())
                .isEqualTo("user");
        assertThat(script.put("/api/datasets/zeke_garden/members/nothere.jpg/caption", "text/plain", "x").statusCode())
                .isEqualTo(404);

        HttpResponse<String> undone = script.post("/api/datasets/zeke_garden/members/flower.webp/caption/undo", null, "");
        assertThat(undone.body()).isEqualTo(flower.path("caption").asText());
        script.put("/api/datasets/zeke_garden/members/flower.webp/caption", "text/plain", "a pink flower in soft light");

        assertThat(script.post("/api/datasets/zeke_garden/package", null, "").statusCode()).isEqualTo(202);
        Map<String, byte[]> zip = folders.awaitZip("zeke_garden", Duration.ofSeconds(60));
        assertThat(new String(zip.get("flower.txt"), StandardCharsets.UTF_8).strip())
                .isEqualTo("zeke_garden, a pink flower in soft light");
        await().atMost(Duration.ofSeconds(10)).until(() -> state(script, "zeke_garden").path("state").asText().equals("done"));

        // the insight report beside the zip, for a logged-in person: inline, under a sandboxed policy of its own
        StationClient person = StationClient.browser(port, PASSWORD);
        HttpResponse<String> report = person.get("/datasets/zeke_garden/report");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("<title>zeke_garden — dataset report</title>");
        assertThat(report.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).startsWith("inline"));
        assertThat(report.headers().allValues("Content-Security-Policy")).singleElement()
                .satisfies(p -> assertThat(p).contains("sandbox allow-scripts").contains("script-src 'sha256-"));
        assertThat(person.get("/datasets/zeke_garden").headers().allValues("Content-Security-Policy")).singleElement()
                .satisfies(p -> assertThat(p).contains("script-src 'self'").doesNotContain("sandbox"));
        assertThat(StationClient.anonymous(port).get("/datasets/zeke_garden/report").statusCode()).isEqualTo(302);
    }

    @Test
    void savingSettingsKeepsWhatThePageDoesNotEdit() throws Exception {
        StationClient script = StationClient.basic(port, "captiond", PASSWORD);
        folders.write("kept_set", "dataset.yaml",
                "video-template: \"clip of {trigger}, {caption}\"\nlive-photos: video\nformats: [metadata.jsonl]\n");
        folders.drop("kept_set", "flower.webp");
        await().atMost(Duration.ofSeconds(60)).until(() -> script.get("/api/datasets/kept_set/settings").statusCode() == 200);

        HttpResponse<String> saved = script.put("/api/datasets/kept_set/settings", "application/json", "{\"style\":\"style\"}");

        assertThat(saved.statusCode()).isEqualTo(200);
        String yaml = Files.readString(folders.inbox("kept_set").resolve("dataset.yaml"));
        assertThat(yaml).contains("style").contains("video-template").contains("clip of {trigger}, {caption}")
                .contains("live-photos").contains("metadata.jsonl");
    }

    @Test
    void nothingWithoutLoginAndNoFormPostWithoutItsCsrfToken() {
        StationClient anonymous = StationClient.anonymous(port);
        HttpResponse<String> page = anonymous.get("/");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        assertThat(anonymous.get("/api/datasets").statusCode()).isEqualTo(401);
        assertThat(StationClient.basic(port, "captiond", "wrong").get("/api/datasets").statusCode()).isEqualTo(401);
        HttpResponse<String> script = StationClient.basic(port, "captiond", PASSWORD).get("/api/datasets");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().allValues("Set-Cookie")).as("Basic on /api is stateless").isEmpty();
        assertThat(StationClient.basic(port, "admin", PASSWORD).get("/api/datasets").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(200); // as before the station

        folders.drop("csrf_check", "flower.webp");
        StationClient browser = StationClient.browser(port, PASSWORD);
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.get("/datasets/csrf_check").statusCode() == 200);
        assertThat(browser.form("/datasets/csrf_check/package", Map.of("note", "")).statusCode()).isEqualTo(403);
        assertThat(browser.post("/api/datasets/csrf_check/package", null, "").statusCode()).isEqualTo(403);
        assertThat(folders.inbox("csrf_check").resolve("trigger.done")).doesNotExist();

        String token = browser.csrfOf("/datasets/csrf_check");
        assertThat(browser.post("/api/datasets/csrf_check/package", null, "", "X-CSRF-TOKEN", token).statusCode()).isEqualTo(202);
        assertThat(folders.inbox("csrf_check").resolve("trigger.done")).exists();
        HttpResponse<String> cookie = StationClient.anonymous(port).get("/login");
        assertThat(cookie.headers().allValues("Set-Cookie")).allSatisfy(c -> assertThat(c).contains("HttpOnly").contains("SameSite=Strict"));
    }

    @Test
    void namesThatLeaveTheFoldersAreRefused() throws Exception {
        Path outside = Files.createDirectories(root.resolve("elsewhere"));
        Files.write(outside.resolve("secret.txt"), "TOP-SECRET-CONTENT".getBytes(StandardCharsets.UTF_8));
        Files.copy(Fixtures.image("flower.webp"), outside.resolve("flower.webp"));
        Files.createSymbolicLink(folders.inbox("linked"), outside);
        folders.drop("real_set", "flower.webp");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(folders.work("real_set").resolve("flower.txt")));

        StationClient script = StationClient.basic(port, "captiond", PASSWORD);
        List<String> attempts = List.of(
                "/api/datasets/..%2Felsewhere/members",
                "/api/datasets/%2e%2e%2felsewhere/members",
                "/api/datasets/%2e%2e/members",
                "/api/datasets/..;/members",
                "/api/datasets/%2Fetc/members",
                "/api/datasets/" + enc(root.resolve("elsewhere").toString()) + "/members",
                "/api/datasets/linked/members",
                "/api/datasets/real_set/members/..%2F..%2F..%2Felsewhere%2Fsecret.txt/thumbnail",
                "/api/datasets/real_set/members/%2e%2e%2f%2e%2e%2fsecret.txt/history",
                "/api/datasets/real_set/members/.originals/thumbnail",
                "/datasets/linked",
                "/datasets/..%2f..%2felsewhere",
                "/datasets/linked/download/zip");
        StationClient browser = StationClient.browser(port, PASSWORD);
        for (String attempt : attempts) {
            HttpResponse<String> answer = (attempt.startsWith("/api/") ? script : browser).get(attempt);
            assertThat(answer.statusCode()).as(attempt).isIn(400, 404);
            assertThat(answer.body()).as(attempt).doesNotContain("TOP-SECRET-CONTENT");
        }
        assertThat(script.put("/api/datasets/real_set/members/..%2Fflower.webp/caption", "text/plain", "x").statusCode())
                .isIn(400, 404);
        assertThat(script.upload("/api/datasets/linked/files", Map.of("a.webp", Files.readAllBytes(Fixtures.image("flower.webp"))))
                .statusCode()).isEqualTo(400);
        assertThat(script.upload("/api/datasets/..%2Felsewhere/files", Map.of("a.webp", Files.readAllBytes(Fixtures.image("flower.webp"))))
                .statusCode()).isIn(400, 404);
        HttpResponse<String> sneaky = script.upload("/api/datasets/real_set/files",
                Map.of("../../elsewhere/planted.webp", Files.readAllBytes(Fixtures.image("flower.webp"))));
        assertThat(sneaky.statusCode()).isEqualTo(200);
        assertThat(json(sneaky).get(0).asText()).isEqualTo("planted.webp");
        assertThat(outside.resolve("planted.webp")).doesNotExist();
        assertThat(script.post("/api/quarantine/..%2Felsewhere/secret.txt/retry", null, "").statusCode()).isIn(400, 404);
        assertThat(script.post("/api/quarantine/real_set/..%2F..%2Felsewhere%2Fsecret.txt/retry", null, "").statusCode())
                .isIn(400, 404);
        assertThat(outside.resolve("secret.txt")).exists();
        assertThat(json(script.get("/api/datasets"))).extracting(d -> d.path("name").asText()).doesNotContain("linked");
    }

    @Test
    void uploadsAreLimitedInSizeCountAndType() throws Exception {
        StationClient script = StationClient.basic(port, "captiond", PASSWORD);
        byte[] big = new byte[300 * 1024];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        assertThat(script.upload("/api/datasets/limits_set/files", Map.of("big.jpg", big)).statusCode()).isEqualTo(413);
        assertThat(folders.list(folders.inbox("limits_set"))).isEmpty();

        HttpResponse<String> text = script.upload("/api/datasets/limits_set/files",
                Map.of("notes.jpg", "just some text".getBytes(StandardCharsets.UTF_8)));
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(text.body()).contains("not an image");

        Map<String, byte[]> six = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            six.put("p" + i + ".png", Fixtures.distinctPng(i, 6));
        }
        assertThat(script.upload("/api/datasets/limits_set/files", six).statusCode()).isEqualTo(413);
        assertThat(script.upload("/api/datasets/bad%20name!/files", Map.of("a.png", Fixtures.distinctPng(0, 1))).statusCode())
                .isEqualTo(400);
    }

    @Test
    void noKeyOrPasswordInAnyPageOrAnswer() throws Exception {
        folders.drop("secrets_set", "flower.webp");
        folders.write("secrets_set", "broken.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3});
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(folders.work("secrets_set").resolve("flower.txt"))
                && Files.exists(folders.failed("secrets_set").resolve("broken.jpg.error.txt")));
        StationClient browser = StationClient.browser(port, PASSWORD);
        for (String path : List.of("/", "/datasets/secrets_set", "/quarantine", "/api/datasets", "/api/provider",
                "/api/datasets/secrets_set", "/api/datasets/secrets_set/members", "/api/datasets/secrets_set/settings",
                "/api/quarantine", "/login", "/actuator/health")) {
            HttpResponse<String> answer = browser.get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertThat(answer.body()).as(path).doesNotContain(GEMINI_KEY).doesNotContain(REPLICATE_TOKEN)
                    .doesNotContain("REVIEWSTATIONSECRET").doesNotContain(PASSWORD);
        }
        assertThat(browser.get("/quarantine").body()).contains("broken.jpg").contains("normalise");
        assertThat(json(browser.get("/api/quarantine")).path("secrets_set").get(0).path("reason").asText()).isNotBlank();
    }

    private static JsonNode state(StationClient client, String dataset) throws Exception {
        HttpResponse<String> response = client.get("/api/datasets");
        for (JsonNode d : JSON.readTree(response.body())) {
            if (d.path("name").asText().equals(dataset)) {
                return d;
            }
        }
        return JSON.createObjectNode();
    }

    private static JsonNode member(JsonNode members, String file) {
        for (JsonNode m : members) {
            if (m.path("file").asText().equals(file)) {
                return m;
            }
        }
        throw new AssertionError("no member " + file + " in " + members);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
