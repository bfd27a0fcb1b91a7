package io.captiond.caption.provider;

import io.captiond.support.http.HttpReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captiond.caption.CaptionRequest;
import io.captiond.caption.FatalCaptionException;
import io.captiond.caption.Preview;
import io.captiond.caption.RetryableCaptionException;
import io.captiond.caption.prompt.CaptionPrompt;
import io.captiond.caption.prompt.Prompts;
import io.captiond.caption.throttle.ProviderLimiter;
import io.captiond.support.http.RetryHints;
import io.captiond.config.CaptiondProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicate predictions (protocols.md §3, §5): {@code POST /models/{owner}/{name}/predictions} for
 * an official model, or {@code POST /predictions} with a {@code version}; {@code Prefer: wait=N} so
 * most captions come back in the create response; otherwise {@code urls.get} is polled. The image
 * goes as a data URI, downscaled when it would exceed {@code max-data-uri}: no extra upload request
 * per image, where the files API would cost one more request (and one more rate-limit slot). A clip
 * too large for a data URI does go through the files API ({@link ReplicateFiles}), on a limiter of
 * its own, and its file is deleted once the prediction is over.
 * <p>
 * A create is retried only after a 429 (a throttled create was not created). After a 5xx or a
 * timeout the prediction may exist and be billed, so it is not sent again: the member is
 * quarantined with the reason. Polls (GETs, which count against a separate, larger limit) are
 * retried on 429/5xx/transport errors until {@code timeout}. Output arrays are joined with "".
 * <p>
 * Never paid twice: a created prediction is remembered ({@link ReplicatePredictions}) before it is
 * polled, so after a restart it is polled again, not created again; one captiond gives up on
 * ({@code timeout}) is cancelled; one that failed on a safety check (E005, NSFW) is a refusal and
 * is not created again: the image goes to failed/ with Replicate's reason.
 */
