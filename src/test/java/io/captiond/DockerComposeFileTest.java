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
        compose.path("services").path("captiond").path("environment").fieldNames().forEachRemaining(name -> {
            if (name.startsWith("CAPTIOND_")) {
                assertThat(envNames).as(name + " binds to no captiond property").contains(name);
            }
        });
    }

    @Test
    void theContainerWritesTheFoldersAsTheNasUserAndTakesTheTimeZoneFromEnv() throws Exception {
        JsonNode env = compose.path("services").path("captiond").path("environment");
        assertThat(env.path("PUID").asText()).isEqualTo("${PUID:-1000}");
        assertThat(env.path("PGID").asText()).isEqualTo("${PGID:-1000}");
        assertThat(env.path("TZ").asText()).isEqualTo("${TZ:-UTC}");
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("tzdata").containsPattern("(?m)^ENTRYPOINT \\[\"/usr/local/bin/captiond-entrypoint\"\\]$")
                .contains("COPY docker/entrypoint.sh /usr/local/bin/captiond-entrypoint");
        // the entrypoint drops root for PUID:PGID before java starts, and hands over only root-owned folders
        String entrypoint = Files.readString(Path.of("docker/entrypoint.sh"));
        assertThat(entrypoint).startsWith("#!/bin/sh").contains("setpriv --reuid=\"$PUID\" --regid=\"$PGID\"")
                .contains("$CAPTIOND_INBOX", "$CAPTIOND_WORK", "$CAPTIOND_OUTBOX", "$CAPTIOND_FAILED")
                .doesNotContain("chown -R");
        assertThat(Files.isExecutable(Path.of("docker/entrypoint.sh"))).isTrue();
    }

    @Test
    void theBuildContextLeavesOutThePhotoFoldersBuildOutputAndHistory() throws Exception {
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignored).contains("inbox/", "work/", "outbox/", "failed/", "target/", ".git/", ".env");
    }

    @Test
    void theLocalModelServiceIsOptionalBehindAProfile() {
        JsonNode ollama = compose.path("services").path("ollama");
        assertThat(ollama.path("image").asText()).startsWith("ollama/ollama");
        assertThat(ollama.path("profiles").get(0).asText()).isEqualTo("ollama");
        assertThat(compose.path("services").path("captiond").has("profiles")).isFalse();
    }

    @Test
    void theImageBuildsItselfAMavenStageMakesTheJarAndTheRuntimeHasJavaAndTheOutsidePrograms() throws Exception {
        List<String> stages = Files.readAllLines(Path.of("Dockerfile")).stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(stages).hasSize(2);
        assertThat(stages.get(0)).matches("FROM maven:3\\.9-eclipse-temurin-17 AS build");
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        String build = dockerfile.substring(dockerfile.indexOf(stages.get(0)), dockerfile.indexOf(stages.get(1)));
        assertThat(build).contains("COPY pom.xml", "COPY src/ src/", "COPY routes/ routes/", "mvn -B -q package -DskipTests");
        String runtime = dockerfile.substring(dockerfile.indexOf(stages.get(1)));
        assertThat(runtime).contains("openjdk-17-jre-headless", "libheif-examples", "libjpeg-turbo-progs", "ffmpeg")
                .contains("COPY --from=build /src/target/captiond.jar /app/captiond.jar").contains("COPY routes/")
                .doesNotContain("COPY target/");
        // nothing has to be built on the NAS first: every file the build copies is in a fresh clone
        for (String source : List.of("pom.xml", "src", "routes", "docker/entrypoint.sh")) {
            assertThat(Path.of(source)).exists();
        }
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
