package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import io.captiond.support.Json;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every packaged dataset gets its insight report (the manifest's {@code report} and
 * outbox/&lt;trigger&gt;_report.html); the export formats a dataset chooses in dataset.yaml are
 * written too, and read back here with independent readers (a JSON parser per line, a tar reader).
 */
@CamelSpringBootTest
// closed after the class: its folders are a @TempDir that is gone once the class is done
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class)
class ReportAndExportsFlowTest {

    @TempDir
    static Path root;
    static DropFolders folders;

    @DynamicPropertySource
    static void folders(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.register(registry);
        registry.add("captiond.package.webdataset-shard-size", () -> "2");
    }

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aDatasetAskingForEveryFormatGetsThemAllBesideItsReport() throws Exception {
        folders.write("ivy_garden", "dataset.yaml", "trigger: ivy_garden\nformats: [metadata.jsonl, captions.json, webdataset, caption-ext]\n");
        folders.drop("ivy_garden", "flower.webp");
        folders.drop("ivy_garden", "Landscape_6.jpg");
        folders.drop("ivy_garden", "Portrait_5.jpg");
        // a smaller re-encoded copy of the flower: the report must pair it with the original
        BufferedImage flower = ImageIO.read(Fixtures.image("flower.webp").toFile());
        folders.write("ivy_garden", "flower_small.jpg", io.captiond.support.Pixels.encodeJpeg(
                io.captiond.support.Pixels.fitWithin(flower, 336), 0.8f));
        folders.trigger("ivy_garden");

        Map<String, byte[]> zip = folders.awaitZip("ivy_garden", WAIT);
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest("ivy_garden").toFile());
        List<String> members = new ArrayList<>();
        manifest.get("images").forEach(i -> members.add(i.get("output").asText()));
        assertThat(members).hasSize(4);

        // the report, as the manifest contract says
        JsonNode report = manifest.get("report");
        assertThat(report.get("nearDuplicates")).anySatisfy(pair -> assertThat(List.of(pair.get(0).asText(), pair.get(1).asText()))
                .containsExactlyInAnyOrder("flower.webp", "flower_small.jpg"));
        assertThat(report.get("blurry").isArray()).isTrue();
        assertThat(texts(report.get("lowResolution"))).contains("flower.webp", "flower_small.jpg")
                .doesNotContain("Landscape_6.jpg", "Portrait_5.jpg");
        JsonNode top = report.at("/captions/topWords/0");
        assertThat(top.get("word").asText()).isNotBlank();
        assertThat(top.get("count").asInt()).isPositive();
        List<String> clustered = new ArrayList<>();
        report.get("clusters").forEach(c -> {
            clustered.addAll(texts(c.get("members")));
            assertThat(c.get("topWords").isArray()).isTrue();
        });
        assertThat(clustered).containsExactlyInAnyOrderElementsOf(members);
        Path page = root.resolve("outbox/ivy_garden_report.html");
        Document html = Jsoup.parse(page.toFile(), "UTF-8");
        assertThat(html.select("section > h2").eachText()).containsExactly("Verdicts", "Images", "Captions", "Clusters");
        assertThat(html.select("#near-duplicates ~ .pair figcaption").eachText()).contains("flower.webp", "flower_small.jpg");

        // metadata.jsonl in the zip: one JSON object per line, pairing each image with its caption
        List<String> lines = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(zip.get("metadata.jsonl")),
                StandardCharsets.UTF_8)).lines().toList();
        assertThat(lines).hasSize(4);
        for (String line : lines) {
            JsonNode row = Json.MAPPER.readTree(line);
            String file = row.get("file_name").asText();
            assertThat(zip).containsKey(file);
            assertThat(row.get("text").asText() + "\n").isEqualTo(new String(zip.get(stem(file) + ".txt"), StandardCharsets.UTF_8));
        }
        // kohya's .caption beside every .txt, same text
        for (String member : members) {
            assertThat(zip.get(stem(member) + ".caption")).isEqualTo(zip.get(stem(member) + ".txt"));
        }

        // captions.json and captions.txt beside the zip
        JsonNode captions = Json.MAPPER.readTree(root.resolve("outbox/ivy_garden_captions.json").toFile());
        assertThat(captions.get("trigger").asText()).isEqualTo("ivy_garden");
        for (String member : members) {
            assertThat(captions.at("/captions").get(member).asText() + "\n")
                    .isEqualTo(new String(zip.get(stem(member) + ".txt"), StandardCharsets.UTF_8));
        }
        assertThat(Files.readString(root.resolve("outbox/ivy_garden_captions.txt"))).contains(members);

        // WebDataset: two shards of two samples, <key>.<ext> then <key>.txt, bytes as in the zip
        Path shards = root.resolve("outbox/ivy_garden_webdataset");
        assertThat(folders.list(shards)).containsExactly("ivy_garden-000000.tar", "ivy_garden-000001.tar");
        Map<String, byte[]> samples = new LinkedHashMap<>();
        for (String shard : folders.list(shards)) {
            try (InputStream in = Files.newInputStream(shards.resolve(shard)); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    samples.put(e.getName(), tar.readAllBytes());
                }
            }
        }
        assertThat(samples.keySet()).containsExactly("Landscape_6.jpg", "Landscape_6.txt", "Portrait_5.jpg", "Portrait_5.txt",
                "flower.webp", "flower.txt", "flower_small.jpg", "flower_small.txt");
        samples.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(zip.get(name)));
        assertThat(texts(manifest.get("exports"))).contains("ivy_garden_report.html", "ivy_garden_captions.json",
                "ivy_garden_captions.txt", "ivy_garden_webdataset/ivy_garden-000000.tar");
        // nothing half-written is left in the outbox
        assertThat(folders.list(root.resolve("outbox"))).noneMatch(n -> n.startsWith("."));
    }

    @Test
    void withoutFormatsTheZipIsAsBeforeAndTheReportStillComes() throws Exception {
        folders.drop("plain_set", "Portrait_5.jpg");
        folders.trigger("plain_set");

        Map<String, byte[]> zip = folders.awaitZip("plain_set", WAIT);

        assertThat(zip.keySet()).containsExactly("Portrait_5.jpg", "Portrait_5.txt");
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest("plain_set").toFile());
        assertThat(texts(manifest.get("exports"))).containsExactly("plain_set_report.html");
        assertThat(manifest.at("/report/nearDuplicates").isEmpty()).isTrue();
        assertThat(manifest.at("/report/clusters/0/members/0").asText()).isEqualTo("Portrait_5.jpg");
        assertThat(root.resolve("outbox/plain_set_report.html")).exists();
        assertThat(root.resolve("outbox/plain_set_captions.json")).doesNotExist();
    }

    private static String stem(String file) {
        return file.substring(0, file.lastIndexOf('.'));
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }
}
