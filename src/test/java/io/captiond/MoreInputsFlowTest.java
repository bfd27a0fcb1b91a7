package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.normalise.ImageSniffer;
import io.captiond.normalise.ImageType;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import io.captiond.support.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The inputs users have beyond phone photos, on the real routes: a zip of a folder tree (as the
 * Captioning Pro seed asks users to make) with BMP, GIF, TIFF, a transparent PNG and JPEGs of the
 * same name in two folders, plus macOS junk; and zips that must be refused (zip slip, zip bomb,
 * broken), which land in failed/ with the reason while the rest of the dataset goes on.
 */
@CamelSpringBootTest
// closed after the class: its folders are a @TempDir that is gone once the class is done
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class)
class MoreInputsFlowTest {

    @TempDir
    static Path root;
    static DropFolders folders;

    @DynamicPropertySource
    static void folders(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.register(registry);
        registry.add("captiond.normalise.max-side", () -> "1800"); // Landscape_6 (1800x1200) just fits
    }

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void aZipOfAFolderTreeIsUnpackedFlattenedAndEveryFormatInItBecomesAMember() throws Exception {
        String ds = "scans";
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("Holiday/", new byte[0]);
        entries.put("Holiday/IMG_1.jpg", Files.readAllBytes(Fixtures.image("Landscape_6.jpg")));
        entries.put("Holiday/Day 2/IMG_1.jpg", Files.readAllBytes(Fixtures.image("samsung_gt-i9000_orientation6.jpg")));
        entries.put("__MACOSX/Holiday/._IMG_1.jpg", new byte[] {0, 5, 22, 7, 0, 2});
        entries.put(".DS_Store", new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'});
        entries.put("scanner/scan.bmp", encode(picture(64, 48), "bmp"));
        entries.put("scanner/page.tif", encode(picture(80, 60), "tiff"));
        entries.put("web/anim.gif", encode(picture(40, 30), "gif"));
        entries.put("web/transparent.png", Files.readAllBytes(Fixtures.image("transparent.png")));
        folders.write(ds, "photos.zip", zip(entries));
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        assertThat(zip.keySet()).containsExactlyInAnyOrder("IMG_1.jpg", "IMG_1.txt", "IMG_1-2.jpg", "IMG_1-2.txt",
                "scan.png", "scan.txt", "page.png", "page.txt", "anim.png", "anim.txt", "transparent.png", "transparent.txt");
        assertThat(ImageSniffer.sniff(zip.get("scan.png"))).isEqualTo(ImageType.PNG);
        BufferedImage transparent = ImageIO.read(new ByteArrayInputStream(zip.get("transparent.png")));
        assertThat(transparent.getColorModel().hasAlpha()).isFalse();
        BufferedImage turned = ImageIO.read(new ByteArrayInputStream(zip.get("IMG_1.jpg")));
        assertThat(turned.getWidth()).isEqualTo(1800); // Landscape_6: EXIF 6 applied
        assertThat(Files.exists(folders.work(ds).resolve(".originals").resolve("photos.zip"))).isTrue();
        assertThat(folders.inbox(ds).resolve("photos.zip")).doesNotExist();
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest(ds).toFile());
        assertThat(member(manifest, "transparent.png").path("alpha").asText()).isEqualTo("flattened");
        assertThat(member(manifest, "scan.bmp").path("sourceFormat").asText()).isEqualTo("bmp");
        assertThat(member(manifest, "page.tif").path("format").asText()).isEqualTo("png");
        assertThat(manifest.path("totals").path("failed").asInt()).isZero();
    }

    @Test
    void maxSideAppliesToBmpTiffAndGifMembersAsToJpegs() throws Exception {
        String ds = "big_scans";
        folders.write(ds, "wide.bmp", encode(picture(2400, 1600), "bmp"));
        folders.write(ds, "page.tif", encode(picture(1000, 2000), "tiff"));
        folders.write(ds, "banner.gif", encode(picture(3600, 90), "gif"));
        folders.write(ds, "small.bmp", encode(picture(64, 48), "bmp"));
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        assertThat(size(zip.get("wide.png"))).containsExactly(1800, 1200);
        assertThat(size(zip.get("page.png"))).containsExactly(900, 1800);
        assertThat(size(zip.get("banner.png"))).containsExactly(1800, 45);
        assertThat(size(zip.get("small.png"))).containsExactly(64, 48);
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest(ds).toFile());
        assertThat(member(manifest, "wide.bmp").path("warnings").toString())
                .contains("downscaled from 2400x1600 to 1800x1200 (captiond.normalise.max-side)");
        assertThat(member(manifest, "wide.bmp").path("width").asInt()).isEqualTo(1800);
    }

    private static int[] size(byte[] image) throws Exception {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image));
        return new int[] {decoded.getWidth(), decoded.getHeight()};
    }

    @Test
    void zipSlipZipBombsAndBrokenZipsAreQuarantinedWithTheReasonAndTheDatasetGoesOn() throws Exception {
        String ds = "bad_zips";
        folders.write(ds, "slip.zip", zip(Map.of("../../outside.jpg", Files.readAllBytes(Fixtures.image("Landscape_6.jpg")))));
        folders.write(ds, "bomb.zip", zip(Map.of("zeros.jpg", new byte[50 * 1024 * 1024])));
        byte[] good = zip(Map.of("a.jpg", Files.readAllBytes(Fixtures.image("Landscape_6.jpg"))));
        folders.write(ds, "broken.zip", java.util.Arrays.copyOf(good, good.length / 2));
        folders.drop(ds, "flower.webp");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        assertThat(zip.keySet()).containsExactlyInAnyOrder("flower.txt", "flower.webp");
        assertThat(Files.readString(folders.failed(ds).resolve("slip.zip.error.txt"))).contains("zip slip");
        assertThat(Files.readString(folders.failed(ds).resolve("bomb.zip.error.txt"))).contains("zip-max-ratio");
        assertThat(Files.readString(folders.failed(ds).resolve("broken.zip.error.txt"))).contains("broken zip");
        assertThat(root.resolve("inbox").resolve("outside.jpg")).doesNotExist();
        assertThat(root.resolve("outside.jpg")).doesNotExist();
    }

    private static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).as(format).isTrue();
        return out.toByteArray();
    }

    private static BufferedImage picture(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 90);
            }
        }
        return image;
    }

    private static JsonNode member(JsonNode manifest, String source) {
        for (JsonNode image : manifest.path("images")) {
            if (image.path("source").asText().equals(source)) {
                return image;
            }
        }
        throw new AssertionError("no member from " + source + " in " + manifest);
    }
}
