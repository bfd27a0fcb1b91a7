package io.captiond.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.Comparator;
import java.util.List;

/**
 * A local server that speaks Replicate's HTTP API as protocols.md §3 records it (response shapes
 * from Replicate's OpenAPI schema and the official clients' recorded cassettes): files, models,
 * trainer versions with their OpenAPI input schema, trainings. Each test sets up the answers of
 * the story it tells; requests are kept for the assertions.
 */
public final class ReplicateFake implements AutoCloseable {

    /** What a test's REPLICATE_API_TOKEN is: it must never show up on disk or in a log. */
    public static final String TOKEN = "r8_TEST-only-not-a-real-token-5ecret";
    public static final String TRAINER_VERSION = "8b10794665aed907bb98a1a5324cd1d3a8bea0e9b31e65210967fb9c9e2e08ed";
    public static final String FILE_ID = "ZjdkMmE4YmItNmI0Zi00NzI0LTk3NTMtZGU2NWE3ZWE5ZWRk";
    public static final String TRAINING_ID = "zz4ibbonubfz7carwiefibzgga";
    public static final String OUTPUT_VERSION = "me/zeke-lora:6f5b8e1c2d3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4";
    public static final String WEIGHTS = "https://replicate.delivery/xezq/abc123/trained_model.tar";

    private final WireMockServer server = new WireMockServer(options().dynamicPort());

    public ReplicateFake() {
        server.start();
    }

    /** What captiond.replicate.base-url is set to. */
    public String baseUrl() {
        return server.baseUrl() + "/v1";
    }

    public String fileUrl() {
        return baseUrl() + "/files/" + FILE_ID;
    }

    public WireMockServer server() {
        return server;
    }

    /** Everything a training needs, answered the way Replicate answers a first training. */
    public ReplicateFake happyPath(String destination) {
        readyToTrain(destination);
        trainingCreated(destination, 201);
        trainingRuns(destination, "succeeded");
        return this;
    }

    /** The trainer, the files API and an existing destination; the training's answers are the test's. */
    public ReplicateFake readyToTrain(String destination) {
        trainer();
        fileUpload();
        destinationExists(destination);
        return this;
    }

    /** {@code GET /v1/models/replicate/fast-flux-trainer}: the model with its latest version and schema. */
    public void trainer() {
        String version = """
                {"id": "%s", "created_at": "2025-05-01T12:00:00.000000Z", "cog_version": "0.14.3",
                   "openapi_schema": {"openapi": "3.0.2", "info": {"title": "Cog", "version": "0.1.0"},
                     "components": {"schemas": {
                       "Input": {"type": "object", "properties": {"prompt": {"type": "string"}}},
                       "TrainingInput": {"type": "object", "title": "TrainingInput", "required": ["input_images"],
                         "properties": {
                           "input_images": {"type": "string", "format": "uri", "title": "Input Images", "x-order": 0,
                             "description": "A zip file containing the images that will be used for training."},
                           "trigger_word": {"type": "string", "default": "TOK", "x-order": 1},
                           "lora_type": {"allOf": [{"$ref": "#/components/schemas/lora_type"}], "default": "subject",
                             "x-order": 2},
                           "training_steps": {"type": "integer", "default": 1000, "minimum": 10, "maximum": 4000,
                             "x-order": 3}}},
                       "lora_type": {"enum": ["subject", "style"], "type": "string", "title": "lora_type",
                         "description": "An enumeration."}}}}}""".formatted(TRAINER_VERSION);
        server.stubFor(get(urlEqualTo("/v1/models/replicate/fast-flux-trainer")).willReturn(json(200, """
                {"url": "https://replicate.com/replicate/fast-flux-trainer", "owner": "replicate",
                 "name": "fast-flux-trainer", "visibility": "public", "run_count": 12345,
                 "latest_version": %s}
                """.formatted(version))));
        // the same version by id: a state that recorded the pinned trainer reads it from here
        server.stubFor(get(urlEqualTo("/v1/models/replicate/fast-flux-trainer/versions/" + TRAINER_VERSION))
                .willReturn(json(200, version)));
    }

