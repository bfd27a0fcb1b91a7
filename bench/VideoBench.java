import com.sun.net.httpserver.HttpServer;
import io.captiond.caption.CaptionRequest;
import io.captiond.caption.ClipFrames;
import io.captiond.caption.FrameSampler;
import io.captiond.caption.prompt.Prompts;
import io.captiond.caption.provider.OpenAiCaptioner;
import io.captiond.caption.provider.CamelProviderHttp;
import io.captiond.caption.provider.ProviderMetrics;
import io.captiond.caption.throttle.ProviderLimiter;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.Dataset;
import io.captiond.core.DatasetSettings;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.normalise.ImageSniffer;
import io.captiond.normalise.ImageType;
import io.captiond.normalise.VideoCommands;
import io.captiond.normalise.VideoConverter;
import io.captiond.normalise.VideoProbe;
import io.captiond.support.VideoTools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * captiond's video path next to bare ffprobe/ffmpeg with the same arguments, alternating which goes
 * first, on clips made here: an iPhone-like 1080p HEVC portrait MOV (rotated), a 720p VFR clip, and a
 * 1080p H.264 MP4 that passes through. bench/video.sh runs it.
 * Usage: java -cp <classpath> bench/VideoBench.java ROUNDS
 */
public class VideoBench {

    static Path work;

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        work = Files.createTempDirectory("video-bench");
        Path inbox = Files.createDirectories(work.resolve("inbox/bench"));
        Map<String, String> settings = new HashMap<>(Map.of("captiond.inbox", work.resolve("inbox").toString(),
                "captiond.work", work.resolve("work").toString()));
        CaptiondProperties props = new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("captiond",
                CaptiondProperties.class);
        VideoTools tools = new VideoTools(props);
        VideoProbe probe = new VideoProbe(tools);
        Folders folders = new Folders(props);
        ImageRecords records = new ImageRecords(folders);
        Path temp = Files.createDirectories(folders.work("bench").resolve(".captiond"));

        Path iphone = work.resolve("iphone.mov");
        bare(List.of("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-t", "5", "-pix_fmt", "yuv420p",
                "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-tag:v", "hvc1", "-f", "mov",
                work.resolve("coded.mov").toString()), work);
        bare(List.of("-i", work.resolve("coded.mov").toString(), "-c", "copy", "-metadata:s:v:0", "rotate=90", "-f", "mov",
                iphone.toString()), work);
        Path vfr = work.resolve("vfr.mp4");
        bare(List.of("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-t", "5", "-vf",
                "select='not(mod(n\\,3))+gt(n\\,60)'", "-vsync", "vfr", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset",
                "ultrafast", "-f", "mp4", vfr.toString()), work);
        Path fitting = work.resolve("fitting.mp4");
        bare(List.of("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-t", "10", "-pix_fmt", "yuv420p", "-c:v",
                "libx264", "-preset", "ultrafast", "-crf", "12", "-f", "mp4", fitting.toString()), work);

        // probe: captiond's VideoProbe (JSON parsed) against bare ffprobe with the same arguments.
        // Both sides are warmed up first: the bare side's process spawning is already warm from
        // making the clips above, while captiond's first probe alone would pay this JVM's one-time
        // costs (Jackson's tree model and the temp-file machinery loaded, code still interpreted),
        // which a running daemon paid at start. That first probe is reported on its own line.
        // the type comes from the bytes before any probe (ImageSniffer reads 256 KB for every file,
        // photos too): it is an argument of VideoProbe, not part of its work, so it is not timed
        ImageType iphoneType = ImageSniffer.sniff(iphone);
        long first = System.nanoTime();
        probe.probe(iphone, iphoneType, temp);
        System.out.printf("BENCH probe_captiond_first_in_jvm %.1f ms%n", (System.nanoTime() - first) / 1e6);
        for (int w = 0; w < 2; w++) {
            probe.probe(iphone, iphoneType, temp);
            run(ffprobe(iphone), work);
        }
        long[] p = new long[2];
        for (int r = 0; r < rounds * 5; r++) {
            for (int order = 0; order < 2; order++) {
                boolean ours = (r + order) % 2 == 0;
                long t0 = System.nanoTime();
                if (ours) {
                    probe.probe(iphone, iphoneType, temp);
                } else {
                    run(ffprobe(iphone), work);
                }
                p[ours ? 0 : 1] += System.nanoTime() - t0;
            }
        }
        System.out.printf("BENCH probe_captiond %.1f ms%n", p[0] / 1e6 / (rounds * 5));
        System.out.printf("BENCH probe_bare_ffprobe %.1f ms%n", p[1] / 1e6 / (rounds * 5));
        System.out.printf("BENCH probe_ratio %.2f ratio%n", (double) p[0] / p[1]);

