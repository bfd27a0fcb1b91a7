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
 * {@code captiond.caption.existing=overwrite}: the model's caption is used; a {@code <stem>.txt} the
 * user dropped is only kept in .originals (by default it would be the caption: DropFolderFlowTest).
 */
@CamelSpringBootTest
// a configuration of its own: its daemon stops after the class instead of polling on until the JVM ends
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class)
class OverwriteCaptionsFlowTest {

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
        registry.add("captiond.caption.existing", () -> "overwrite");
    }

    @Test
    void theModelsCaptionIsUsedAndTheUsersFileIsKeptAside() throws Exception {
        folders.write("otto_plant", "flower.txt", "an old caption written for another trainer");
        folders.drop("otto_plant", "flower.webp");
        folders.trigger("otto_plant");

        Map<String, byte[]> zip = folders.awaitZip("otto_plant", WAIT);

        assertThat(caption(zip, "flower.txt")).startsWith("photo of otto_plant, a landscape-orientation")
                .doesNotContain("old caption");
        assertThat(folders.work("otto_plant").resolve(".originals/flower.txt")).exists();
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest("otto_plant").toFile());
        assertThat(manifest.path("images").get(0).path("captioner").asText()).isEqualTo("basic");
    }
}