    /** A video trainer (zsxkib/hunyuan-video-lora's shape: the zip goes in {@code input_videos}). */
    public static final String VIDEO_TRAINER = "zsxkib/hunyuan-video-lora";
    public static final String VIDEO_TRAINER_VERSION = "04279caf015c29b6e7a3a0e1ec1b9e4a3e9c9e36e9d4d1f8b8c3c76b0c2ad2f1";

    /**
     * {@code GET /v1/models/zsxkib/hunyuan-video-lora}: its schema's TrainingInput as the trainer's
     * train() declares it ({@code input_videos}: "A zip file containing videos and matching .txt
     * captions."); trainings on it answered as {@link #trainingCreated} does.
     */
    public void videoTrainer(String destination) {
        String version = """
                {"id": "%s", "created_at": "2025-01-10T12:00:00.000000Z", "cog_version": "0.13.6",
                   "openapi_schema": {"openapi": "3.0.2", "info": {"title": "Cog", "version": "0.1.0"},
                     "components": {"schemas": {
                       "TrainingInput": {"type": "object", "title": "TrainingInput", "properties": {
                         "input_videos": {"type": "string", "format": "uri", "title": "Input Videos", "x-order": 0,
                           "description": "A zip file containing videos and matching .txt captions."},
                         "trigger_word": {"type": "string", "default": "TOK", "x-order": 1},
                         "epochs": {"type": "integer", "default": 16, "minimum": 1, "maximum": 2000, "x-order": 2}}}}}}}
                """.formatted(VIDEO_TRAINER_VERSION);
        server.stubFor(get(urlEqualTo("/v1/models/" + VIDEO_TRAINER)).willReturn(json(200, """
                {"url": "https://replicate.com/%s", "owner": "zsxkib", "name": "hunyuan-video-lora",
                 "visibility": "public", "latest_version": %s}""".formatted(VIDEO_TRAINER, version))));
        server.stubFor(post(urlEqualTo("/v1/models/" + VIDEO_TRAINER + "/versions/" + VIDEO_TRAINER_VERSION + "/trainings"))
                .willReturn(json(201, training(destination, "starting"))));
    }

    public List<LoggedRequest> videoTrainingPosts() {
        return requests("POST", "/v1/models/" + VIDEO_TRAINER + "/versions/" + VIDEO_TRAINER_VERSION + "/trainings");
    }

    /** {@code POST /v1/files}: 201 with the file object (shape of the files-operations cassette). */
    public void fileUpload() {
        server.stubFor(post(urlEqualTo("/v1/files")).willReturn(json(201, """
                {"id": "%s", "name": "training.zip", "content_type": "application/zip", "size": 1024,
                 "etag": "0f4fe3a3f6e2e1c4", "checksums": {"sha256": "9e1c", "md5": "0f4f"}, "metadata": {},
                 "created_at": "2026-11-25T01:00:00.000Z", "expires_at": "2026-11-26T01:00:00.000Z",
                 "urls": {"get": "%s"}}
                """.formatted(FILE_ID, fileUrl()))));
    }

    public void destinationExists(String destination) {
        server.stubFor(get(urlEqualTo("/v1/models/" + destination)).willReturn(json(200, model(destination))));
    }