        // transcode: the whole normalise of one clip (probe, transcode, probe of the member) against
        // the same three steps bare: ffprobe, ffmpeg with exactly the transcode arguments captiond
        // uses, ffprobe of the result
        for (Path clip : List.of(iphone, vfr)) {
            long[] t = new long[2];
            for (int r = 0; r < rounds; r++) {
                for (int order = 0; order < 2; order++) {
                    boolean ours = (r + order) % 2 == 0;
                    long t0 = System.nanoTime();
                    if (ours) {
                        Path in = Files.copy(clip, inbox.resolve(clip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        t0 = System.nanoTime();
                        List<ImageRecord> made = normalise(tools, probe, records, props, in, folders.work("bench"), temp);
                        t[0] += System.nanoTime() - t0;
                        for (ImageRecord m : made) {
                            Files.delete(folders.work("bench").resolve(m.output()));
                            records.delete("bench", m);
                        }
                    } else {
                        VideoProbe.Probed probed = probe.probe(clip, ImageSniffer.sniff(clip), temp);
                        List<String> a = VideoCommands.transcode(clip, work.resolve("bare.mp4"), probed, props.video(), -1, -1,
                                new ArrayList<>());
                        t0 = System.nanoTime();
                        run(ffprobe(clip), work); // what captiond does around the transcode, done bare
                        bare(a, work);
                        run(ffprobe(work.resolve("bare.mp4")), work);
                        t[1] += System.nanoTime() - t0;
                    }
                }
            }
            String name = clip.getFileName().toString().replace(".", "_");
            System.out.printf("BENCH transcode_%s_captiond %.0f ms%n", name, t[0] / 1e6 / rounds);
            System.out.printf("BENCH transcode_%s_bare_ffmpeg %.0f ms%n", name, t[1] / 1e6 / rounds);
            System.out.printf("BENCH transcode_%s_ratio %.2f ratio%n", name, (double) t[0] / t[1]);
        }

        // pass-through: demux check + copy + member probe, against a plain copy of the same bytes
        double mb = Files.size(fitting) / 1048576.0;
        long[] c = new long[2];
        for (int r = 0; r < rounds * 3; r++) {
            Path in = Files.copy(fitting, inbox.resolve("fitting.mp4"), StandardCopyOption.REPLACE_EXISTING);
            long t0 = System.nanoTime();
            List<ImageRecord> made = normalise(tools, probe, records, props, in, folders.work("bench"), temp);
            c[0] += System.nanoTime() - t0;
            if (!"passthrough".equals(made.get(0).video().processing())) {
                throw new IllegalStateException("expected a pass-through, got " + made.get(0).video().processing());
            }
            Files.delete(folders.work("bench").resolve(made.get(0).output()));
            records.delete("bench", made.get(0));
            t0 = System.nanoTime();
            Files.copy(fitting, work.resolve("copy.mp4"), StandardCopyOption.REPLACE_EXISTING);
            c[1] += System.nanoTime() - t0;
        }
        System.out.printf("BENCH passthrough_clip_size %.1f MB%n", mb);
        System.out.printf("BENCH passthrough_captiond %.0f MB/s%n", mb * rounds * 3 / (c[0] / 1e9));
        System.out.printf("BENCH passthrough_plain_copy %.0f MB/s%n", mb * rounds * 3 / (c[1] / 1e9));

        captionThroughput(props, tools, probe, records, folders, temp, vfr, rounds);
        System.exit(0);
    }

    /** Clips captioned per second against a local OpenAI-compatible server that answers at once. */
    static void captionThroughput(CaptiondProperties base, VideoTools tools, VideoProbe probe, ImageRecords records,
            Folders folders, Path temp, Path clip, int rounds) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"a test pattern moving\"},\"finish_reason\":\"stop\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        Map<String, String> settings = Map.of("captiond.openai.base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                "captiond.openai.model", "bench", "captiond.rate.rpm", "6000");
        CaptiondProperties props = new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("captiond",
                CaptiondProperties.class);
        DefaultCamelContext camel = new DefaultCamelContext();
        HttpComponent http = new HttpComponent();
        http.setAutomaticRetriesDisabled(true);
        camel.addComponent("http", http);
        camel.start();
        var c = props.openai();
        ProviderLimiter limiter = ProviderLimiter.forEndpoint("bench", 6000, props.rate());
        OpenAiCaptioner captioner = new OpenAiCaptioner(c, new CamelProviderHttp(camel.createProducerTemplate(), c.baseUrl(),
                props.rate().connectTimeout(), c.timeout()), limiter, new ProviderMetrics(new SimpleMeterRegistry(), "openai", limiter),
                new Prompts(props.caption()), props);

        Path inbox = folders.inbox("bench");
        Path in = Files.copy(clip, inbox.resolve("cap.mp4"), StandardCopyOption.REPLACE_EXISTING);
        ImageRecord record = normalise(tools, probe, records, base, in, folders.work("bench"), temp).get(0);
        Path member = folders.work("bench").resolve(record.output());
        FrameSampler sampler = new FrameSampler(tools);
        Dataset dataset = new Dataset("bench", DatasetSettings.NONE, "bench_clip", null);
        int n = rounds * 4;
        long sampling = 0;
        long requests = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long s0 = System.nanoTime();
            ClipFrames frames = sampler.sample(member, record, base.video().captionFrames(), base.normalise().captionSide());
            long s1 = System.nanoTime();
            captioner.describe(new CaptionRequest(frames.middle(), record, dataset, null, frames));
            requests += System.nanoTime() - s1;
            sampling += s1 - s0;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("BENCH caption_clips_per_s %.2f clips/s%n", n / seconds);
        System.out.printf("BENCH caption_frame_sampling_per_clip %.0f ms%n", sampling / 1e6 / n);
        System.out.printf("BENCH caption_request_per_clip %.0f ms%n", requests / 1e6 / n);
        camel.close();
        server.stop(0);
    }

    /** What the normalise stage does for one video: probe, then convert (which probes the member too). */
    static List<ImageRecord> normalise(VideoTools tools, VideoProbe probe, ImageRecords records, CaptiondProperties props,
            Path in, Path workDir, Path temp) throws Exception {
        var type = ImageSniffer.sniff(in);
        VideoProbe.Probed probed = probe.probe(in, type, temp);
        return new VideoConverter(tools, probe, records, props).convert("bench", in, in.getFileName().toString(),
                Files.size(in), type, probed, workDir, temp);
    }

    /** Bare ffprobe with the arguments VideoProbe uses. */
    static List<String> ffprobe(Path clip) {
        return List.of("ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", clip.toString());
    }

    static void bare(List<String> args, Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
        command.addAll(args);
        run(command, dir);
    }

    static void run(List<String> command, Path dir) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
