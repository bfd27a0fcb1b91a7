package io.captiond.upload;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.captiond.support.ReplicateFake.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.Datasets;
import io.captiond.core.Folders;
import io.captiond.core.Packaged;
import io.captiond.support.Json;
import io.captiond.support.PackagedRounds;
import io.captiond.support.ReplicateFake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The upload stage against a local server answering as Replicate does (protocols.md §3.3–3.5), one
 * story per test: what captiond sends, how it reacts to each documented answer, and what it leaves in
 * the manifest, the state file and failed/. The stage's beans run as the upload route runs them
 * (start, then follow; failures to the route's error handler); UploadFlowTest runs the routes.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReplicateTrainingContractTest {

    private static final String DEST = "me/zeke-lora";

    @TempDir
    Path root;
    ReplicateFake replicate;
    Stage stage;
    Packaged round;

    @BeforeEach
    void setUp() {
        replicate = new ReplicateFake();
        stage = new Stage(Map.of());
        round = PackagedRounds.write(root, "zeke_portrait", "zeke_portrait", "", "Landscape_6.jpg", "flower.webp",
                "transparent.png");
    }

    @AfterEach
    void tearDown(CapturedOutput output) {
        replicate.close();
        assertThat(PackagedRounds.filesContaining(root, ReplicateFake.TOKEN)).as("files holding the token").isEmpty();
        assertThat(output.getAll()).as("log output").doesNotContain(ReplicateFake.TOKEN);
    }

    @Test
    void happyPathUploadsTheZipStartsOneTrainingAndWritesItsOutcomeIntoTheManifest() throws Exception {
        replicate.happyPath(DEST);

        UploadState state = stage.run(round);

        assertThat(state.status).isEqualTo("succeeded");
        // the zip went up as the multipart part "content", byte for byte, with the token as Bearer
        List<LoggedRequest> uploads = replicate.requests("POST", "/v1/files");
        assertThat(uploads).hasSize(1);
        assertThat(uploads.get(0).getPart("content").getHeader("Content-Type").firstValue()).isEqualTo("application/zip");
        assertThat(uploads.get(0).getPart("content").getBody().asBytes()).isEqualTo(Files.readAllBytes(round.zip()));
        assertThat(uploads.get(0).getHeader("Authorization")).isEqualTo("Bearer " + ReplicateFake.TOKEN);
        // exactly one training, on the latest trainer version, with the uploaded file and the trigger word
        List<LoggedRequest> posts = replicate.trainingPosts();
        assertThat(posts).hasSize(1);
        JsonNode body = Json.MAPPER.readTree(posts.get(0).getBodyAsString());
        assertThat(body.path("destination").asText()).isEqualTo(DEST);
        assertThat(body.path("input").path("input_images").asText()).isEqualTo(replicate.fileUrl());
        assertThat(body.path("input").path("trigger_word").asText()).isEqualTo("zeke_portrait");
        assertThat(body.path("input").path("lora_type").asText()).as("from caption style 'subject'").isEqualTo("subject");
        assertThat(body.has("webhook")).isFalse();
        // the manifest keeps its fields and gains "upload"
        JsonNode manifest = manifest();
        assertThat(manifest.path("contentSha256").asText()).isEqualTo(round.contentSha256());
        JsonNode upload = manifest.path("upload");
        assertThat(upload.path("status").asText()).isEqualTo("succeeded");
        assertThat(upload.path("fileId").asText()).isEqualTo(ReplicateFake.FILE_ID);
        assertThat(upload.path("trainer").asText()).isEqualTo("replicate/fast-flux-trainer:" + ReplicateFake.TRAINER_VERSION);
        JsonNode training = upload.path("training");
        assertThat(training.path("id").asText()).isEqualTo(ReplicateFake.TRAINING_ID);
        assertThat(training.path("url").asText()).isEqualTo("https://replicate.com/p/" + ReplicateFake.TRAINING_ID);
        assertThat(training.path("outputVersion").asText()).isEqualTo(ReplicateFake.OUTPUT_VERSION);
        assertThat(training.path("weights").asText()).isEqualTo(ReplicateFake.WEIGHTS);
        assertThat(training.path("startedAt").asText()).isEqualTo("2026-11-25T01:00:09.500Z");
        assertThat(training.path("predictSeconds").asDouble()).isEqualTo(121.5);
        assertThat(training.path("logsTail").toString()).contains("Saving LoRA");
        assertThat(upload.path("warnings").toString()).contains("only 3 images");
        assertThat(root.resolve("failed/zeke_portrait/UPLOAD_ERROR.txt")).doesNotExist();
        assertThat(state.summary()).contains("succeeded", ReplicateFake.OUTPUT_VERSION);
    }

    @Test
    void aNewerRoundPackagedAfterTheHandOverDoesNotChangeTheZipThatIsSent() throws Exception {
        replicate.happyPath(DEST);
        byte[] handedOver = Files.readAllBytes(round.zip());
        UploadState state = stage.requests.forPackaged(round);
        // the next round of the dataset replaces outbox/zeke_portrait_training.zip before the upload runs
        PackagedRounds.write(root, "zeke_portrait", "zeke_portrait", "", "flower.webp", "transparent.png");
        assertThat(Files.readAllBytes(round.zip())).isNotEqualTo(handedOver);

        UploadState done = stage.follow(state);

        assertThat(done.status).isEqualTo("succeeded");
        List<LoggedRequest> uploads = replicate.requests("POST", "/v1/files");
        assertThat(uploads).hasSize(1);
        assertThat(uploads.get(0).getPart("content").getBody().asBytes()).isEqualTo(handedOver);
        assertThat(uploads.get(0).getPart("content").getHeader("Content-Disposition").firstValue())
                .contains("filename=\"zeke_portrait_training.zip\"");
        // sent: the snapshot is gone, only the state file stays
        try (var left = Files.list(root.resolve("work/zeke_portrait/.captiond/uploads"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(round.contentSha256() + ".json");
        }
    }

    @Test
    void aRunningTrainingIsHandedToThePollerAndHoldsNoUploadWorker() throws Exception {
        replicate.readyToTrain(DEST);
        replicate.trainingCreated(DEST, 201);
        replicate.trainingKeepsRunning(DEST);
        UploadState state = stage.requests.forPackaged(round);

        UploadState handedOver = stage.follower.follow(stage.starter.start(state)); // the upload route's steps

        assertThat(handedOver.status).isEqualTo("training");          // returned while the training runs on
        assertThat(stage.follower.following(state.key())).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> stage.follower.pollDue() != null
                && replicate.requests("GET", "/v1/trainings/" + ReplicateFake.TRAINING_ID).size() >= 3);
        assertThat(stage.follower.following(state.key())).isTrue();
        assertThat(stage.tracker.active()).as("once mode still waits for it").isEqualTo(1);

        replicate.finishTraining(DEST);
        await().atMost(Duration.ofSeconds(10)).until(() -> stage.follower.pollDue().contains(state));

        assertThat(state.status).isEqualTo("succeeded");
        assertThat(stage.follower.following(state.key())).isFalse();
        assertThat(stage.tracker.active()).isZero();
        assertThat(manifest().path("upload").path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void aMissingDestinationIsCreatedPrivateWithTheConfiguredHardwareThenTrained() throws Exception {
        replicate.trainer();
        replicate.fileUpload();
        replicate.destinationMissing(DEST);
        replicate.trainingCreated(DEST, 201);
        replicate.trainingRuns(DEST, "succeeded");

        assertThat(stage.run(round).status).isEqualTo("succeeded");

        List<LoggedRequest> creates = replicate.requests("POST", "/v1/models");
        assertThat(creates).hasSize(1);
        JsonNode model = Json.MAPPER.readTree(creates.get(0).getBodyAsString());
        assertThat(model.path("owner").asText()).isEqualTo("me");
        assertThat(model.path("name").asText()).isEqualTo("zeke-lora");
        assertThat(model.path("visibility").asText()).isEqualTo("private");
        assertThat(model.path("hardware").asText()).isEqualTo("gpu-t4");
        assertThat(replicate.trainingPosts()).hasSize(1);
    }

    @Test
    void aDestinationThatAppearedMeanwhileAnswersAlreadyExistsAndIsReadAgain() throws Exception {
        replicate.happyPath(DEST);
        replicate.server().stubFor(get(urlEqualTo("/v1/models/" + DEST)).inScenario("race").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("made").willReturn(json(404, "{\"detail\": \"Not found.\", \"status\": 404}")));
        replicate.server().stubFor(post(urlEqualTo("/v1/models")).willReturn(json(400,
                "{\"title\": \"Bad request\", \"detail\": \"A model with that name and owner already exists.\", \"status\": 400}")));

        assertThat(stage.run(round).status).isEqualTo("succeeded");

        assertThat(replicate.requests("POST", "/v1/models")).hasSize(1);
        assertThat(replicate.requests("GET", "/v1/models/" + DEST)).hasSize(2);
        assertThat(replicate.trainingPosts()).hasSize(1);
    }

    @Test
    void aPinnedTrainerVersionIsReadFromItsVersionEndpoint() throws Exception {
        replicate.happyPath(DEST);
        String pinned = "ostris/flux-dev-lora-trainer:" + ReplicateFake.TRAINER_VERSION;
        replicate.server().stubFor(get(urlEqualTo("/v1/models/ostris/flux-dev-lora-trainer/versions/"
                + ReplicateFake.TRAINER_VERSION)).willReturn(json(200, """
                {"id": "%s", "openapi_schema": {"components": {"schemas": {"TrainingInput": {"properties": {
                  "input_images": {"type": "string", "format": "uri"}, "trigger_word": {"type": "string"},
                  "steps": {"type": "integer", "minimum": 3, "maximum": 6000}, "lora_rank": {"type": "integer"},
                  "autocaption": {"type": "boolean"},
                  "hf_token": {"type": "string", "format": "password", "x-cog-secret": true}}}}}}}
                """.formatted(ReplicateFake.TRAINER_VERSION))));
        String path = "/v1/models/ostris/flux-dev-lora-trainer/versions/" + ReplicateFake.TRAINER_VERSION + "/trainings";
        replicate.server().stubFor(post(urlEqualTo(path)).willReturn(json(201, replicate.training(DEST, "starting"))));
        String hfToken = "hf_QmTESTsecretValue0123456789";
        stage = new Stage(Map.of("captiond.upload.trainer", pinned, "captiond.upload.options.steps", "1500",
                "captiond.upload.options.autocaption", "false", "captiond.upload.options.hf_token", hfToken));

        assertThat(stage.run(round).status).isEqualTo("succeeded");

        JsonNode input = Json.MAPPER.readTree(replicate.requests("POST", path).get(0).getBodyAsString()).path("input");
        assertThat(input.path("steps").isIntegralNumber()).isTrue();
        assertThat(input.path("steps").asInt()).isEqualTo(1500);
        assertThat(input.path("autocaption").isBoolean()).isTrue();
        assertThat(input.has("lora_type")).as("this trainer has no lora_type").isFalse();
        // a credential among the trainer inputs goes to Replicate and nowhere else
        assertThat(input.path("hf_token").asText()).isEqualTo(hfToken);
        assertThat(manifest().path("upload").path("options").path("hf_token").asText()).isEqualTo(SecretOptions.PLACEHOLDER);
        assertThat(manifest().path("upload").path("options").path("steps").asInt()).isEqualTo(1500);
        assertThat(PackagedRounds.filesContaining(root, hfToken)).isEmpty();
        assertThat(replicate.requests("GET", "/v1/models/ostris/flux-dev-lora-trainer")).isEmpty();
    }

    @Test
    void a401IsNotRetriedAndSaysToCheckTheToken() throws Exception {
        replicate.happyPath(DEST);
        replicate.server().stubFor(get(urlEqualTo("/v1/models/replicate/fast-flux-trainer")).willReturn(json(401,
                "{\"title\": \"Unauthenticated\", \"detail\": \"You did not pass a valid authentication token\", \"status\": 401}")));

        UploadState state = stage.run(round);

        assertThat(state.status).isEqualTo("error");
        assertThat(replicate.requests("GET", "/v1/models/replicate/fast-flux-trainer")).hasSize(1);
        assertThat(Files.readString(root.resolve("failed/zeke_portrait/UPLOAD_ERROR.txt")))
                .contains("HTTP 401 Unauthenticated", "check REPLICATE_API_TOKEN");
        assertThat(replicate.requests("POST", "/v1/files")).isEmpty();
    }

    @Test
    void aGetThatMeetsA5xxIsAskedAgainWithBackOff() throws Exception {
        replicate.happyPath(DEST);
        replicate.server().stubFor(get(urlEqualTo("/v1/models/replicate/fast-flux-trainer")).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("fine")
                .willReturn(json(502, "{\"detail\": \"Bad Gateway\", \"status\": 502}")));

        assertThat(stage.run(round).status).isEqualTo("succeeded");
        assertThat(replicate.requests("GET", "/v1/models/replicate/fast-flux-trainer")).hasSize(2);
    }

    @Test
    void aTrainingIsFollowedThroughA429AndAPassing404UntilItEnds() throws Exception {
        replicate.happyPath(DEST);
        String poll = "/v1/trainings/" + ReplicateFake.TRAINING_ID;
        replicate.server().stubFor(get(urlEqualTo(poll)).inScenario("hiccups").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("gone").willReturn(json(429, "{\"detail\":\"Request was throttled. Your rate limit resets in ~1s.\",\"status\":429}")));
        replicate.server().stubFor(get(urlEqualTo(poll)).inScenario("hiccups").whenScenarioStateIs("gone")
                .willSetStateTo("back").willReturn(json(404, "{\"detail\":\"Not found.\",\"status\":404}")));
        replicate.server().stubFor(get(urlEqualTo(poll)).inScenario("hiccups").whenScenarioStateIs("back")
                .willReturn(json(200, replicate.training(DEST, "succeeded"))));
        stage = new Stage(Map.of("captiond.upload.max-attempts", "1"));

        UploadState state = stage.run(round);

        assertThat(state.status).isEqualTo("succeeded");
        assertThat(replicate.trainingPosts()).hasSize(1);
        assertThat(replicate.requests("GET", poll)).hasSize(3);
    }

    @Test
    void aTimedOutCreationIsLookedUpInsteadOfPostedAgain() throws Exception {
        replicate.happyPath(DEST);
        replicate.server().stubFor(replicate.createTraining()
                .willReturn(json(201, replicate.training(DEST, "starting")).withFixedDelay(1500)));
        replicate.recentTrainingsInclude(DEST);
        stage = new Stage(Map.of("captiond.upload.request-timeout", "300ms"));

        assertThat(stage.run(round).status).isEqualTo("succeeded");
        assertThat(replicate.trainingPosts()).hasSize(1);
    }

    @Test
    void a422OnCreationIsNotRetriedAndItsDetailReachesTheManifestAndUploadErrorTxt() throws Exception {
        replicate.readyToTrain(DEST);
        replicate.server().stubFor(replicate.createTraining().willReturn(json(422, """
                {"title": "Input validation failed", "detail": "- input.training_steps: Must be less than or equal to 4000",
                 "status": 422, "invalid_fields": [{"type": "less_than_equal", "field": "input.training_steps"}]}
                """)));

        UploadState state = stage.run(round);

        assertThat(state.status).isEqualTo("error");
        assertThat(replicate.trainingPosts()).hasSize(1);
        String error = Files.readString(root.resolve("failed/zeke_portrait/UPLOAD_ERROR.txt"));
        assertThat(error).contains("HTTP 422", "Must be less than or equal to 4000", "No training was started");
        assertThat(manifest().path("upload").path("error").asText()).contains("HTTP 422 Input validation failed");
    }

    @Test
    void optionsTheTrainerSchemaDoesNotKnowAreRefusedBeforeAnythingIsUploaded() throws Exception {
        replicate.happyPath(DEST);
        stage = new Stage(Map.of("captiond.upload.options.steps", "1500", "captiond.upload.options.training_steps", "ten"));

        UploadState state = stage.run(round);

        assertThat(state.status).isEqualTo("rejected");
        assertThat(state.error).contains("unknown option 'steps'", "'training_steps' must be an integer, not 'ten'",
                "It accepts: lora_type, training_steps");
        assertThat(replicate.requests("POST", "/v1/files")).isEmpty();
        assertThat(replicate.trainingPosts()).isEmpty();
        assertThat(Files.readString(root.resolve("failed/zeke_portrait/UPLOAD_ERROR.txt"))).contains("unknown option 'steps'");
    }

    /** A round of two real clips (ffmpeg), as the package stage writes a video dataset. */
    private Packaged clipRound() throws Exception {
        io.captiond.support.Clips.assumeFfmpeg();
        Path made = Files.createDirectories(root.resolve("made"));
        return PackagedRounds.write(root, "kiko_clips", "kiko_clips", "", List.of(
                io.captiond.support.Clips.h264(made, "walk.mp4", 1, 160, 120, false),
                io.captiond.support.Clips.h264(made, "wave.mp4", 1, 160, 120, false)));
    }

    @Test
    void aZipOfClipsGoesToATrainerWhoseSchemaTakesVideoInItsVideoInput() throws Exception {
        replicate.readyToTrain(DEST);
        replicate.videoTrainer(DEST);
        replicate.trainingRuns(DEST, "succeeded");
        stage = new Stage(Map.of("captiond.upload.trainer", ReplicateFake.VIDEO_TRAINER,
                "captiond.upload.options.epochs", "24"));
        Packaged clips = clipRound();

        UploadState state = stage.run(clips);

        assertThat(state.status).isEqualTo("succeeded");
        List<LoggedRequest> uploads = replicate.requests("POST", "/v1/files");
        assertThat(uploads).hasSize(1);
        assertThat(uploads.get(0).getPart("content").getBody().asBytes()).isEqualTo(Files.readAllBytes(clips.zip()));
        List<LoggedRequest> posts = replicate.videoTrainingPosts();
        assertThat(posts).hasSize(1);
        JsonNode input = Json.MAPPER.readTree(posts.get(0).getBodyAsString()).path("input");
        assertThat(input.path("input_videos").asText()).isEqualTo(replicate.fileUrl());
        assertThat(input.has("input_images")).isFalse();
        assertThat(input.path("trigger_word").asText()).isEqualTo("kiko_clips");
        assertThat(input.path("epochs").asLong()).isEqualTo(24);
        assertThat(state.options).containsOnlyKeys("epochs");
        assertThat(replicate.trainingPosts()).as("nothing sent to the image trainer").isEmpty();
    }

    @Test
    void aZipOfClipsIsRefusedForAnImageTrainerBeforeAnythingIsUploaded() throws Exception {
        replicate.happyPath(DEST);
        Packaged clips = clipRound();

        UploadState state = stage.run(clips);

        assertThat(state.status).isEqualTo("rejected");
        assertThat(state.error).contains("2 video clip(s) ('walk.mp4')", "replicate/fast-flux-trainer takes images only",
                "captiond.upload.trainer", "captiond.upload.trainer-takes-video=true");
        assertThat(replicate.requests("POST", "/v1/files")).isEmpty();
        assertThat(replicate.trainingPosts()).isEmpty();
        assertThat(Files.readString(root.resolve("failed/kiko_clips/UPLOAD_ERROR.txt"))).contains("takes images only");
    }

    @Test
    void theConfiguredOverrideLetsClipsGoToATrainerWhoseSchemaDoesNotSayVideo() throws Exception {
        replicate.happyPath(DEST);
        stage = new Stage(Map.of("captiond.upload.trainer-takes-video", "true"));

        UploadState state = stage.run(clipRound());

        assertThat(state.status).isEqualTo("succeeded");
        JsonNode input = Json.MAPPER.readTree(replicate.trainingPosts().get(0).getBodyAsString()).path("input");
        assertThat(input.path("input_images").asText()).isEqualTo(replicate.fileUrl());
    }

    @Test
    void a429WaitsAsLongAsItsDetailSaysThenCreatesTheTrainingOnce(CapturedOutput output) throws Exception {
        replicate.happyPath(DEST);
        replicate.server().stubFor(replicate.createTraining().inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("open").willReturn(json(429,
                        "{\"detail\": \"Request was throttled. Your rate limit resets in ~1s.\", \"status\": 429}")));
        replicate.server().stubFor(replicate.createTraining().inScenario("throttle").whenScenarioStateIs("open")
                .willReturn(json(201, replicate.training(DEST, "starting"))));

        assertThat(stage.run(round).status).isEqualTo("succeeded");

        List<LoggedRequest> posts = replicate.trainingPosts();
        assertThat(posts).hasSize(2);
        long waited = posts.get(1).getLoggedDate().getTime() - posts.get(0).getLoggedDate().getTime();
        assertThat(waited).as("ms between the throttled POST and the next").isGreaterThanOrEqualTo(950);
        assertThat(output.getAll()).contains("resets in ~1s");
    }

    @Test
    void aLost5xxAnswerOnCreationIsLookedUpInsteadOfPostedAgain() throws Exception {
        replicate.happyPath(DEST);
        replicate.trainingCreated(DEST, 503);            // the training was made, the answer was lost
        replicate.recentTrainingsInclude(DEST);

        UploadState state = stage.run(round);

        assertThat(state.status).isEqualTo("succeeded");
        assertThat(replicate.trainingPosts()).as("POSTs of a training").hasSize(1);
        assertThat(replicate.requests("GET", "/v1/trainings").size())
                .isPositive();
        assertThat(state.training.id()).isEqualTo(ReplicateFake.TRAINING_ID);
    }

    @Test
    void aCreationThatNeverGotAnAnswerIsLookedUpByTheNextRoundNotPostedAgain() throws Exception {
        replicate.happyPath(DEST);
        replicate.trainingCreated(DEST, 503);            // made, but every answer is lost
        replicate.server().stubFor(get(urlPathEqualTo("/v1/trainings"))
                .willReturn(json(200, "{\"previous\": null, \"next\": null, \"results\": []}"))); // not listed yet
        stage = new Stage(Map.of("captiond.upload.max-attempts", "1"));

        UploadState first = stage.run(round);

        assertThat(first.status).isEqualTo("error");
        replicate.recentTrainingsInclude(DEST);           // Replicate lists it now
        UploadState second = stage.run(round);            // trigger.done again, same content

        assertThat(second.status).isEqualTo("succeeded");
        assertThat(second.training.id()).isEqualTo(ReplicateFake.TRAINING_ID);
        assertThat(replicate.trainingPosts()).as("POSTs of a training").hasSize(1);
    }

    @Test
    void aFailedTrainingIsRecordedWithItsErrorAndNotStartedAgain() throws Exception {
        replicate.readyToTrain(DEST);
        replicate.trainingCreated(DEST, 201);
        replicate.trainingRuns(DEST, "failed");

        UploadState state = stage.run(round);

        assertThat(state.status).isEqualTo("failed");
        JsonNode training = manifest().path("upload").path("training");
        assertThat(training.path("status").asText()).isEqualTo("failed");
        assertThat(training.path("error").asText()).contains("CUDA out of memory");
        assertThat(Files.readString(root.resolve("failed/zeke_portrait/UPLOAD_ERROR.txt")))
                .contains("training failed", "CUDA out of memory", "https://replicate.com/p/" + ReplicateFake.TRAINING_ID);
        // the same content packaged again: no second training
        assertThat(stage.requests.forPackaged(round)).isNull();
        assertThat(replicate.trainingPosts()).hasSize(1);
    }

    @Test
    void aRestartInTheMiddleOfPollingResumesTheSameTrainingAndNeverCreatesASecond() throws Exception {
        replicate.readyToTrain(DEST);
        replicate.trainingCreated(DEST, 201);
        replicate.trainingKeepsRunning(DEST);

        Stage first = stage;
        CompletableFuture<UploadState> running = CompletableFuture.supplyAsync(() -> first.run(round));
        Path stateFile = first.store.stateFile("zeke_portrait", round.contentSha256());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(stateFile)
                && Json.MAPPER.readTree(stateFile.toFile()).path("training").path("status").asText().equals("processing"));
        first.tracker.stop();                                        // captiond stops (or is killed) here
        assertThat(running.get().status).isEqualTo("training");
        assertThat(manifest().path("upload").path("training").path("id").asText()).isEqualTo(ReplicateFake.TRAINING_ID);

        replicate.finishTraining(DEST);
        Stage second = new Stage(Map.of());                           // the next start
        List<UploadState> resumed = second.requests.unfinished();
        assertThat(resumed).hasSize(1);
        assertThat(second.requests.forPackaged(round)).as("the same zip while it is being followed").isNull();
        UploadState state = second.follow(resumed.get(0));

        assertThat(state.status).isEqualTo("succeeded");
        assertThat(replicate.trainingPosts()).hasSize(1);
        assertThat(replicate.requests("POST", "/v1/files")).hasSize(1);
        assertThat(manifest().path("upload").path("training").path("outputVersion").asText())
                .isEqualTo(ReplicateFake.OUTPUT_VERSION);
        assertThat(new Stage(Map.of()).requests.unfinished()).isEmpty();
    }

    @Test
    void aZipOverTheFilesLimitIsRefusedWithAdviceAndNothingIsUploaded() throws Exception {
        replicate.happyPath(DEST);
        stage = new Stage(Map.of("captiond.upload.max-zip-size", "100KB"));

        UploadState state = stage.run(round);

        assertThat(state.status).isEqualTo("rejected");
        assertThat(state.error).contains("MiB", "captiond.normalise.max-side", "nothing was uploaded");
        assertThat(replicate.server().getAllServeEvents()).as("requests to Replicate").isEmpty();
        assertThat(replicate.trainingPosts()).isEmpty();
        assertThat(Files.readString(root.resolve("failed/zeke_portrait/UPLOAD_ERROR.txt"))).contains("max-side");
    }

    @Test
    void aZipTheTrainerWouldMisreadIsRefused() throws Exception {
        replicate.happyPath(DEST);
        Packaged single = PackagedRounds.write(root, "solo_cat", "solo_cat", "", "flower.webp");

        UploadState state = stage.run(single);

        assertThat(state.status).isEqualTo("rejected");
        assertThat(state.error).contains("1 image(s)", "at least 2");
        assertThat(replicate.requests("POST", "/v1/files")).isEmpty();
    }

    @Test
    void uploadWishesComeFromTheDaemonThenDatasetYamlThenTriggerDone() throws Exception {
        replicate.happyPath(DEST);
        stage = new Stage(Map.of("captiond.upload.enabled", "false"));
        assertThat(stage.requests.forPackaged(round)).as("upload off").isNull();

        Files.writeString(root.resolve("inbox/zeke_portrait/dataset.yaml"), """
                upload:
                  destination: me/other-lora
                  options: {training_steps: 800}
                """);
        UploadState fromYaml = stage.requests.forPackaged(round);
        assertThat(fromYaml.destination).isEqualTo("me/other-lora");
        assertThat(fromYaml.options).containsEntry("training_steps", 800);
        forget(fromYaml);

        Packaged noted = new Packaged(round.dataset(), round.trigger(), round.zip(), round.manifest(),
                round.contentSha256(), round.images(), "options: {lora_type: style}\ntrainer: ostris/flux-dev-lora-trainer");
        UploadState fromTrigger = stage.requests.forPackaged(noted);
        assertThat(fromTrigger.options).containsEntry("training_steps", 800).containsEntry("lora_type", "style");
        assertThat(fromTrigger.trainer).isEqualTo("ostris/flux-dev-lora-trainer");
        forget(fromTrigger);

        Packaged off = new Packaged(round.dataset(), round.trigger(), round.zip(), round.manifest(),
                round.contentSha256(), round.images(), "no-upload");
        assertThat(stage.requests.forPackaged(off)).isNull();
    }

    /** Drops a queued upload that this test only looked at. */
    private void forget(UploadState state) throws Exception {
        stage.tracker.release(state.key());
        Files.delete(stage.store.stateFile(state.dataset, state.contentSha256));
    }

    private JsonNode manifest() throws Exception {
        return Json.MAPPER.readTree(round.manifest().toFile());
    }

    /** The upload stage's beans on this test's folders, with short waits. */
    final class Stage {
        final CaptiondProperties props;
        final Folders folders;
        final UploadStore store;
        final UploadTracker tracker = new UploadTracker();
        final TrainingStarter starter;
        final TrainingFollower follower;
        final UploadRequests requests;
        final UploadFailures failures;

        Stage(Map<String, String> overrides) {
            Map<String, String> values = new HashMap<>(Map.of(
                    "captiond.inbox", root.resolve("inbox").toString(),
                    "captiond.work", root.resolve("work").toString(),
                    "captiond.outbox", root.resolve("outbox").toString(),
                    "captiond.failed", root.resolve("failed").toString(),
                    "captiond.replicate.base-url", replicate.baseUrl(),
                    "captiond.upload.enabled", "true",
                    "captiond.upload.destination", DEST,
                    "captiond.upload.poll-interval", "20ms",
                    "captiond.upload.poll-max-interval", "60ms",
                    "captiond.upload.retry-delay", "20ms"));
            values.putAll(overrides);
            props = new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("captiond", CaptiondProperties.class);
            folders = new Folders(props);
            store = new UploadStore(folders, new io.captiond.core.ManifestLock());
            ReplicateApi api = new ReplicateApi(java.net.URI.create(props.replicate().baseUrl()), () -> ReplicateFake.TOKEN, props.upload(), tracker);
            starter = new TrainingStarter(api, store, folders, props, tracker);
            requests = new UploadRequests(props, new Datasets(folders), store, tracker);
            failures = new UploadFailures(store, tracker);
            follower = new TrainingFollower(api, store, tracker, failures, props);
        }

        /** The package route's hand-over, then the upload route. */
        UploadState run(Packaged packaged) {
            try {
                UploadState state = requests.forPackaged(packaged);
                return state == null ? store.load(packaged.dataset(), packaged.contentSha256()).orElseThrow() : follow(state);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** What the upload route does with one message, then the training-poll route until the training ends. */
        UploadState follow(UploadState state) {
            try {
                follower.follow(starter.start(state));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                        .until(() -> follower.pollDue() != null && (!follower.following(state.key()) || tracker.stopping()));
                return state;
            } catch (Exception e) {
                Exchange exchange = new DefaultExchange(new DefaultCamelContext());
                exchange.getMessage().setBody(state);
                exchange.setProperty(Exchange.EXCEPTION_CAUGHT, e);
                try {
                    failures.failed(exchange);
                } catch (java.io.IOException io) {
                    throw new java.io.UncheckedIOException(io);
                }
                return state;
            }
        }
    }
}
