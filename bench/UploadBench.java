import com.sun.net.httpserver.HttpServer;
import io.captiond.config.CaptiondProperties;
import io.captiond.upload.ReplicateApi;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * Peak heap while a zip goes to a files-API endpoint: captiond's streamed multipart upload
 * (ReplicateApi.uploadFile) against the same request with the zip read into memory first, side by
 * side, to a local sink that discards what it receives. Prints "<mode> <millis> <peakHeapMB>".
 * Usage: java -cp <classpath> UploadBench ZIP (stream|buffer)   (bench/upload.sh compiles it first)
 */
public class UploadBench {
    public static void main(String[] args) throws Exception {
        Path zip = Path.of(args[0]);
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/v1/files", exchange -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = exchange.getRequestBody()) {
                while (in.read(buffer) >= 0) {
                    // discard: only the client's memory is measured
                }
            }
            byte[] body = "{\"id\":\"f1\",\"urls\":{\"get\":\"http://sink/v1/files/f1\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        sink.start();
        String base = "http://127.0.0.1:" + sink.getAddress().getPort() + "/v1";
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        if (args[1].equals("stream")) {
            CaptiondProperties.Upload settings = new CaptiondProperties.Upload(true, "me/bench", "replicate/fast-flux-trainer",
                    "gpu-t4", "private", null, Map.of(), DataSize.ofMegabytes(100), Duration.ofSeconds(2),
                    Duration.ofSeconds(30), Duration.ofSeconds(1), 1, Duration.ofSeconds(60), Duration.ofMinutes(5));
            new ReplicateApi(URI.create(base), () -> "r8_bench", settings, d -> { }).uploadFile(zip);
        } else {
            // the naive way: the whole multipart body assembled in memory
            byte[] head = ("--b\r\nContent-Disposition: form-data; name=\"content\"; filename=\"" + zip.getFileName()
                    + "\"\r\nContent-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] file = Files.readAllBytes(zip);
            byte[] tail = "\r\n--b--\r\n".getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[head.length + file.length + tail.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(file, 0, all, head.length, file.length);
            System.arraycopy(tail, 0, all, head.length + file.length, tail.length);
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/files"))
                    .header("Content-Type", "multipart/form-data; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(all)).build(), HttpResponse.BodyHandlers.ofString());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        sink.stop(0);
        System.out.println(args[1] + " " + ms + " " + peak / (1024 * 1024));
    }
}
