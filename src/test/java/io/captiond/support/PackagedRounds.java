package io.captiond.support;

import io.captiond.core.Packaged;
import io.captiond.packaging.ZipWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A packaged round on disk (zip + manifest in outbox/, as the package stage leaves them) made from
 * fixture photos, for tests of the upload stage alone; and the check that a secret left no trace.
 */
public final class PackagedRounds {

    private PackagedRounds() {
    }

    /** outbox/&lt;trigger&gt;_training.zip of {@code fixtures}, each with a caption, plus its manifest. */
    public static Packaged write(Path root, String dataset, String trigger, String note, String... fixtures) {
        return write(root, dataset, trigger, note, Stream.of(fixtures).map(Fixtures::image).toList());
    }

    /** The same of any files (clips made by the test, say), each with a caption ("video of" for a clip). */
    public static Packaged write(Path root, String dataset, String trigger, String note, List<Path> members) {
        try {
            Path work = root.resolve("work").resolve(dataset);
            Path outbox = root.resolve("outbox");
            Files.createDirectories(work);
            Files.createDirectories(outbox);
            Files.createDirectories(root.resolve("inbox").resolve(dataset));
            Files.createDirectories(root.resolve("failed"));
            List<ZipWriter.Entry> entries = new ArrayList<>();
            for (Path member : members) {
                String fixture = member.getFileName().toString();
                Path image = Files.copy(member, work.resolve(fixture), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                String stem = fixture.substring(0, fixture.lastIndexOf('.'));
                String noun = fixture.endsWith(".mp4") ? "video" : "photo";
                Path caption = Files.writeString(work.resolve(stem + ".txt"), noun + " of " + trigger + ", " + stem + "\n");
                entries.add(new ZipWriter.Entry(fixture, image));
                entries.add(new ZipWriter.Entry(stem + ".txt", caption));
            }
            Path zip = outbox.resolve(trigger + "_training.zip");
            ZipWriter.Written written = ZipWriter.write(zip, entries);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("format", "captiond-manifest/1");
            manifest.put("dataset", dataset);
            manifest.put("trigger", trigger);
            manifest.put("zip", zip.getFileName().toString());
            manifest.put("zipBytes", written.bytes());
            manifest.put("contentSha256", written.contentSha256());
            Path manifestFile = outbox.resolve(trigger + "_training.json");
            Json.MAPPER.writeValue(manifestFile.toFile(), manifest);
            return new Packaged(dataset, trigger, zip, manifestFile, written.contentSha256(), members.size(), note);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files under {@code root} whose bytes contain {@code secret} (zips included, as raw bytes). */
    public static List<Path> filesContaining(Path root, String secret) {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(f -> contains(read(f), needle)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
