package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.captiond.support.CaptiondJar;
import io.captiond.support.DropFolders;
import io.captiond.support.Json;
import io.captiond.support.PackagedRounds;
import io.captiond.support.ReplicateFake;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when": {@code java -jar captiond.jar --captiond.once=true} with uploading on, a
 * dataset with trigger.done, and a local server speaking Replicate's protocol. The run ends with
 * exactly one training, its final state and output in the manifest, and the token nowhere on disk.
 * A second run on the same content starts no second training.
 */
class UploadOnceModeJarIT {

    private static final String DEST = "me/zeke-lora";
    /** The token as a user exports it: in the environment only. */
    private static final Map<String, String> ENV = Map.of("REPLICATE_API_TOKEN", ReplicateFake.TOKEN);

    @TempDir
    Path root;

    @Test
    void onceModeUploadsTrainsWaitsForTheTrainingAndExitsWithTheOutcomeInTheManifest() throws Exception {
        try (ReplicateFake replicate = new ReplicateFake().happyPath(DEST)) {
            DropFolders folders = new DropFolders(root);
            for (String photo : new String[] {"Landscape_6.jpg", "Portrait_5.jpg", "flower.webp", "transparent.png"}) {
                folders.drop("zeke_portrait", photo);
            }
            folders.trigger("zeke_portrait");
            List<String> args = args(replicate, "--captiond.upload.enabled=true");

            CaptiondJar.Run run = CaptiondJar.run(root, args, ENV, 120);

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(replicate.trainingPosts()).hasSize(1);
            JsonNode upload = Json.MAPPER.readTree(folders.manifest("zeke_portrait").toFile()).path("upload");
            assertThat(upload.path("status").asText()).as(run.output()).isEqualTo("succeeded");
            assertThat(upload.path("training").path("outputVersion").asText()).isEqualTo(ReplicateFake.OUTPUT_VERSION);
            assertThat(upload.path("training").path("weights").asText()).isEqualTo(ReplicateFake.WEIGHTS);
            assertThat(run.output()).contains("Training of 'zeke_portrait' succeeded").doesNotContain(ReplicateFake.TOKEN);

            folders.trigger("zeke_portrait"); // the same content packaged again
            CaptiondJar.Run again = CaptiondJar.run(root, args, ENV, 120);

            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(again.output()).contains("already trained");
            assertThat(replicate.trainingPosts()).hasSize(1);
            assertThat(Json.MAPPER.readTree(folders.manifest("zeke_portrait").toFile()).path("upload").path("status").asText())
                    .isEqualTo("succeeded");
            assertThat(PackagedRounds.filesContaining(root, ReplicateFake.TOKEN)).as("files holding the token").isEmpty();
        }
    }

    @Test
    void aTrainingStillRunningWhenOnceModeGivesUpIsPolledAgainByTheNextRunNeverStartedAgain() throws Exception {
        try (ReplicateFake replicate = new ReplicateFake()) {
            replicate.readyToTrain(DEST);
            replicate.trainingCreated(DEST, 201);
            replicate.trainingKeepsRunning(DEST);
            DropFolders folders = new DropFolders(root);
            folders.drop("zeke_portrait", "Landscape_6.jpg");
            folders.drop("zeke_portrait", "flower.webp");
            folders.write("zeke_portrait", "trigger.done", "upload");
            List<String> args = args(replicate, "--captiond.once-mode.max-wait=12s");

            CaptiondJar.Run first = CaptiondJar.run(root, args, ENV, 120);

            assertThat(first.exitCode()).as(first.output()).isZero();
            assertThat(first.output()).contains("gave up waiting", "still running on Replicate");
            JsonNode upload = Json.MAPPER.readTree(folders.manifest("zeke_portrait").toFile()).path("upload");
            assertThat(upload.path("status").asText()).isEqualTo("training");
            assertThat(upload.path("training").path("id").asText()).isEqualTo(ReplicateFake.TRAINING_ID);

            replicate.finishTraining(DEST);
            CaptiondJar.Run second = CaptiondJar.run(root, args, ENV, 120);

            assertThat(second.exitCode()).as(second.output()).isZero();
            assertThat(second.output()).contains("Resuming the upload of 'zeke_portrait'", "succeeded");
            assertThat(replicate.trainingPosts()).hasSize(1);
            assertThat(replicate.requests("POST", "/v1/files")).hasSize(1);
            assertThat(Json.MAPPER.readTree(folders.manifest("zeke_portrait").toFile()).path("upload").path("training")
                    .path("outputVersion").asText()).isEqualTo(ReplicateFake.OUTPUT_VERSION);
            assertThat(PackagedRounds.filesContaining(root, ReplicateFake.TOKEN)).isEmpty();
        }
    }

    /** Once mode on these folders against the fake, polling fast, the offline captioner; plus {@code extra}. */
    private List<String> args(ReplicateFake replicate, String extra) {
        List<String> args = new ArrayList<>(CaptiondJar.folderArgs(root));
        args.addAll(List.of("--captiond.once=true", "--captiond.provider=basic", "--captiond.upload.destination=" + DEST,
                "--captiond.replicate.base-url=" + replicate.baseUrl(), "--captiond.upload.poll-interval=50ms",
                "--captiond.upload.poll-max-interval=200ms", extra));
        return args;
    }
}
