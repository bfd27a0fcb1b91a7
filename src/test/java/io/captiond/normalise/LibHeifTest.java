package io.captiond.normalise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.captiond.config.CaptiondProperties;
import io.captiond.support.Fixtures;
import io.captiond.support.TestProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * How captiond lives with libheif as a separate program: a hang is killed with everything it
 * started, a missing install is said clearly (log, health, reason file), a bomb is refused before
 * libheif ever runs, and no more decodes run at once than configured. Stand-in scripts play
 * heif-convert here, so these run with or without libheif installed.
 */
@ExtendWith(OutputCaptureExtension.class)
class LibHeifTest {

    @TempDir
    Path tmp;

    @Test
    void aDecodeThatHangsIsKilledWithItsChildrenAndTheFileRejected() throws Exception {
        Path pids = tmp.resolve("pids");
        Path script = script("hang", "echo $$ > " + pids + "\nsleep 60 &\necho $! >> " + pids + "\nwait\n");
        CaptiondProperties props = TestProperties.with("captiond.normalise.heif-convert", script.toString(),
                "captiond.normalise.heif-timeout", "1s");

        assertThatThrownBy(() -> convert("arrow.heic", props))
                .isInstanceOf(RejectedInputException.class)
                .hasMessageContaining("took longer than 1 s (captiond.normalise.heif-timeout) and was stopped");

        List<String> started = Files.readAllLines(pids);
        assertThat(started).hasSize(2); // the script and its sleep
        for (String pid : started) { // SIGKILL is asynchronous: give the kernel a moment
            await("process " + pid + " gone").atMost(Duration.ofSeconds(5)).until(() ->
                    !ProcessHandle.of(Long.parseLong(pid.trim())).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void withoutLibheifHeicIsRejectedWithTheInstallHintAndHealthIsDown(CapturedOutput output) throws Exception {
        CaptiondProperties props = TestProperties.with("captiond.normalise.heif-convert", "/nonexistent/heif-convert");
        LibHeif libHeif = new LibHeif(props);

        libHeif.warnWhenMissing();
        assertThat(output.getOut()).contains("WARN").contains("HEIC/HEIF/AVIF files will be quarantined")
                .contains("apt-get install libheif-examples");

        var health = new LibHeifHealthIndicator(libHeif).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(health.getDetails().get("problem"))).contains("apt-get install libheif-examples");

        assertThatThrownBy(() -> convert("arrow.heic", props))
                .isInstanceOf(RejectedInputException.class)
                .hasMessageContaining("/nonexistent/heif-convert cannot be run")
                .hasMessageContaining("apt-get install libheif-examples");
    }

    @Test
    void healthIsUpWhenHeifConvertRuns() throws Exception {
        Path script = script("fine", "exit 0\n");
        LibHeif libHeif = new LibHeif(TestProperties.with("captiond.normalise.heif-convert", script.toString()));

        assertThat(new LibHeifHealthIndicator(libHeif).health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aHeicOverMaxPixelsIsRefusedFromItsHeaderWithoutRunningLibheif() throws Exception {
        Path ran = tmp.resolve("libheif-ran");
        Path script = script("spy", "touch " + ran + "\nexit 1\n");
        CaptiondProperties props = TestProperties.with("captiond.normalise.heif-convert", script.toString(),
                "captiond.normalise.max-pixels", "10000000");

        assertThatThrownBy(() -> convert("arrow.heic", props))
                .isInstanceOf(RejectedInputException.class)
                .hasMessageContaining("3024x4032 = 12 MP, over the limit of 10 MP");
        assertThat(ran).doesNotExist();
    }

    @Test
    void imagesThatFitOneByOneButNotTogetherAreRefusedToo() throws Exception {
        Path ran = tmp.resolve("libheif-ran");
        Path script = script("spy", "touch " + ran + "\nexit 1\n");
        CaptiondProperties props = TestProperties.with("captiond.normalise.heif-convert", script.toString(),
                "captiond.normalise.max-pixels", "2000000"); // example.heic: two 1280x854 images, 1.1 MP each

        assertThatThrownBy(() -> convert("example.heic", props))
                .isInstanceOf(RejectedInputException.class)
                .hasMessageContaining("2 images of 2 MP in total, over the limit of 2 MP");
        assertThat(ran).doesNotExist();
    }

    @Test
    void noMoreDecodesRunAtOnceThanHeifParallelism() throws Exception {
        Path lock = tmp.resolve("lock");
        Path overlaps = tmp.resolve("overlaps");
        Path runsLog = tmp.resolve("runs");
        Path script = script("busy", "echo run >> " + runsLog + "\nmkdir " + lock + " 2>/dev/null || echo overlap >> "
                + overlaps + "\nsleep 0.3\nrmdir " + lock + " 2>/dev/null\nexit 1\n");
        CaptiondProperties props = TestProperties.with("captiond.normalise.heif-convert", script.toString(),
                "captiond.normalise.heif-parallelism", "1");
        HeifConverter converter = HeifConverterTest.converter(props);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Path target = tmp.resolve("out" + i + ".jpg");
                runs.add(pool.submit(() -> {
                    Path source = Fixtures.image("example.avif");
                    try {
                        converter.convert(source, target, ImageType.AVIF, ExifFacts.NONE);
                    } catch (RejectedInputException expected) {
                        // the stand-in always fails; only the overlap matters here
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Files.readAllLines(runsLog)).as("every decode ran").hasSize(4);
        assertThat(overlaps).doesNotExist();
    }

    private void convert(String fixture, CaptiondProperties props) throws Exception {
        Path source = Fixtures.image(fixture);
        HeifConverterTest.converter(props).convert(source, tmp.resolve("member.jpg"), ImageSniffer.sniff(source), ExifFacts.read(source));
    }

    @Test
    void childrenDieWithTheDaemonAndTheirConversionLeavesTheFileForTheNextStart() throws Exception {
        Path pids = tmp.resolve("pids");
        Path script = script("slow", "echo $$ > " + pids + "\nexec sleep 300\n");
        LibHeif libHeif = new LibHeif(TestProperties.with("captiond.normalise.heif-convert", script.toString()));
        var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return libHeif.convert(List.of("in.heic", "out.jpg"), tmp);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pids) && !Files.readString(pids).isBlank());
        ProcessHandle child = ProcessHandle.of(Long.parseLong(Files.readString(pids).strip())).orElseThrow();

        libHeif.stopChildren(); // what the JVM's shutdown hook runs

        await().atMost(Duration.ofSeconds(30)).until(() -> !child.isAlive());
        assertThatThrownBy(result::join).hasCauseInstanceOf(io.captiond.support.StoppingException.class);
    }

    @Test
    void aHeifConvertLeftRunningByADaemonThatIsGoneIsKilledAtStartUpAndItsScratchFolderRemoved() throws Exception {
        Process orphan = new ProcessBuilder("sleep", "300").start();
        Path scratch = Files.createTempDirectory(LibHeif.SCRATCH_PREFIX + "999999999-"); // above any pid_max: gone
        Files.writeString(scratch.resolve(".child"), orphan.pid() + " " + orphan.info().startInstant().orElseThrow() + "\n");
        LibHeif libHeif = new LibHeif(TestProperties.with());
        Path ours = libHeif.scratchFolder(); // this daemon's own, in use

        libHeif.cleanLeftovers();

        await().atMost(Duration.ofSeconds(30)).until(() -> !orphan.isAlive());
        assertThat(scratch).doesNotExist();
        assertThat(ours).exists();
        Files.delete(ours);
    }

    private Path script(String name, String body) throws Exception {
        Path script = tmp.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
