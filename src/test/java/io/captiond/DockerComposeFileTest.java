package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs where captiond is built, so the compose file and Dockerfile are checked as
 * data: the services, the four folder volumes, and environment names that captiond really binds.
 */
class DockerComposeFileTest {

    private final JsonNode compose = read();

    @Test
    void theDaemonMountsTheFourFoldersWhereItsEnvironmentPointsThem() {
        JsonNode captiond = compose.path("services").path("captiond");
        List<String> volumes = new ArrayList<>();
        captiond.path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).containsExactlyInAnyOrder("./inbox:/data/inbox", "./work:/data/work",
                "./outbox:/data/outbox", "./failed:/data/failed");
        JsonNode env = captiond.path("environment");
        for (String folder : List.of("INBOX", "WORK", "OUTBOX", "FAILED")) {
            String target = env.path("CAPTIOND_" + folder).asText();
            assertThat(volumes).anyMatch(v -> v.endsWith(":" + target));
        }
        assertThat(captiond.path("build").asText()).isEqualTo(".");
    }

    @Test
    void keysAndSettingsComeFromAnOptionalEnvFileNeverFromThisFile() throws Exception {
        JsonNode envFile = compose.path("services").path("captiond").path("env_file").get(0);
        assertThat(envFile.path("path").asText()).isEqualTo(".env");
        assertThat(envFile.path("required").asBoolean()).isFalse();
        String text = Files.readString(Path.of("docker-compose.yml"));
        assertThat(text).doesNotContainPattern("(?m)^\\s+(GEMINI_API_KEY|OPENAI_API_KEY|REPLICATE_API_TOKEN)\\s*:");
        assertThat(Files.readString(Path.of(".gitignore"))).contains(".env");
    }

    @Test
    void everyCaptiondVariableBindsToADocumentedProperty() throws Exception {
        // Spring's relaxed binding maps CAPTIOND_WATCH_QUIET_PERIOD to captiond.watch.quiet-period
        JsonNode metadata = new ObjectMapper().readTree(
                getClass().getResource("/META-INF/spring-configuration-metadata.json"));
        List<String> envNames = new ArrayList<>();
        metadata.path("properties").forEach(p -> envNames.add(p.path("name").asText().toUpperCase().replaceAll("[.-]", "_")));
        compose.path("services").path("captiond").path("environment").fieldNames().forEachRemaining(name ->
                assertThat(envNames).as(name + " binds to no captiond property").contains(name));
    }

    @Test
    void theLocalModelServiceIsOptionalBehindAProfile() {
        JsonNode ollama = compose.path("services").path("ollama");
        assertThat(ollama.path("image").asText()).startsWith("ollama/ollama");
        assertThat(ollama.path("profiles").get(0).asText()).isEqualTo("ollama");
        assertThat(compose.path("services").path("captiond").has("profiles")).isFalse();
    }

    @Test
    void theImageHasJavaAndLibheifAndRunsTheJarWithTheRoutesFolder() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("openjdk-17-jre-headless").contains("libheif-examples")
                .contains("COPY target/captiond.jar").contains("COPY routes/");
        Matcher port = Pattern.compile("EXPOSE (\\d+)").matcher(dockerfile);
        assertThat(port.find()).isTrue();
        String published = compose.path("services").path("captiond").path("ports").get(0).asText();
        assertThat(published).endsWith(":" + port.group(1));
        String appYaml = Files.readString(Path.of("src/main/resources/application.yaml"));
        assertThat(appYaml).contains("port: " + port.group(1));
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yml").toFile());
        } catch (Exception e) {
            throw new AssertionError("docker-compose.yml does not parse", e);
        }
    }
}
