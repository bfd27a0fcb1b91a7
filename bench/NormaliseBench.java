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
 * the same for EXIF-only rotation and for alpha (8-bit and 10-bit), HEIC images/s at the default
 * heif-parallelism, MPO extraction and orientation-1 JPEG pass-through against a plain copy of the same bytes, JPEG orientation 2-8 (lossless jpegtran turn vs the old
 * decode/re-encode, with mean errors, and the two fallbacks for sizes without a perfect turn), and
 * zip unpacking (camel-zipfile's ZipSplitter + captiond's checks) against `unzip`.
 * bench/normalise.sh runs it.
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
        Side c = heicVersusBare(heif, common, rounds);
        System.out.printf("BENCH heic_captiond_per_file %.0f ms%n", c.ours());
        System.out.printf("BENCH heic_bare_heif_convert_per_file %.0f ms%n", c.theirs());
        System.out.printf("BENCH heic_ratio_vs_heif_convert %.2f ratio%n", c.ratio());
        // EXIF-only rotation (4032x3024: libheif's JPEG turned by jpegtran -perfect) and alpha (8-bit: an overlay on
        // the background, libheif writes the JPEG; 10-bit: libheif's PNG flattened in Java). The small alpha files
        // get more rounds: a few ms of noise is a large part of them.
        Side baked = heicVersusBare(heif, List.of("Example1.heic"), rounds * 2);
        System.out.printf("BENCH heic_exif_baked_ratio_vs_heif_convert %.2f ratio%n", baked.ratio());
        Side alpha8 = heicVersusBare(heif, List.of("with-alpha-512x512.heic"), rounds * 5);
        Side alpha10 = heicVersusBare(heif, List.of("RGBA_10__128x128.heif"), rounds * 5);
        List<Double> both = new ArrayList<>(alpha8.ratios());
        both.addAll(alpha10.ratios());
        System.out.printf("BENCH heic_alpha_ratio_vs_heif_convert %.2f ratio%n", median(both));
        System.out.printf("BENCH heic_alpha_8bit_ratio_vs_heif_convert %.2f ratio%n", alpha8.ratio());
        System.out.printf("BENCH heic_alpha_10bit_ratio_vs_heif_convert %.2f ratio%n", alpha10.ratio());
        // the floor of the 8-bit route: bare heif-convert on the edited copy (libheif composes the overlay) ÷ on the file
        System.out.printf("BENCH heic_alpha_8bit_bare_overlay_ratio_vs_bare_jpeg %.2f ratio%n",
                bareOverlayVersusPlain(fixtures.resolve("with-alpha-512x512.heic"), rounds * 5));
        // the floor of the 10-bit route: what libheif alone takes to write that PNG instead of a JPEG
        System.out.printf("BENCH heic_alpha_10bit_bare_png_ratio_vs_bare_jpeg %.2f ratio%n",
                barePngVersusJpeg(fixtures.resolve("RGBA_10__128x128.heif"), rounds * 5));

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

        misalignedExifOnlyHeic(heif, jpeg, upright, rounds);
        jpegTurns(jpeg, rounds);
        zipUnpack(props, rounds);
    }

    /**
     * JPEG orientation 2-8 per file: captiond (jpegtran lossless turn, or its re-encode fallback) and
     * the old way (decode, turn, re-encode at q95 with ImageIO's 4:2:0), side by side; then, for a
     * size that allows no perfect turn, how close each fallback is to the source: jpegtran -trim
     * (exact on what it keeps, loses edge pixels) and captiond's re-encode keeping the subsampling.
     */
    static void jpegTurns(JpegConverter jpeg, int rounds) throws Exception {
        Path aligned = work.resolve("aligned-6.jpg"); // 1200x1792, EXIF 6: a perfect turn
        run("jpegtran", "-copy", "all", "-crop", "1200x1792+0+0", "-outfile", aligned.toString(),
                fixtures.resolve("Landscape_6.jpg").toString());
        Path phone = work.resolve("upright12.jpg"); // 12 MP 3024x4032, sideways with EXIF 6 set by hand below
        run("heif-convert", "--quiet", "-q", "92", fixtures.resolve("IMG_2927.HEIC").toString(), phone.toString());
        Path phone6 = work.resolve("phone-6.jpg");
        run("jpegtran", "-copy", "all", "-perfect", "-rotate", "270", "-outfile", phone6.toString(), phone.toString());
        setOrientation(phone6, 6);
        Map<String, Path> files = new java.util.LinkedHashMap<>();
        files.put("samsung_640x480_o6", fixtures.resolve("samsung_gt-i9000_orientation6.jpg"));
        files.put("landscape_1200x1792_o6", aligned);
        files.put("phone_12mp_o6", phone6);
        files.put("landscape_1200x1800_o6_misaligned", fixtures.resolve("Landscape_6.jpg"));
        for (var e : files.entrySet()) {
            Path f = e.getValue();
            convert(jpeg, f);
            oldReencode(f);
            long ours = 0;
            long old = 0;
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    ours += timed(() -> convert(jpeg, f));
                    old += timed(() -> oldReencode(f));
                } else {
                    old += timed(() -> oldReencode(f));
                    ours += timed(() -> convert(jpeg, f));
                }
            }
            System.out.printf("BENCH jpeg_turn_%s_captiond %.0f ms%n", e.getKey(), ours / 1e6 / rounds);
            System.out.printf("BENCH jpeg_turn_%s_old_reencode %.0f ms%n", e.getKey(), old / 1e6 / rounds);
            Path member = work.resolve(Thread.currentThread().getId() + "-member.jpg");
            convert(jpeg, f);
            var reference = io.captiond.normalise.Orientation.upright(javax.imageio.ImageIO.read(f.toFile()), 6);
            System.out.printf("BENCH jpeg_turn_%s_captiond_mean_error %.3f of255%n", e.getKey(),
                    meanError(javax.imageio.ImageIO.read(member.toFile()), reference));
            System.out.printf("BENCH jpeg_turn_%s_old_reencode_mean_error %.3f of255%n", e.getKey(),
                    meanError(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(oldReencode(f))), reference));
        }
        Path source = fixtures.resolve("Landscape_6.jpg");
        Path trimmed = work.resolve("trimmed.jpg");
        run("jpegtran", "-copy", "all", "-trim", "-rotate", "90", "-outfile", trimmed.toString(), source.toString());
        var trim = javax.imageio.ImageIO.read(trimmed.toFile());
        var reference = io.captiond.normalise.Orientation.upright(javax.imageio.ImageIO.read(source.toFile()), 6);
        // -trim on a quarter turn drops the partial blocks of the source's bottom edge, which become the left edge
        int lost = reference.getWidth() - trim.getWidth();
        var kept = reference.getSubimage(lost, 0, trim.getWidth(), trim.getHeight());
        System.out.printf("BENCH jpeg_fallback_trim_mean_error_on_kept %.3f of255%n", meanError(trim, kept));
        System.out.printf("BENCH jpeg_fallback_trim_pixels_lost %d columns%n", lost);
    }

    /**
     * EXIF-only rotation of a HEIC whose size is not whole 16-pixel blocks (1500x1000 cut from a
     * phone photo, EXIF 6, no irot): captiond (libheif turns while decoding) and the old way (bare
     * heif-convert's JPEG, then jpegtran -perfect fails and Java re-encodes), each ÷ bare heif-convert.
     */
    static void misalignedExifOnlyHeic(HeifConverter heif, JpegConverter jpeg, Path upright, int rounds) throws Exception {
        var cut = javax.imageio.ImageIO.read(upright.toFile()).getSubimage(100, 100, 1500, 1000);
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0};
        Path png = work.resolve("misaligned.png");
        Files.write(png, pngWithExif(cut, tiff));
        Path heic = work.resolve("misaligned.heic");
        run("heif-enc", "-q", "90", "-o", heic.toString(), png.toString());
        byte[] bytes = Files.readAllBytes(heic); // heif-enc wrote Orientation 1 and no irot: make it 6
        int at = com.google.common.primitives.Bytes.indexOf(bytes, new byte[] {0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 1});
        bytes[at + 9] = 6;
        Files.write(heic, bytes);
        var toJpeg = JpegConverter.class.getDeclaredMethod("convert", byte[].class, Path.class, ExifFacts.class, List.class);
        toJpeg.setAccessible(true);
        ExifFacts exif = ExifFacts.read(heic);
        Job old = f -> {
            Path dir = Files.createTempDirectory(work, "old");
            run("heif-convert", "--quiet", "-q", "95", f.toString(), dir.resolve("out.jpg").toString());
            toJpeg.invoke(jpeg, Files.readAllBytes(dir.resolve("out.jpg")), dir.resolve("member.jpg"), exif, List.of());
        };
        convert(heif, heic);
        old.run(heic);
        bare(heic);
        List<Double> ours = new ArrayList<>();
        List<Double> before = new ArrayList<>();
        for (int r = 0; r < rounds * 2; r++) {
            boolean oursFirst = r % 2 == 0;
            double a = oursFirst ? timed(() -> convert(heif, heic)) : 0;
            double bareTime = oursFirst ? 0 : timed(() -> bare(heic));
            double b = timed(() -> old.run(heic));
            a = oursFirst ? a : timed(() -> convert(heif, heic));
            bareTime = oursFirst ? timed(() -> bare(heic)) : bareTime;
            ours.add(a / bareTime);
            before.add(b / bareTime);
        }
        System.out.printf("BENCH heic_exif_baked_misaligned_ratio_vs_heif_convert %.2f ratio%n", median(ours));
        System.out.printf("BENCH heic_exif_baked_misaligned_old_reencode_ratio_vs_heif_convert %.2f ratio%n",
                median(before));
    }

    /** {@code image} as a PNG with {@code tiff} in an eXIf chunk right after IHDR (heif-enc carries it into the HEIC). */
    static byte[] pngWithExif(java.awt.image.BufferedImage image, byte[] tiff) throws Exception {
        var plain = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", plain);
        byte[] p = plain.toByteArray();
        var out = new java.io.ByteArrayOutputStream();
        var d = new java.io.DataOutputStream(out);
        d.write(p, 0, 33);
        d.writeInt(tiff.length);
        d.writeBytes("eXIf");
        d.write(tiff);
        var crc = new java.util.zip.CRC32();
        crc.update("eXIf".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(tiff);
        d.writeInt((int) crc.getValue());
        d.write(p, 33, p.length - 33);
        return out.toByteArray();
    }

    /** What captiond did before: decode, turn in Java, re-encode at q95 (ImageIO's 4:2:0). */
    static byte[] oldReencode(Path f) throws Exception {
        var image = io.captiond.normalise.Orientation.upright(
                io.captiond.support.Pixels.opaqueRgb(javax.imageio.ImageIO.read(f.toFile()), java.awt.Color.WHITE), 6);
        byte[] out = io.captiond.support.Pixels.encodeJpeg(image, 0.95f);
        Files.write(work.resolve(Thread.currentThread().getId() + "-old.jpg"), out);
        return out;
    }

    static double meanError(java.awt.image.BufferedImage a, java.awt.image.BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return 255;
        }
        long sum = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y += 2) {
            for (int x = 0; x < a.getWidth(); x += 2) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                    n++;
                }
            }
        }
        return (double) sum / n;
    }

    /** Orientation entry of EXIF IFD0 set in place (a test photo made sideways losslessly). */
    static void setOrientation(Path jpeg, int value) throws Exception {
        byte[] b = Files.readAllBytes(jpeg);
        for (int i = 0; i + 12 < b.length && i < 65536; i++) {
            if (b[i] == 'E' && b[i + 1] == 'x' && b[i + 2] == 'i' && b[i + 3] == 'f' && b[i + 4] == 0) {
                int t = i + 6;
                boolean le = b[t] == 'I';
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(le ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
                int ifd0 = t + bb.getInt(t + 4);
                int count = bb.getShort(ifd0) & 0xFFFF;
                for (int k = 0; k < count; k++) {
                    int entry = ifd0 + 2 + k * 12;
                    if ((bb.getShort(entry) & 0xFFFF) == 0x0112) {
                        bb.putShort(entry + 8, (short) value);
                        Files.write(jpeg, b);
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("no EXIF Orientation in " + jpeg);
    }

    /** A zip of photos unpacked by captiond's unzip route beans (camel-zipfile's ZipSplitter) and by `unzip`. */
    static void zipUnpack(CaptiondProperties props, int rounds) throws Exception {
        Path zip = work.resolve("photos.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            int i = 0;
            for (int copy = 0; copy < 4; copy++) {
                for (String name : List.of("IMG_2927.HEIC", "arrow.heic", "Landscape_6.jpg", "Portrait_5.jpg", "flower.webp",
                        "transparent.png", "sugarshack.mpo")) {
                    out.putNextEntry(new java.util.zip.ZipEntry("folder" + copy + "/" + name));
                    Files.copy(fixtures.resolve(name), out);
                    out.closeEntry();
                    i++;
                }
            }
        }
        long unpacked = 0;
        try (var z = new java.util.zip.ZipFile(zip.toFile())) {
            unpacked = z.stream().mapToLong(java.util.zip.ZipEntry::getSize).sum();
        }
        Path root = work.resolve("zip-root");
        var folders = new io.captiond.core.Folders(props);
        io.captiond.normalise.ZipInbox inbox = new io.captiond.normalise.ZipInbox(folders, props);
        long ours = 0;
        long theirs = 0;
        try (var camel = new org.apache.camel.impl.DefaultCamelContext()) {
            camel.start();
            for (int r = 0; r <= rounds; r++) { // round 0 warms up
                Path dir = Files.createTempDirectory(work, "ours");
                Path theirDir = Files.createTempDirectory(work, "unzip");
                long t0 = System.nanoTime();
                var exchange = new org.apache.camel.support.DefaultExchange(camel);
                exchange.getIn().setBody(zip.toFile());
                exchange.setProperty(io.captiond.normalise.ZipInbox.INFLATED, new java.util.concurrent.atomic.AtomicLong());
                var used = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
                Object entries = new org.apache.camel.dataformat.zipfile.ZipSplitter().evaluate(exchange);
                var it = (java.util.Iterator<?>) entries;
                while (it.hasNext()) {
                    org.apache.camel.Message m = (org.apache.camel.Message) it.next();
                    inbox.entry(m.getBody(java.io.InputStream.class), m.getHeader("zipFileName", String.class),
                            exchange.getProperty(io.captiond.normalise.ZipInbox.INFLATED, java.util.concurrent.atomic.AtomicLong.class),
                            dir.toString(), used);
                }
                long t1 = System.nanoTime();
                run("unzip", "-q", "-o", zip.toString(), "-d", theirDir.toString());
                long t2 = System.nanoTime();
                if (r > 0) {
                    ours += t1 - t0;
                    theirs += t2 - t1;
                }
            }
        }
        System.out.printf("BENCH zip_unpack_captiond %.0f MB/s%n", unpacked * rounds / 1e6 / (ours / 1e9));
        System.out.printf("BENCH zip_unpack_unzip %.0f MB/s%n", unpacked * rounds / 1e6 / (theirs / 1e9));
        System.out.printf("BENCH zip_unpack_ratio_vs_unzip %.2f ratio%n", (double) theirs / ours);
    }

    interface Job {
        void run(Path file) throws Exception;
    }

    /**
     * Mean ms per file of captiond and of bare heif-convert, and the ratio of each pair run back to
     * back (alternating which goes first). The ratio printed is the median of the pairs: on a shared
     * machine one pair caught by another job's burst would move a ratio of means, not the median.
     */
    record Side(double ours, double theirs, List<Double> ratios) {
        double ratio() {
            return median(ratios);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static Side heicVersusBare(HeifConverter heif, List<String> names, int rounds) throws Exception {
        for (String name : names) { // warm-up: JIT, page cache, libheif's plugins
            convert(heif, fixtures.resolve(name));
            bare(fixtures.resolve(name));
        }
        long ours = 0;
        long theirs = 0;
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (String name : names) {
                Path f = fixtures.resolve(name);
                long a;
                long b;
                if (r % 2 == 0) {
                    a = timed(() -> convert(heif, f));
                    b = timed(() -> bare(f));
                } else {
                    b = timed(() -> bare(f));
                    a = timed(() -> convert(heif, f));
                }
                ours += a;
                theirs += b;
                ratios.add((double) a / b);
            }
        }
        int n = ratios.size();
        return new Side(ours / 1e6 / n, theirs / 1e6 / n, ratios);
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

    /** Bare heif-convert on captiond's edited copy (an overlay on white) ÷ on the file itself (median of the pairs). */
    static double bareOverlayVersusPlain(Path file, int rounds) throws Exception {
        Path edited = work.resolve("overlay.heic");
        var write = Class.forName("io.captiond.normalise.HeifMetaEditor").getDeclaredMethod("write", Path.class, Path.class,
                int.class, java.awt.Color.class, long.class, long.class);
        write.setAccessible(true);
        var primary = io.captiond.normalise.HeifContainer.read(file).primary();
        write.invoke(null, file, edited, 0, java.awt.Color.WHITE, primary.displayWidth(), primary.displayHeight());
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long overlay;
            long plain;
            if (r % 2 == 0) {
                overlay = timed(() -> bare(edited));
                plain = timed(() -> bare(file));
            } else {
                plain = timed(() -> bare(file));
                overlay = timed(() -> bare(edited));
            }
            ratios.add((double) overlay / plain);
        }
        return median(ratios);
    }

    /** Bare heif-convert writing a PNG ÷ writing a JPEG, same file, alternating which goes first (median of the pairs). */
    static double barePngVersusJpeg(Path file, int rounds) throws Exception {
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long png;
            long jpg;
            if (r % 2 == 0) {
                png = timed(() -> bare(file, "out.png"));
                jpg = timed(() -> bare(file, "out.jpg"));
            } else {
                jpg = timed(() -> bare(file, "out.jpg"));
                png = timed(() -> bare(file, "out.png"));
            }
            ratios.add((double) png / jpg);
        }
        return median(ratios);
    }

    static void bare(Path file) throws Exception {
        bare(file, "out.jpg");
    }

    static void bare(Path file, String output) throws Exception {
        Path dir = Files.createTempDirectory(work, "bare");
        run("heif-convert", "--quiet", "-q", "95", file.toString(), dir.resolve(output).toString());
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