public class ReplicateCaptioner extends ProviderCaptioner {

    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "aborted");
    /** Replicate's safety checker (E005 "flagged as sensitive") and the NSFW filters models run. */
    static final Pattern SAFETY = Pattern.compile("\\bE005\\b|flagged as sensitive|\\bNSFW\\b|safety (?:check|filter)",
            Pattern.CASE_INSENSITIVE);
    private static final Logger log = LoggerFactory.getLogger(ReplicateCaptioner.class);

    private final CaptiondProperties.Replicate config;
    private final ReplicatePredictions predictions;
    private final ReplicateFiles files;

    public ReplicateCaptioner(CaptiondProperties.Replicate config, ProviderHttp http, ProviderLimiter limiter,
            ProviderMetrics metrics, Prompts prompts, CaptiondProperties props, ReplicatePredictions predictions) {
        super("replicate", config.version().isBlank() ? config.model() : config.model() + ":" + config.version(), http,
                limiter, metrics, prompts, props);
        this.config = config;
        this.predictions = predictions;
        this.files = new ReplicateFiles(config.baseUrl(), http, ProviderLimiter.forEndpoint("replicate-files",
                config.filesRpm(), props.rate()), props.rate(), ReplicateCaptioner::detail);
    }

    public ReplicateFiles files() {
        return files;
    }

    @Override
    protected String describe(CaptionRequest request, CaptionPrompt prompt) throws Exception {
        ReplicateFiles.Uploaded uploaded = null;
        try {
            JsonNode prediction = resumed(request);
            if (prediction == null) {
                uploaded = uploadWhenTooLargeForDataUri(request);
                prediction = create(request, prompt, uploaded);
                if (!TERMINAL.contains(prediction.path("status").asText())) {
                    predictions.remember(request, prediction); // before the first poll: a restart resumes it
                }
            }
            return await(request, prediction);
        } finally {
            // once the prediction is over (or was never made); one left for the next start still reads it
            if (uploaded != null && predictions.find(request).isEmpty()) {
                files.delete(uploaded);
            }
        }
    }

    /**
     * A clip over {@code max-data-uri} goes up through the files API while it fits {@code max-upload};
     * null when the data URI (or, for a larger clip or a 413, the sampled frames) is used instead.
     */
    private ReplicateFiles.Uploaded uploadWhenTooLargeForDataUri(CaptionRequest request) throws InterruptedException {
        var clip = request.video();
        if (clip == null || fitsDataUri(clip) || clip.bytes() > config.maxUpload().toBytes()) {
            return null;
        }
        checkMayStart();
        try {
            return files.upload(clip.clip(), clip.facts().mimeType());
        } catch (ReplicateFiles.Refused refused) {
            if (refused.reply().status() == 413) {
                log.info("Replicate refused {} as too large for its files API ({}); captioned from its frames",
                        request.record().output(), detail(refused.reply()));
                return null;
            }
            throw failed("file upload", refused.reply(), false);
        }
    }

    private boolean fitsDataUri(io.captiond.caption.ClipFrames clip) {
        long encoded = (clip.bytes() + 2) / 3 * 4 + 32; // base64 grows by 4/3, plus the "data:…;base64," head
        return encoded <= config.maxDataUri().toBytes();
    }

    /** Polls the prediction to its end (cancelling it at {@code timeout}) and reads its caption. */
    private String await(CaptionRequest request, JsonNode prediction) throws Exception {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        while (!TERMINAL.contains(prediction.path("status").asText())) {
            String get = prediction.path("urls").path("get").asText("");
            if (get.isEmpty()) {
                predictions.forget(request);
                throw new FatalCaptionException("replicate prediction " + prediction.path("id").asText("?")
                        + " is " + prediction.path("status").asText("?") + " and has no urls.get to poll");
            }
            if (!underBase(get)) {
                predictions.forget(request);
                throw new FatalCaptionException("replicate prediction " + prediction.path("id").asText("?")
                        + " is to be polled at " + get + ", outside captiond.replicate.base-url; not followed");
            }
            if (System.nanoTime() > deadline) {
                cancel(request, prediction);
                throw new FatalCaptionException("replicate prediction " + prediction.path("id").asText() + " did not finish "
                        + "within " + config.timeout().toSeconds() + " s (captiond.replicate.timeout); cancelled, and not "
                        + "created again to avoid paying twice");
            }
            prediction = poll(request, get, deadline);
        }
        predictions.forget(request);
        return output(prediction);
    }

    private JsonNode create(CaptionRequest request, CaptionPrompt prompt, ReplicateFiles.Uploaded uploaded)
            throws Exception {
        String base = trimSlash(config.baseUrl());
        ObjectNode body = JSON.createObjectNode();
        String url;
        if (config.version().isBlank()) {
            url = base + "/models/" + config.model() + "/predictions";
        } else {
            url = base + "/predictions";
            body.put("version", config.model() + ":" + config.version());
        }
        body.set("input", uploaded != null ? input(config.videoInput(), uploaded.url(), prompt)
                : request.video() != null ? videoInput(request.video(), prompt) : input(request.preview(), prompt));
        HttpReply reply = send("prediction create", url, Map.of("Prefer", "wait=" + config.waitSeconds()),
                JSON.writeValueAsBytes(body), true);
        try {
            return parse("prediction create", reply);
        } catch (RetryableCaptionException unreadable) { // created (2xx), so a repeat would be billed too
            throw new FatalCaptionException(unreadable.getMessage() + "; the prediction was created, so it is not "
                    + "created again (drop the image again to retry)");
        }
    }

    /**
     * The prediction an earlier run created for this member, read once; null when there is none, or
     * when Replicate no longer has it (then a new one is created).
     */
    private JsonNode resumed(CaptionRequest request) throws InterruptedException {
        var pending = predictions.find(request);
        if (pending.isEmpty()) {
            return null;
        }
        String get = pending.get().get();
        if (get.isEmpty() || !underBase(get)) {
            predictions.forget(request);
            return null;
        }
        checkMayStart();
        HttpReply reply;
        try {
            reply = http.get(get, auth());
        } catch (IOException e) {
            throw new RetryableCaptionException("replicate prediction " + pending.get().id() + " could not be read to "
                    + "resume it: " + e, null, e);
        }
        if (reply.status() == 404) {
            log.info("Replicate no longer knows prediction {}; a new one is created", pending.get().id());
            predictions.forget(request);
            return null;
        }
        if (!reply.ok()) {
            throw new RetryableCaptionException("replicate prediction " + pending.get().id() + " could not be read to "
                    + "resume it: HTTP " + reply.status() + " " + errorMessage(reply));
        }
        log.info("Resuming Replicate prediction {} made before the restart (not created again)", pending.get().id());
        return parse("prediction poll", reply);
    }

    /** POST urls.cancel (a prediction captiond gives up on stops running, and being billed). */
    private void cancel(CaptionRequest request, JsonNode prediction) {
        String id = prediction.path("id").asText("");
        String url = prediction.path("urls").path("cancel").asText("");
        if (url.isEmpty() || !underBase(url)) {
            url = trimSlash(config.baseUrl()) + "/predictions/" + id + "/cancel";
        }
        try {
            HttpReply reply = http.post(url, auth(), new byte[0]);
            if (reply.ok()) {
                log.info("Cancelled Replicate prediction {} after captiond.replicate.timeout", id);
            } else {
                log.warn("Could not cancel Replicate prediction {}: HTTP {} {}", id, reply.status(), errorMessage(reply));
            }
        } catch (IOException e) {
            log.warn("Could not cancel Replicate prediction {}: {}", id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        predictions.forget(request);
    }

    private boolean underBase(String url) {
        return url.startsWith(trimSlash(config.baseUrl()) + "/"); // the token goes to the configured API only
    }

    /** No extra headers: the Replicate client adds the token itself. */
    private static Map<String, String> auth() {
        return Map.of();
    }

    private JsonNode input(Preview preview, CaptionPrompt prompt) throws IOException {
        Preview fitting = preview.fittingIn(config.maxDataUri().toBytes() * 3 / 4); // base64 grows by 4/3
        String dataUri = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(fitting.jpeg());
        return input(config.imageInput(), dataUri, prompt);
    }

    /**
     * The model's input with one file: a field name ending in "s" takes a list and the Gemini-style
     * prompt fields (images[]/videos[], system_instruction, max_output_tokens); otherwise one file,
     * one prompt and max_tokens (LLaVA and the like).
     */
    private ObjectNode input(String field, String dataUri, CaptionPrompt prompt) {
        ObjectNode input = JSON.createObjectNode();
        if (field.endsWith("s")) {
            input.putArray(field).add(dataUri);
            input.put("prompt", prompt.user());
            input.put("system_instruction", prompt.system());
            input.put("max_output_tokens", caption.maxTokens());
        } else {
            input.put(field, dataUri);
            input.put("prompt", prompt.combined());
            input.put("max_tokens", caption.maxTokens());
        }
        if (caption.temperature() != null) {
            input.put("temperature", caption.temperature());
        }
        if (caption.topP() != null) {
            input.put("top_p", caption.topP());
        }
        return input;
    }

    /**
     * A clip goes as a data URI in the model's video input ({@code video-input}; a name ending in "s"
     * takes a list) while it fits {@code max-data-uri} (a larger one was uploaded, see
     * {@link #uploadWhenTooLargeForDataUri}); one too large for the files API too is described from
     * its sampled frames in the image input instead, introduced as frames of one clip.
     */
    private JsonNode videoInput(io.captiond.caption.ClipFrames clip, CaptionPrompt prompt) throws IOException {
        if (!fitsDataUri(clip)) {
            ObjectNode input = (ObjectNode) input(clip.middle(), new CaptionPrompt(prompt.system(),
                    ClipAsFrames.introduction(clip) + prompt.user()));
            if (config.imageInput().endsWith("s")) {
                var images = input.putArray(config.imageInput());
                for (byte[] jpeg : clip.jpegs()) {
                    images.add("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg));
                }
            }
            return input;
        }
        String dataUri = "data:" + clip.facts().mimeType() + ";base64,"
                + Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(clip.clip()));
        return input(config.videoInput(), dataUri, prompt);
    }

    /** One GET of the prediction, waiting out throttles and server errors (polls are never billed). */
    private JsonNode poll(CaptionRequest request, String url, long deadline) throws InterruptedException {
        Duration wait = config.pollInterval();
        while (true) {
            Thread.sleep(wait.toMillis());
            checkMayStart(); // stopping: the prediction stays remembered and is polled after the restart
            HttpReply reply;
            try {
                reply = http.get(url, auth());
            } catch (IOException e) {
                reply = null;
            }
            if (reply != null && reply.ok()) {
                try {
                    return parse("prediction poll", reply);
                } catch (RetryableCaptionException truncated) {
                    // a cut-off poll answer: just poll again
                }
            } else if (reply != null && reply.status() != 429 && reply.status() < 500) {
                predictions.forget(request);
                throw new FatalCaptionException("replicate prediction poll: HTTP " + reply.status() + " "
                        + errorMessage(reply));
            }
            if (System.nanoTime() > deadline) {
                predictions.forget(request);
                throw new FatalCaptionException("replicate prediction at " + url + " could not be read before "
                        + "captiond.replicate.timeout; not created again to avoid paying twice");
            }
            Duration hint = reply == null ? null : RetryHints.first(RetryHints.fromHeaders(reply.headers()),
                    RetryHints.fromText(reply.text()));
            wait = hint != null ? hint : config.pollInterval();
        }
    }

    private String output(JsonNode prediction) {
        String status = prediction.path("status").asText();
        if (!"succeeded".equals(status)) {
            String error = prediction.path("error").asText("");
            if (SAFETY.matcher(error).find()) { // a refusal: a new prediction would be billed for the same answer
                throw new FatalCaptionException("replicate refused to describe the image (prediction "
                        + prediction.path("id").asText("") + " " + status + ": " + error + "); not asked again");
            }
            throw new RetryableCaptionException("replicate prediction " + prediction.path("id").asText("") + " " + status
                    + (error.isBlank() || "null".equals(error) ? "" : ": " + error));
        }
        JsonNode output = prediction.path("output");
        StringBuilder text = new StringBuilder();
        if (output.isArray()) {
            output.forEach(piece -> text.append(piece.asText("")));
        } else if (output.isTextual()) {
            text.append(output.asText());
        } else if (output.isObject()) {
            text.append(output.path("caption").asText(output.path("text").asText("")));
        }
        if (text.toString().isBlank()) {
            throw new RetryableCaptionException("replicate prediction " + prediction.path("id").asText("")
                    + " succeeded without caption text");
        }
        return text.toString();
    }

    @Override
    protected Throttle throttle(HttpReply reply) {
        String detail = detail(reply);
        return new Throttle(false, RetryHints.first(RetryHints.fromHeaders(reply.headers()), RetryHints.fromText(detail)),
                detail);
    }

    @Override
    protected RuntimeException failed(String what, HttpReply reply, boolean createOnly) {
        if (reply.status() == 402) { // billing required / out of credit: the dataset waits, the image is fine
            return throttled(null, new Throttle(true, null, "HTTP 402 " + detail(reply)));
        }
        return super.failed(what, reply, createOnly);
    }

    @Override
    protected String errorMessage(HttpReply reply) {
        return detail(reply);
    }

    /** RFC 7807 problem+json: {@code detail}, sometimes {@code title}. */
    private static String detail(HttpReply reply) {
        JsonNode problem = errorJson(reply);
        if (problem == null || !problem.isObject()) {
            return statusLine(reply);
        }
        String title = problem.path("title").asText("");
        String detail = problem.path("detail").asText(statusLine(reply));
        return title.isEmpty() ? detail : title + ": " + detail;
    }

    @Override
    protected String credentialHint() {
        return "REPLICATE_API_TOKEN";
    }

    @Override
    protected String credentialProperty() {
        return "api-token";
    }
}
