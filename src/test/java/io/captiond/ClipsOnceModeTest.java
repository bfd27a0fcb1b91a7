package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.support.DropFolders;
import io.captiond.support.PhoneClips;
import io.captiond.support.RecordedExit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Done-when of the video issue, once per provider (a subclass each, with a local server speaking
 * the provider's API): a folder of phone clips, dropped before the daemon starts, becomes a video
 * dataset zip in once mode, the daemon ending with status 0 by itself; the zip holds
 * {@code <clip>.mp4} + {@code <clip>.txt} at its root, the portrait clip upright, and every caption
 * is the provider's answer cleaned into a video caption with the trigger word.
 */
@CamelSpringBootTest
@DirtiesContext // once mode: this daemon is done after the class
@SpringBootTest(classes = {CaptiondApplication.class, RecordedExit.class})
abstract class ClipsOnceModeTest {

    /** What every provider's stub answers, in its own shape and with its own noise around it. */
    static final String ANSWER = "A person turns toward the camera, handheld.";

    @TempDir
    static Path root;
    @TempDir
    static Path made;
    static DropFolders folders;
    static List<String> stems;

    @Autowired
    RecordedExit.Recorder exit;

    /** From the subclass's {@code @BeforeAll}: the clips and trigger.done are in the inbox before the daemon starts. */
    static void dropClips(String dataset) throws Exception {
        folders = new DropFolders(root);
        stems = PhoneClips.drop(folders, dataset, made);
    }

    /** From the subclass's {@code @DynamicPropertySource}: these folders, once mode, a fast rate window. */
    static void onceMode(DynamicPropertyRegistry registry) {
        folders.register(registry);
        registry.add("captiond.once", () -> "true");
        registry.add("captiond.rate.rpm", () -> "600");
        registry.add("captiond.rate.window", () -> "1s");
    }

    /** Once mode ended with 0, and the dataset's zip is the video dataset it should be. */
    void assertOnceModeMadeTheVideoZip(String dataset) throws Exception {
        assertThat(exit.await(Duration.ofMinutes(3))).as("once mode's exit status").isZero();
        PhoneClips.assertVideoZip(folders.awaitZip(dataset, Duration.ofSeconds(5)), stems,
                "video of " + dataset + ", a person turns toward the camera, handheld.", made);
    }
}
