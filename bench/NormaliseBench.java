import io.captiond.config.CaptiondProperties;
import io.captiond.normalise.ExifFacts;
import io.captiond.normalise.HeifConverter;
import io.captiond.normalise.ImageSniffer;
import io.captiond.normalise.ImageType;
import io.captiond.normalise.JpegConverter;
import io.captiond.normalise.LibHeif;
import io.captiond.normalise.MpoConverter;
import io.captiond.normalise.PixelLimit;
import io.captiond.support.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The normalise stage's converters, side by side with what they are measured against, in one run:
 * HEIC per file against bare `heif-convert -q 95` on the same files (alternating which goes first),
 * HEIC images/s at the default heif-parallelism, MPO extraction and orientation-1 JPEG pass-through
 * against a plain copy of the same bytes. bench/normalise.sh runs it.
 * Usage: java -cp <classpath> bench/NormaliseBench.java FIXTURES_DIR ROUNDS
 */
public class NormaliseBench {

    static Path fixtures;
    static Path work;

    public static void main(String[] args) throws Exception {
        fixtures = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        work = Files.createTempDirectory("normalise-bench");
        CaptiondProperties props = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("captiond", CaptiondProperties.class);
        PixelLimit limit = new PixelLimit(props);
        JpegConverter jpeg = new JpegConverter(limit, props);
        HeifConverter heif = new HeifConverter(new LibHeif(props), limit, jpeg, props);
        MpoConverter mpo = new MpoConverter(jpeg);
        int parallelism = props.normalise().heifParallelism();

        // the common case: libheif's JPEG used as it is, EXIF patched (irot, upright, several images, AVIF)
        List<String> common = List.of("arrow.heic", "IMG_2927.HEIC", "empty_icc.heic", "example.heic", "example.avif");
        double[] c = heicVersusBare(heif, common, rounds);
        System.out.printf("BENCH heic_captiond_per_file %.0f ms%n", c[0]);
        System.out.printf("BENCH heic_bare_heif_convert_per_file %.0f ms%n", c[1]);
        System.out.printf("BENCH heic_ratio_vs_heif_convert %.2f ratio%n", c[0] / c[1]);
        // the rare cases that go through a lossless PNG and Java: EXIF-only rotation, alpha
        double[] baked = heicVersusBare(heif, List.of("Example1.heic"), rounds);
        System.out.printf("BENCH heic_exif_baked_ratio_vs_heif_convert %.2f ratio%n", baked[0] / baked[1]);
        double[] alpha = heicVersusBare(heif, List.of("with-alpha-512x512.heic", "RGBA_10__128x128.heif"), rounds);
        System.out.printf("BENCH heic_alpha_ratio_vs_heif_convert %.2f ratio%n", alpha[0] / alpha[1]);

        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batch.addAll(List.of("arrow.heic", "IMG_2927.HEIC", "empty_icc.heic"));
        }
        System.out.printf("BENCH heic_images_per_s_parallelism_%d %.2f images/s%n", parallelism,
                imagesPerSecond(batch, parallelism, f -> convert(heif, f)));
        System.out.printf("BENCH heic_bare_images_per_s_parallelism_%d %.2f images/s%n", parallelism,
                imagesPerSecond(batch, parallelism, NormaliseBench::bare));

        List<Path> mpos = List.of(fixtures.resolve("sugarshack.mpo"), fixtures.resolve("frame_size.mpo"));
        double mpoMbs = megabytesPerSecond(mpos, 400, f -> convert(mpo, f));
        double copyMbs = megabytesPerSecond(mpos, 400, NormaliseBench::copy);
        long mpoBytes = Files.size(mpos.get(0)) + Files.size(mpos.get(1));
        System.out.printf("BENCH mpo_extract %.0f MB/s%n", mpoMbs);
        System.out.printf("BENCH mpo_extract_per_file %.2f ms%n", mpoBytes / 2 / 1e6 / mpoMbs * 1000);
        System.out.printf("BENCH mpo_plain_copy %.0f MB/s%n", copyMbs);
        System.out.printf("BENCH mpo_ratio_vs_copy %.2f ratio%n", mpoMbs / copyMbs);

        // an upright 12 MP phone JPEG (libheif's decode of IMG_2927), as a camera would write it
        Path upright = work.resolve("upright.jpg");
        run("heif-convert", "--quiet", "-q", "92", fixtures.resolve("IMG_2927.HEIC").toString(), upright.toString());
        double passMbs = megabytesPerSecond(List.of(upright), 60, f -> convert(jpeg, f));
        double passCopyMbs = megabytesPerSecond(List.of(upright), 60, NormaliseBench::copy);
        System.out.printf("BENCH jpeg_orientation1_passthrough %.0f MB/s%n", passMbs);
        System.out.printf("BENCH jpeg_plain_copy %.0f MB/s%n", passCopyMbs);
        System.out.printf("BENCH jpeg_passthrough_ratio_vs_copy %.2f ratio%n", passMbs / passCopyMbs);
    }

    interface Job {
        void run(Path file) throws Exception;
    }

    /** Mean ms per file {captiond, bare}, alternating which of the two runs first on each round. */
    static double[] heicVersusBare(HeifConverter heif, List<String> names, int rounds) throws Exception {
        for (String name : names) { // warm-up: JIT, page cache, libheif's plugins
            convert(heif, fixtures.resolve(name));
            bare(fixtures.resolve(name));
        }
        long ours = 0;
        long theirs = 0;
        int n = 0;
        for (int r = 0; r < rounds; r++) {
            for (String name : names) {
                Path f = fixtures.resolve(name);
                if (r % 2 == 0) {
                    ours += timed(() -> convert(heif, f));
                    theirs += timed(() -> bare(f));
                } else {
                    theirs += timed(() -> bare(f));
                    ours += timed(() -> convert(heif, f));
                }
                n++;
            }
        }
        return new double[] {ours / 1e6 / n, theirs / 1e6 / n};
    }

    static double imagesPerSecond(List<String> names, int threads, Job job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (String name : names) {
                futures.add(pool.submit(() -> {
                    job.run(fixtures.resolve(name));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return names.size() / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    static double megabytesPerSecond(List<Path> files, int repeats, Job job) throws Exception {
        for (Path f : files) {
            job.run(f);
        }
        long bytes = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            for (Path f : files) {
                job.run(f);
                bytes += Files.size(f);
            }
        }
        return bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }

    static long timed(ThrowingRunnable r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** What the normalise stage does per file: sniff, read EXIF, convert into a member. */
    static void convert(io.captiond.normalise.ImageConverter converter, Path file) throws Exception {
        Path target = work.resolve(Thread.currentThread().getId() + "-member.jpg");
        ImageType type = ImageSniffer.sniff(file);
        converter.convert(file, target, type, ExifFacts.read(file, type));
    }

    static void bare(Path file) throws Exception {
        Path dir = Files.createTempDirectory(work, "bare");
        run("heif-convert", "--quiet", "-q", "95", file.toString(), dir.resolve("out.jpg").toString());
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    static void copy(Path file) throws Exception {
        AtomicFiles.write(work.resolve(Thread.currentThread().getId() + "-copy.jpg"), out -> Files.copy(file, out));
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