    /** 404 until {@code POST /v1/models} created it, then 200. */
    public void destinationMissing(String destination) {
        server.stubFor(get(urlEqualTo("/v1/models/" + destination)).inScenario("destination")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(404, "{\"detail\": \"Not found.\", \"status\": 404}")));
        server.stubFor(post(urlEqualTo("/v1/models")).inScenario("destination").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("created").willReturn(json(201, model(destination))));
        server.stubFor(get(urlEqualTo("/v1/models/" + destination)).inScenario("destination")
                .whenScenarioStateIs("created").willReturn(json(200, model(destination))));
    }

    /** {@code POST .../trainings} answered with {@code status} (201: the training object). */
    public void trainingCreated(String destination, int status) {
        server.stubFor(createTraining().willReturn(status == 201 ? json(201, training(destination, "starting"))
                : json(status, "{\"detail\": \"Internal Server Error\", \"status\": " + status + "}")));
    }

    public MappingBuilder createTraining() {
        return post(urlEqualTo("/v1/models/replicate/fast-flux-trainer/versions/" + TRAINER_VERSION + "/trainings"));
    }

    /** {@code GET /v1/trainings/{id}}: starting, processing, processing, then {@code end}. */
    public void trainingRuns(String destination, String end) {
        String path = "/v1/trainings/" + TRAINING_ID;
        String[] states = {Scenario.STARTED, "p1", "p2", "end"};
        String[] statuses = {"starting", "processing", "processing", end};
        for (int i = 0; i < states.length; i++) {
            ScenarioMappingBuilder stub = get(urlEqualTo(path)).inScenario("training").whenScenarioStateIs(states[i]);
            if (i + 1 < states.length) {
                stub = stub.willSetStateTo(states[i + 1]);
            }
            server.stubFor(stub.willReturn(json(200, training(destination, statuses[i]))));
        }
    }

    /** {@code GET /v1/trainings/{id}} says processing until {@link #finishTraining} is called. */
    public void trainingKeepsRunning(String destination) {
        server.stubFor(get(urlEqualTo("/v1/trainings/" + TRAINING_ID)).willReturn(json(200, training(destination, "processing"))));
    }

    public void finishTraining(String destination) {
        server.stubFor(get(urlEqualTo("/v1/trainings/" + TRAINING_ID)).willReturn(json(200, training(destination, "succeeded"))));
    }

    /** {@code GET /v1/trainings}: the recent trainings, newest first, this one among them. */
    public void recentTrainingsInclude(String destination) {
        server.stubFor(get(urlPathEqualTo("/v1/trainings")).willReturn(json(200, """
                {"previous": null, "next": null, "results": [
                  {"id": "olderxyzolderxyzolderxyz01", "status": "succeeded", "destination": "someone/else",
                   "input": {"input_images": "https://api.replicate.com/v1/files/other"}, "urls": {}},
                  %s]}
                """.formatted(training(destination, "processing")))));
    }

    public String training(String destination, String status) {
        boolean done = List.of("succeeded", "failed", "canceled", "aborted").contains(status);
        String output = "succeeded".equals(status)
                ? "{\"version\": \"" + OUTPUT_VERSION + "\", \"weights\": \"" + WEIGHTS + "\"}" : "null";
        String error = "failed".equals(status)
                ? "\"Training failed: CUDA out of memory. Tried to allocate 2.00 GiB\"" : "null";
        return """
                {"id": "%s", "model": "replicate/fast-flux-trainer", "version": "%s", "destination": "%s",
                 "input": {"input_images": "%s", "trigger_word": "zeke_portrait", "lora_type": "subject"},
                 "logs": "Loading dataset\\nflux_train_replicate: 10/1000 loss 0.41\\nflux_train_replicate: 1000/1000 loss 0.12\\nSaving LoRA",
                 "output": %s, "error": %s, "status": "%s",
                 "created_at": "2026-11-25T01:00:02.123Z",
                 "started_at": %s, "completed_at": %s,
                 "metrics": %s,
                 "urls": {"get": "%s/trainings/%s", "cancel": "%s/trainings/%s/cancel",
                          "web": "https://replicate.com/p/%s"}}
                """.formatted(TRAINING_ID, TRAINER_VERSION, destination, fileUrl(), output, error, status,
                "starting".equals(status) ? "null" : "\"2026-11-25T01:00:09.500Z\"",
                done ? "\"2026-11-25T01:02:11.000Z\"" : "null", done ? "{\"predict_time\": 121.5}" : "{}",
                baseUrl(), TRAINING_ID, baseUrl(), TRAINING_ID, TRAINING_ID);
    }

    private static String model(String destination) {
        String[] parts = destination.split("/");
        return """
                {"url": "https://replicate.com/%s", "owner": "%s", "name": "%s", "visibility": "private",
                 "hardware": "gpu-t4", "latest_version": null}
                """.formatted(destination, parts[0], parts[1]);
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", status >= 400 ? "application/problem+json" : "application/json").withBody(body);
    }

    /** Requests received, oldest first, with this method and path (any query). */
    public List<LoggedRequest> requests(String method, String path) {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getMethod().getName().equals(method)
                        && (r.getUrl().equals(path) || r.getUrl().startsWith(path + "?")))
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    public List<LoggedRequest> trainingPosts() {
        return requests("POST", "/v1/models/replicate/fast-flux-trainer/versions/" + TRAINER_VERSION + "/trainings");
    }

    @Override
    public void close() {
        server.stop();
    }
}
