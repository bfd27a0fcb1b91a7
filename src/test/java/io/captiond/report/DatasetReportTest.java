package io.captiond.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.config.CaptiondProperties;
import io.captiond.support.Fixtures;
import io.captiond.support.Json;
import io.captiond.support.Pixels;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The insight report on real photos and copies made from them the way datasets get them: a resized
 * re-encode, a slight crop, a blurred copy, a byte-for-byte copy. Distinct photos must not pair.
 */
class DatasetReportTest {

    static final CaptiondProperties.Report SETTINGS = new CaptiondProperties.Report(true, 768, 10, 0.35, 0.08, 8, 500, 160);

    @TempDir
    static Path dir;
    static Insight.Computed computed;
    static JsonNode json;
    static final Map<String, BufferedImage> images = new LinkedHashMap<>();

    @BeforeAll
    static void report() throws IOException {
        BufferedImage landscape = ImageIO.read(Fixtures.image("Landscape_6.jpg").toFile());
        BufferedImage portrait = ImageIO.read(Fixtures.image("Portrait_5.jpg").toFile());
        BufferedImage street = ImageIO.read(Fixtures.image("samsung_gt-i9000_orientation6.jpg").toFile());
        BufferedImage flower = ImageIO.read(Fixtures.image("flower.webp").toFile());
        List<Insight.Member> members = new ArrayList<>();
        members.add(member("landscape.jpg", landscape, "photo of zeke, a red car on a mountain road"));
        members.add(member("landscape_small.jpg", resized(landscape, 0.6), "photo of zeke, a red car on a mountain road at dusk"));
        members.add(member("landscape_crop.jpg", cropped(landscape, 0.04), "photo of zeke, a red car on a mountain road"));
        members.add(member("landscape_blur.jpg", blurred(landscape), "a man standing near zeke in a blonde wig"));
        members.add(member("portrait.jpg", portrait, "photo of zeke, a woman with long hair in a garden"));
        Path copy = Files.copy(dir.resolve("portrait.jpg"), dir.resolve("portrait_copy.jpg"));
        members.add(new Insight.Member("portrait_copy.jpg", copy, portrait.getWidth(), portrait.getHeight(),
                "photo of zeke, a woman in a garden with flowers"));
        members.add(member("street.jpg", street, "a street scene with a red car"));
        members.add(member("flower.jpg", flower, "photo of zeke, a red flower close-up"));
        Files.createDirectories(dir.resolve("scratch"));
        computed = Insight.compute(members, "zeke", "character", SETTINGS, dir.resolve("scratch"));
        json = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(computed.report()));
    }

    @Test
    void resizedReEncodedAndCroppedCopiesAreNearDuplicatesOfTheirPhoto() {
        List<List<String>> pairs = pairs(json.get("nearDuplicates"));
        assertThat(pairs).contains(List.of("landscape.jpg", "landscape_small.jpg"), List.of("landscape.jpg", "landscape_crop.jpg"),
                List.of("landscape_small.jpg", "landscape_crop.jpg"));
    }

    @Test
    void distinctPhotosAreNeverPaired() {
        for (List<String> pair : pairs(json.get("nearDuplicates"))) {
            assertThat(family(pair.get(0))).as("pair %s", pair).isEqualTo(family(pair.get(1)));
        }
        // the byte-for-byte copy is an exact duplicate, not a near one
        assertThat(pairs(json.get("exactDuplicates"))).containsExactly(List.of("portrait.jpg", "portrait_copy.jpg"));
        assertThat(pairs(json.get("nearDuplicates"))).doesNotContain(List.of("portrait.jpg", "portrait_copy.jpg"));
    }

    @Test
    void theBlurredCopyIsFlaggedAndItsSharpOriginalIsNot() {
        assertThat(strings(json.get("blurry"))).contains("landscape_blur.jpg").doesNotContain("landscape.jpg", "portrait.jpg");
        double blurBelow = json.at("/settings/blurBelow").asDouble();
        for (JsonNode image : json.get("images")) {
            boolean flagged = strings(json.get("blurry")).contains(image.get("file").asText());
            assertThat(image.get("sharpness").asDouble() < blurBelow).isEqualTo(flagged);
        }
    }

    @Test
    void imageNumbersAreTheImagesOwn() {
        for (JsonNode row : json.get("images")) {
            BufferedImage image = images.get(row.get("file").asText());
            int w = image.getWidth();
            int h = image.getHeight();
            assertThat(row.get("width").asInt()).isEqualTo(w);
            assertThat(row.get("height").asInt()).isEqualTo(h);
            assertThat(row.get("megapixels").asDouble()).isEqualTo(Math.round(w * (double) h / 10_000) / 100.0);
            assertThat(row.get("highlights").asDouble()).isBetween(0.0, 1.0);
        }
        // the landscape photo is stored 1200x1800 (2:3): kohya's buckets nearest 2:3 (0.6 beats 448x576's 0.78 at 512)
        JsonNode landscape = json.get("images").get(0);
        assertThat(landscape.get("width").asInt()).isEqualTo(1200);
        assertThat(landscape.at("/buckets/1024").asText()).isEqualTo("832x1216");
        assertThat(landscape.at("/buckets/512").asText()).isEqualTo("384x640");
        // shorter side under 768: the 60 % copy (720 px) and whatever else is small
        List<String> expectedLow = images.entrySet().stream()
                .filter(e -> Math.min(e.getValue().getWidth(), e.getValue().getHeight()) < 768).map(Map.Entry::getKey).toList();
        assertThat(strings(json.get("lowResolution"))).containsExactlyElementsOf(expectedLow).contains("landscape_small.jpg");
        int inBuckets = 0;
        for (JsonNode bucket : json.at("/buckets/1024")) {
            inBuckets += bucket.get("count").asInt();
        }
        assertThat(inBuckets).isEqualTo(images.size());
    }

    @Test
    void captionVocabularyIsCounted() {
        JsonNode captions = json.get("captions");
        // "red": landscape, small, crop, street, flower
        assertThat(captions.get("topWords").get(0).get("word").asText()).isEqualTo("red");
        assertThat(captions.get("topWords").get(0).get("count").asInt()).isEqualTo(5);
        assertThat(wordCount(captions.get("topWords"), "car")).isEqualTo(4);
        assertThat(wordCount(captions.get("topWords"), "zeke")).as("the trigger is not a topic").isZero();
        assertThat(captions.at("/triggerPlacement/start").asInt()).isEqualTo(6);
        assertThat(strings(captions.get("triggerInside"))).containsExactly("landscape_blur.jpg");
        assertThat(strings(captions.get("triggerMissing"))).containsExactly("street.jpg");
        assertThat(pairs(captions.get("identical"))).containsExactly(List.of("landscape.jpg", "landscape_crop.jpg"));
        assertThat(pairs(captions.get("nearIdentical"))).contains(List.of("landscape.jpg", "landscape_small.jpg"));
        // character preset: looks named in two captions
        assertThat(strings(captions.at("/looks/files"))).containsExactly("landscape_blur.jpg", "portrait.jpg");
        assertThat(captions.at("/perImage/0/words").asInt()).isEqualTo(10); // photo of zeke a red car on a mountain road
        assertThat(captions.at("/words/max").asInt()).isEqualTo(12);
        assertThat(captions.at("/clipTokens/max").asInt()).isLessThan(77);
        assertThat(captions.at("/topNgrams/0/ngram").asText()).isEqualTo("red car");
    }

    @Test
    void tokenEstimatesSplitTriggerWordsAndLongWords() {
        // CLIP: <start> photo of ze ke _ portrait , a man <end> = 11 (the estimate gives portrait 2, zeke 1)
        assertThat(Words.clipTokens("photo of zeke_portrait, a man")).isEqualTo(11);
        assertThat(Words.t5Tokens("photo of zeke_portrait, a man")).isEqualTo(10); // <end> + a token per 5 letters
        assertThat(Words.clipTokens("word ".repeat(80))).isGreaterThan(CaptionAnalysis.CLIP_LIMIT);
        assertThat(CaptionAnalysis.placement(Words.of("photo of zeke, a man"), "zeke")).isEqualTo("start");
        assertThat(CaptionAnalysis.placement(Words.of("a man on a bench next to zeke"), "zeke")).isEqualTo("end");
    }

    @Test
    void everyImageIsInExactlyOneClusterOfEachKind() {
        for (String kind : new String[] {"clusters", "visualClusters"}) {
            List<String> all = new ArrayList<>();
            for (JsonNode cluster : json.get(kind)) {
                all.addAll(strings(cluster.get("members")));
                assertThat(cluster.get("topWords").isArray()).isTrue();
            }
            assertThat(all).containsExactlyInAnyOrderElementsOf(images.keySet());
            assertThat(json.get(kind).size()).isGreaterThan(1);
        }
        // the three mountain-road captions share a caption cluster, and "red" or "car" names it
        JsonNode road = StreamSupport.stream(json.get("clusters").spliterator(), false)
                .filter(c -> strings(c.get("members")).contains("landscape.jpg")).findFirst().orElseThrow();
        assertThat(strings(road.get("members"))).contains("landscape_crop.jpg", "landscape_small.jpg");
        assertThat(strings(road.get("topWords"))).containsAnyOf("road", "mountain", "car");
    }

    @Test
    void pageIsSelfContainedWithItsSectionsAndWorkingVerdictLinks() throws IOException {
        StringWriter html = new StringWriter();
        ReportPage.write(computed, "zeke_set", "zeke", html);
        Document page = Jsoup.parse(html.toString());
        for (String section : new String[] {"verdicts", "images", "captions", "clusters", "near-duplicates", "sharpness",
            "resolution", "exposure", "duplicates", "words", "ngrams", "trigger", "looks", "filter"}) {
            assertThat(page.getElementById(section)).as(section).isNotNull();
        }
        assertThat(page.select("section > h2").eachText()).containsExactly("Verdicts", "Images", "Captions", "Clusters");
        // nothing is fetched: every src/href is a fragment or a data: URI, no URL in styles or scripts
        for (Element e : page.select("[src], [href]")) {
            String ref = e.hasAttr("src") ? e.attr("src") : e.attr("href");
            assertThat(ref).matches("#.*|data:.*");
        }
        assertThat(page.select("link, iframe, object, embed, script[src]")).isEmpty();
        String styles = String.join("\n", page.select("style").eachText()) + page.select("script").html();
        assertThat(styles).doesNotContainPattern("(?i)https?:|//[a-z]|@import");
        for (Element link : page.select(".verdicts a")) {
            assertThat(page.getElementById(link.attr("href").substring(1))).as(link.text()).isNotNull();
        }
        assertThat(page.select(".verdicts li").eachText()).anyMatch(t -> t.contains("near-duplicate pair"))
                .anyMatch(t -> t.contains("blurry image")).anyMatch(t -> t.contains("captions mention looks"));
        // the near-duplicate pairs are shown as thumbnails, each an embedded JPEG
        assertThat(page.select("#near-duplicates ~ .pair figure")).hasSizeGreaterThanOrEqualTo(6);
        assertThat(page.select("style").html()).contains("data:image/jpeg;base64,");
        assertThat(page.select("svg.cloud text").stream().map(Element::ownText)).contains("red", "car");
        assertThat(page.select("#filter-table tr[data-text]")).hasSize(images.size());
    }

    private static Insight.Member member(String name, BufferedImage image, String caption) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, Pixels.encodeJpeg(image, 0.9f));
        images.put(name, image);
        if (name.equals("portrait.jpg")) {
            images.put("portrait_copy.jpg", image);
        }
        return new Insight.Member(name, file, image.getWidth(), image.getHeight(), caption);
    }

    private static BufferedImage resized(BufferedImage src, double scale) {
        int w = (int) Math.round(src.getWidth() * scale);
        int h = (int) Math.round(src.getHeight() * scale);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** {@code fraction} cut from every edge. */
    private static BufferedImage cropped(BufferedImage src, double fraction) {
        int dx = (int) (src.getWidth() * fraction);
        int dy = (int) (src.getHeight() * fraction);
        BufferedImage part = src.getSubimage(dx, dy, src.getWidth() - 2 * dx, src.getHeight() - 2 * dy);
        BufferedImage out = new BufferedImage(part.getWidth(), part.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        out.getGraphics().drawImage(part, 0, 0, null);
        return out;
    }

    /** A Gaussian blur, sigma 4 px: a shot the camera did not focus. */
    private static BufferedImage blurred(BufferedImage src) {
        int radius = 12;
        float sigma = 4f;
        float[] k = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(src, 0, 0, null);
        BufferedImage h = new ConvolveOp(new Kernel(k.length, 1, k), ConvolveOp.EDGE_NO_OP, null).filter(rgb, null);
        return new ConvolveOp(new Kernel(1, k.length, k), ConvolveOp.EDGE_NO_OP, null).filter(h, null);
    }

    private static String family(String file) {
        return file.startsWith("landscape") ? "landscape" : file.startsWith("portrait") ? "portrait" : file;
    }

    private static List<List<String>> pairs(JsonNode node) {
        List<List<String>> pairs = new ArrayList<>();
        node.forEach(p -> pairs.add(strings(p)));
        return pairs;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int wordCount(JsonNode words, String word) {
        for (JsonNode w : words) {
            if (w.get("word").asText().equals(word)) {
                return w.get("count").asInt();
            }
        }
        return 0;
    }
}
