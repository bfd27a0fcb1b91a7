package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every route in routes/ says what happens when it fails: none falls back to Camel's default handler. */
class RouteErrorConfigurationTest {

    @Test
    void everyRouteNamesAnErrorConfigurationThatExists() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Set<String> configurations = new HashSet<>();
        Map<String, String> routes = new HashMap<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                for (JsonNode item : yaml.readTree(file.toFile())) {
                    if (item.has("routeConfiguration")) {
                        configurations.add(item.path("routeConfiguration").path("id").asText());
                    }
                    if (item.has("route")) {
                        JsonNode route = item.path("route");
                        routes.put(route.path("id").asText(), route.path("routeConfigurationId").asText(""));
                    }
                }
            }
        }

        assertThat(routes).containsKeys("watch-inbox", "normalise", "caption", "recover", "package", "upload",
                "upload-resume", "training-poll");
        routes.forEach((route, configuration) ->
                assertThat(configurations).as("the error configuration of route '" + route + "'").contains(configuration));
    }
}
