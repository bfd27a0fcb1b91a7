import io.captiond.packaging.ZipWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes one zip of every file in a folder with captiond's ZipWriter (what the package stage
 * uses) and prints the time in milliseconds. bench/package.sh runs it next to `zip -0`.
 * Usage: java -cp <classpath> bench/ZipBench.java DIR OUT.zip
 */
public class ZipBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<ZipWriter.Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.sorted().forEach(f -> entries.add(new ZipWriter.Entry(f.getFileName().toString(), f)));
        }
        long t0 = System.nanoTime();
        ZipWriter.Written written = ZipWriter.write(Path.of(args[1]), entries);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(ms + " " + written.bytes());
    }
}
