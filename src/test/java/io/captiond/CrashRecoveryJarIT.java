package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.support.CaptiondJar;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import io.captiond.support.StormyVisionServer;
import io.captiond.support.StormyVisionServer.Call;
import io.captiond.support.StormyVisionServer.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments while a 200-image dataset is captioned by a local OpenAI-compatible
 * endpoint, five times, restarting each time: in the end every image is in the zip or in failed/
 * with a reason, no image was paid for twice beyond the requests in flight at a kill (counted by the
 * endpoint, per image), and every zip entry reads back.
 */
class CrashRecoveryJarIT {

    private static final int IMAGES = 200;
    private static final int KILLS = 5;
    private static final int CONCURRENCY = 2;

    @TempDir
    Path root;

    @Test
    void fiveHardKillsLoseNothingAndPayAgainAtMostForWhatWasInFlight() throws Exception {
        try (StormyVisionServer endpoint = StormyVisionServer.calm(100)) {
            DropFolders folders = new DropFolders(root);
            for (int i = 0; i < IMAGES; i++) {
                folders.write("crash_test", String.format("IMG_%04d.png", i), Fixtures.distinctPng(i, IMAGES));
            }
            folders.write("crash_test", "broken.jpg", "not a photo");
            folders.trigger("crash_test");
            List<String> args = new ArrayList<>(CaptiondJar.folderArgs(root));
            args.addAll(List.of("--captiond.provider=openai", "--captiond.openai.base-url=" + endpoint.baseUrl(),
                    "--captiond.openai.model=crash-vl", "--captiond.rate.rpm=6000", "--captiond.rate.concurrency=" + CONCURRENCY,
                    "--server.port=0", "--captiond.watch.quiet-period=500ms", "--captiond.watch.poll-interval=200ms"));

            Random random = new Random(42);
            for (int kill = 0; kill < KILLS; kill++) {
                Path log = root.resolve("run-" + kill + ".log");
                Process daemon = CaptiondJar.start(root, log, args);
                waitForLine(log, "Started CaptiondApplication", 180); // a generous bound: CI machines are shared
                Thread.sleep(300 + random.nextInt(1500));
                daemon.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no cleanup
            }
            long paidBeforeLastRun = answered(endpoint).values().stream().mapToLong(Long::longValue).sum();
            assertThat(paidBeforeLastRun).as("the kills came while work remained").isLessThan(IMAGES);
            List<String> onceArgs = new ArrayList<>(args);
            onceArgs.add("--captiond.once=true");
            CaptiondJar.Run last = CaptiondJar.run(root, onceArgs, 300);
            assertThat(last.exitCode()).as(last.output()).isZero();

            Map<String, byte[]> zip = DropFolders.zipContents(folders.zip("crash_test")); // reads every entry
            assertThat(zip.keySet().stream().filter(n -> n.endsWith(".png")).count()).isEqualTo(IMAGES);
            assertThat(zip.keySet().stream().filter(n -> n.endsWith(".txt")).count()).isEqualTo(IMAGES);
            assertThat(zip.values()).allMatch(bytes -> bytes.length > 0);
            assertThat(folders.failed("crash_test").resolve("broken.jpg.error.txt")).exists();
            assertThat(folders.list(folders.inbox("crash_test"))).isEmpty();

            Map<String, Long> paid = answered(endpoint);
            assertThat(paid).as("every image was captioned by the endpoint").hasSize(IMAGES);
            long total = paid.values().stream().mapToLong(Long::longValue).sum();
            long twice = paid.values().stream().filter(n -> n > 1).count();
            // at each kill, at most CONCURRENCY captions can have been answered but not yet written down
            assertThat(total).as("paid requests").isBetween((long) IMAGES, (long) IMAGES + KILLS * CONCURRENCY);
            assertThat(twice).isLessThanOrEqualTo(KILLS * CONCURRENCY);
        }
    }

    /** Successful answers per image, as the endpoint counted them. */
    private static Map<String, Long> answered(StormyVisionServer endpoint) {
        return endpoint.calls().stream().filter(c -> c.fault() == Fault.OK)
                .collect(Collectors.groupingBy(Call::image, Collectors.counting()));
    }

    private static void waitForLine(Path log, String line, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + line + "' within " + seconds + " s:\n" + Files.readString(log));
    }
}
