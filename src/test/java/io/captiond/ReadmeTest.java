package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the README true: every setting documented, and CI running the README's test command. */
class ReadmeTest {

    private final String readme = read("README.md");

    @Test
    void everyCaptiondPropertyIsInTheConfigurationTable() throws Exception {
        JsonNode metadata = new ObjectMapper().readTree(getClass().getResource("/META-INF/spring-configuration-metadata.json"));
        metadata.path("properties").forEach(p -> {
            String name = p.path("name").asText();
            assertThat(readme).as("README documents " + name).contains("| `" + name + "` |");
        });
    }

    @Test
    void ciRunsExactlyTheReadmesTestCommand() {
        Matcher tests = Pattern.compile("Run the tests:\\s*```sh\\s*\\n(.+?)\\n```", Pattern.DOTALL).matcher(readme);
        assertThat(tests.find()).as("README has a 'Run the tests' command").isTrue();
        String command = tests.group(1).strip();
        List<String> ciLines = read(".ci/run").lines().map(String::strip).toList();
        assertThat(ciLines).contains(command);
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
