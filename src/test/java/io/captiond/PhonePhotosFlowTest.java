package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.normalise.ExifFacts;
import io.captiond.normalise.ImageSniffer;
import io.captiond.normalise.ImageType;
import io.captiond.support.Fixtures;
import io.captiond.support.SharedDaemonTest;
import io.captiond.support.Json;
import io.captiond.support.LibHeifTools;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What phones produce, end to end on the real routes: iPhone HEICs (rotated by the container, or
 * only by EXIF), an alpha HEIC, a 3DS stereo MPO, and broken HEICs, dropped together into one dataset.
 */
class PhonePhotosFlowTest extends SharedDaemonTest {

    /** Scratch files of the checks, outside the daemon's folders. */
    @TempDir
    Path scratch;

    private static final Duration WAIT = Duration.ofSeconds(120); // 12 MP HEIC decodes on a busy 2-core box

    @Test
    void heicsBecomeUprightJpegsAndBrokenHeicsGoToFailedInLibheifsWords() throws Exception {
        LibHeifTools.assumeInstalled();
        String ds = "ines_phone";
        folders.drop(ds, Fixtures.image("arrow.heic"), "IMG_0001.HEIC");
        folders.drop(ds, "Example1.heic");
        folders.drop(ds, "with-alpha-512x512.heic");
        folders.drop(ds, "truncated.heic");
        folders.drop(ds, "clusterfuzz-testcase-minimized-file-fuzzer-6045213633282048.heic");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        assertThat(zip.keySet()).containsExactly("Example1.jpg", "Example1.txt", "IMG_0001.jpg", "IMG_0001.txt",
                "with-alpha-512x512.jpg", "with-alpha-512x512.txt");
        assertUprightPortrait(zip.get("IMG_0001.jpg"), "IMG_0001.jpg"); // container irot applied once
        assertUprightPortrait(zip.get("Example1.jpg"), "Example1.jpg"); // EXIF 6 baked: no irot in it

        assertThat(Files.readString(folders.failed(ds).resolve("truncated.heic.error.txt")))
                .contains("stage: normalise").contains("Extent in iloc box references data outside of file bounds");
        assertThat(Files.readString(folders.failed(ds)
                .resolve("clusterfuzz-testcase-minimized-file-fuzzer-6045213633282048.heic.error.txt")))
                .contains("Unexpected end of file");

        JsonNode manifest = Json.MAPPER.readTree(folders.manifest(ds).toFile());
        assertThat(manifest.path("totals").path("failed").asInt()).isEqualTo(2);
        assertThat(member(manifest, "Example1.heic").path("warnings").toString()).contains("depth map 768x576 ignored");
        assertThat(member(manifest, "IMG_0001.HEIC").path("sourceFormat").asText()).isEqualTo("heif");
        assertThat(member(manifest, "IMG_0001.HEIC").path("width").asInt()).isEqualTo(3024);
        assertThat(member(manifest, "with-alpha-512x512.heic").path("warnings").toString()).contains("laid over #FFFFFF");
        assertThat(get("/actuator/health")).contains("\"libheif\":{\"status\":\"UP\"");
    }

    @Test
    void stereoAndGainMapMposBecomeTheirPrimaryFrameAsPlainJpegs() throws Exception {
        String ds = "otto_3ds";
        folders.drop(ds, "sugarshack.mpo");
        folders.drop(ds, "frame_size.mpo");
        folders.trigger(ds);

        Map<String, byte[]> zip = folders.awaitZip(ds, WAIT);

        assertThat(zip.keySet()).containsExactly("frame_size.jpg", "frame_size.txt", "sugarshack.jpg", "sugarshack.txt");
        BufferedImage stereo = ImageIO.read(new ByteArrayInputStream(zip.get("sugarshack.jpg")));
        assertThat(stereo.getWidth()).isEqualTo(640);
        BufferedImage gainMapped = ImageIO.read(new ByteArrayInputStream(zip.get("frame_size.jpg")));
        assertThat(gainMapped.getWidth()).isEqualTo(56); // the primary, not the 349x434 second frame
        assertThat(ImageSniffer.sniff(zip.get("sugarshack.jpg"))).isEqualTo(ImageType.JPEG);
        JsonNode manifest = Json.MAPPER.readTree(folders.manifest(ds).toFile());
        assertThat(member(manifest, "sugarshack.mpo").path("sourceFormat").asText()).isEqualTo("mpo");
        assertThat(member(manifest, "sugarshack.mpo").path("warnings").toString()).contains("MPO: 2 frames, primary kept");
    }

    private void assertUprightPortrait(byte[] jpeg, String name) throws Exception {
        Path file = Files.write(scratch.resolve("check-" + name), jpeg);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).as(name).isEqualTo(3024);
        assertThat(image.getHeight()).as(name).isEqualTo(4032);
        assertThat(ExifFacts.read(file).orientation()).as(name).isEqualTo(1);
    }

    private static JsonNode member(JsonNode manifest, String source) {
        for (JsonNode image : manifest.path("images")) {
            if (image.path("source").asText().equals(source)) {
                return image;
            }
        }
        throw new AssertionError("no member made from " + source + " in " + manifest);
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
