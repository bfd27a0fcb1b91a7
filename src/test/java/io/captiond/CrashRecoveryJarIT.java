package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.support.CaptiondJar;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments while a 200-image dataset is processed, five times, restarting each
 * time: in the end every image is in the zip or in failed/ with a reason, no image was captioned
 * twice beyond what was in flight at a kill, and every zip entry reads back.
 */
class CrashRecoveryJarIT {

    private static final int IMAGES = 200;
    private static final int KILLS = 5;
    private static final String[] FIXTURES = {"flower.webp", "transparent.png", "samsung_gt-i9000_orientation6.jpg"};

    @TempDir
    Path root;

    @Test
    void fiveHardKillsLoseNothingAndPayForNothingTwice() throws Exception {
        DropFolders folders = new DropFolders(root);
        for (int i = 0; i < IMAGES; i++) {
            String fixture = FIXTURES[i % FIXTURES.length];
            folders.drop("crash_test", Fixtures.image(fixture), String.format("IMG_%04d%s", i, fixture.substring(fixture.lastIndexOf('.'))));
        }
        folders.write("crash_test", "broken.jpg", "not a photo");
        folders.trigger("crash_test");
        List<String> args = new ArrayList<>(CaptiondJar.folderArgs(root));
        args.addAll(List.of("--captiond.provider=basic", "--server.port=0", "--captiond.watch.quiet-period=500ms",
                "--captiond.watch.poll-interval=200ms"));

        Random random = new Random(42);
        Map<String, Integer> captioned = new HashMap<>();
        for (int kill = 0; kill < KILLS; kill++) {
            Path log = root.resolve("run-" + kill + ".log");
            Process daemon = CaptiondJar.start(root, log, args);
            waitForLine(log, "Started CaptiondApplication", 60);
            Thread.sleep(300 + random.nextInt(1500));
            daemon.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no cleanup
            count(Files.readString(log), captioned);
        }
        List<String> onceArgs = new ArrayList<>(args);
        onceArgs.add("--captiond.once=true");
        CaptiondJar.Run last = CaptiondJar.run(root, onceArgs, 300);
        assertThat(last.exitCode()).as(last.output()).isZero();
        int beforeLastRun = captioned.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(beforeLastRun).as("the kills came while work remained").isLessThan(IMAGES);
        count(last.output(), captioned);

        Map<String, byte[]> zip = DropFolders.zipContents(folders.zip("crash_test")); // reads every entry
        long images = zip.keySet().stream().filter(n -> !n.endsWith(".txt")).count();
        assertThat(images).isEqualTo(IMAGES);
        assertThat(zip.keySet().stream().filter(n -> n.endsWith(".txt")).count()).isEqualTo(IMAGES);
        assertThat(zip.values()).allMatch(bytes -> bytes.length > 0);
        assertThat(folders.failed("crash_test").resolve("broken.jpg.error.txt")).exists();
        assertThat(folders.list(folders.inbox("crash_test"))).isEmpty();
        int total = captioned.values().stream().mapToInt(Integer::intValue).sum();
        int inFlightAllowance = KILLS * 2; // captiond.rate.concurrency workers may be mid-caption at each kill
        assertThat(total).isBetween(IMAGES, IMAGES + inFlightAllowance);
        assertThat(captioned.values()).allMatch(n -> n <= 1 + KILLS);
    }

    private static void count(String log, Map<String, Integer> captioned) {
        Matcher m = Pattern.compile("Captioned (\\S+) \\(basic\\)").matcher(log);
        while (m.find()) {
            captioned.merge(m.group(1), 1, Integer::sum);
        }
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
