package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.support.DropFolders;
import io.captiond.support.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code captiond.caption.existing=append}: the model still captions, and the words of a
 * {@code <stem>.txt} the user dropped follow its caption, also when the file arrives late.
 */
@CamelSpringBootTest
// a configuration of its own: its daemon stops after the class instead of polling on until the JVM ends
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class)
class AppendCaptionsFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String caption(Map<String, byte[]> zip, String name) {
        return new String(zip.get(name), StandardCharsets.UTF_8).strip();
    }

    @TempDir
    static Path root;
    static DropFolders folders;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.register(registry);
        registry.add("captiond.caption.existing", () -> "append");
    }

    @Test
    void theModelCaptionsAndTheUsersWordsFollowAlsoWhenTheyArriveLate() throws Exception {
        folders.write("mara_garden", "flower.txt", "\"grandmother's garden\"\n");
        folders.drop("mara_garden", "flower.webp");
        folders.drop("mara_garden", "transparent.png");
        folders.awaitCaptions("mara_garden", 2, WAIT);
        folders.write("mara_garden", "transparent.txt", "a cut-out sticker"); // after its caption was made
        folders.trigger("mara_garden");

        Map<String, byte[]> zip = folders.awaitZip("mara_garden", WAIT);

        assertThat(caption(zip, "flower.txt")).startsWith("photo of mara_garden, a landscape-orientation")
                .endsWith(", grandmother's garden").containsOnlyOnce("grandmother's garden");
        assertThat(caption(zip, "transparent.txt")).startsWith("photo of mara_garden, a landscape-orientation")
                .endsWith(", a cut-out sticker");
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest("mara_garden").toFile());
        assertThat(manifest.path("images").findValuesAsText("captioner")).containsOnly("basic+user");
    }
}
