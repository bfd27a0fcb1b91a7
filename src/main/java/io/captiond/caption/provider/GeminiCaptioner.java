package io.captiond.caption.provider;

import io.captiond.support.http.HttpReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captiond.caption.CaptionRequest;
import io.captiond.caption.FatalCaptionException;
import io.captiond.caption.RetryableCaptionException;
import io.captiond.caption.prompt.CaptionPrompt;
import io.captiond.caption.prompt.Prompts;
import io.captiond.caption.throttle.ProviderLimiter;
import io.captiond.support.http.RetryHints;
import io.captiond.config.CaptiondProperties;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Gemini's {@code models/{model}:generateContent} (protocols.md §1): key in {@code x-goog-api-key}
 * (never in the URL, where logs and proxies would keep it), image part before the text part, system
 * instruction, generation config with the thinking budget.
 * <p>
 * Thinking tokens count against {@code maxOutputTokens}: a thinking model can spend the whole budget
 * and answer nothing ({@code finishReason: MAX_TOKENS}, no text). That answer is asked again once at
 * once with four times the budget; if it is still empty the attempt fails with advice.
 */
public class GeminiCaptioner extends ProviderCaptioner {

    /** finishReasons that mean the content was blocked: another attempt gets the same answer. */
    static final Set<String> BLOCKED = Set.of("SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY",
            "IMAGE_PROHIBITED_CONTENT");

    private final CaptiondProperties.Gemini config;
    private final GeminiFiles files;

    public GeminiCaptioner(CaptiondProperties.Gemini config, ProviderHttp http, ProviderLimiter limiter,
            ProviderMetrics metrics, Prompts prompts, CaptiondProperties props) {
        super("gemini", config.model(), http, limiter, metrics, prompts, props);
        this.config = config;
        this.files = new GeminiFiles(config, http, ProviderLimiter.forEndpoint("gemini-files", config.filesRpm(), props.rate()),
                props.rate(),
                this::errorMessage);
    }

    @Override
    protected String describe(CaptionRequest request, CaptionPrompt prompt) throws Exception {
        if (request.video() != null) {
            return describeVideo(request, prompt);
        }
        ObjectNode image = JSON.createObjectNode();
        image.putObject("inlineData").put("mimeType", "image/jpeg")
                .put("data", Base64.getEncoder().encodeToString(request.preview().jpeg()));
        return generate(image, prompt);
    }

    /**
     * A clip goes inline while the encoded request stays under {@code max-inline-video}; a larger one
     * is uploaded through the Files API (its own limiter), used by URI, and deleted afterwards.
     */
    private String describeVideo(CaptionRequest request, CaptionPrompt prompt) throws Exception {
        var clip = request.video();
        ObjectNode video = JSON.createObjectNode();
        if (clip.bytes() * 4 / 3 + 64 * 1024 <= config.maxInlineVideo().toBytes()) {
            video.putObject("inlineData").put("mimeType", clip.facts().mimeType())
                    .put("data", Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(clip.clip())));
            return generate(video, prompt);
        }
        GeminiFiles.Uploaded file = files.upload(clip.clip(), request.record().output(), clip.facts().mimeType());
        try {
            file = files.awaitActive(file);
            video.putObject("fileData").put("mimeType", file.mimeType()).put("fileUri", file.uri());
            return generate(video, prompt);
        } finally {
            files.delete(file);
        }
    }

    /** The Files API client, with its own limiter: uploads never use up the generateContent rate. */
    public GeminiFiles files() {
        return files;
    }

    private String generate(JsonNode media, CaptionPrompt prompt) throws Exception {
        String url = apiRoot(config.baseUrl()) + "/models/" + config.model() + ":generateContent";
        Map<String, String> headers = Map.of("x-goog-api-key", config.apiKey());
        int maxTokens = caption.maxTokens();
        JsonNode answer = parse("generateContent", send("generateContent", url, headers,
                body(media, prompt, maxTokens), false));
        if (thinkingOnly(answer)) {
            maxTokens = maxTokens * 4;
            answer = parse("generateContent", send("generateContent", url, headers,
                    body(media, prompt, maxTokens), false));
            if (thinkingOnly(answer)) {
                throw new RetryableCaptionException("gemini spent all " + maxTokens + " output tokens on thinking ("
                        + answer.path("usageMetadata").path("thoughtsTokenCount").asInt() + " thought tokens) and "
                        + "wrote no caption; set captiond.gemini.thinking-budget=0 (Flash models) or raise "
                        + "captiond.caption.max-tokens");
            }
        }
        return text(answer);
    }

    private byte[] body(JsonNode media, CaptionPrompt prompt, int maxTokens) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("systemInstruction").putArray("parts").addObject().put("text", prompt.system());
        ArrayNode parts = body.putArray("contents").addObject().put("role", "user").putArray("parts");
        parts.add(media); // the picture or clip before the text (Google's prompting advice)
        parts.addObject().put("text", prompt.user());
        ObjectNode generation = body.putObject("generationConfig");
        if (caption.temperature() != null) {
            generation.put("temperature", caption.temperature());
        }
        if (caption.topP() != null) {
            generation.put("topP", caption.topP());
        }
        generation.put("maxOutputTokens", maxTokens);
        if (config.thinkingBudget() != null) {
            generation.putObject("thinkingConfig").put("thinkingBudget", config.thinkingBudget());
        }
        return JSON.writeValueAsBytes(body);
    }

    /** The answer's text (thought parts skipped), or the reason it has none. */
    private String text(JsonNode answer) {
        String blocked = answer.path("promptFeedback").path("blockReason").asText("");
        if (!blocked.isEmpty()) {
            throw new FatalCaptionException("gemini blocked the image (promptFeedback.blockReason " + blocked + ")");
        }
        JsonNode candidate = answer.path("candidates").path(0);
        String finish = candidate.path("finishReason").asText("");
        if (BLOCKED.contains(finish)) {
            throw new FatalCaptionException("gemini refused to describe the image (finishReason " + finish + ")");
        }
        String text = joinText(candidate);
        if (text.isBlank()) {
            throw new RetryableCaptionException("gemini returned no caption text"
                    + (finish.isEmpty() ? " (no candidates)" : " (finishReason " + finish + ")"));
        }
        return text;
    }

    private static String joinText(JsonNode candidate) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (!part.path("thought").asBoolean(false) && part.has("text")) {
                text.append(part.path("text").asText());
            }
        }
        return text.toString();
    }

    private static boolean thinkingOnly(JsonNode answer) {
        JsonNode candidate = answer.path("candidates").path(0);
        return "MAX_TOKENS".equals(candidate.path("finishReason").asText()) && joinText(candidate).isBlank();
    }

    @Override
    protected Throttle throttle(HttpReply reply) {
        JsonNode error = errorJson(reply);
        JsonNode err = error == null ? JSON.createObjectNode() : error.path("error");
        String message = err.path("message").asText(statusLine(reply));
        boolean perDay = false;
        for (JsonNode detail : err.path("details")) {
            for (JsonNode violation : detail.path("violations")) {
                perDay |= violation.path("quotaId").asText().contains("PerDay");
            }
        }
        return new Throttle(perDay, RetryHints.first(RetryHints.fromGoogleDetails(err), RetryHints.fromText(message),
                RetryHints.fromHeaders(reply.headers())), perDay ? "daily quota: " + message : message);
    }

    @Override
    protected String errorMessage(HttpReply reply) {
        JsonNode error = errorJson(reply);
        if (error == null || !error.path("error").isObject()) {
            return statusLine(reply);
        }
        JsonNode err = error.path("error");
        StringBuilder text = new StringBuilder(err.path("status").asText(""));
        text.append(text.isEmpty() ? "" : ": ").append(err.path("message").asText(""));
        for (JsonNode detail : err.path("details")) {
            if (detail.has("reason")) {
                text.append(" [").append(detail.path("reason").asText()).append(']');
            }
        }
        return text.toString();
    }

    /** Gemini answers a wrong key with 400 INVALID_ARGUMENT and reason API_KEY_INVALID, not 401. */
    @Override
    protected String configurationFix(HttpReply reply) {
        if (reply.status() == 400) {
            JsonNode err = errorJson(reply) == null ? JSON.createObjectNode() : errorJson(reply).path("error");
            boolean badKey = err.path("message").asText("").contains("API key not valid");
            for (JsonNode detail : err.path("details")) {
                badKey |= "API_KEY_INVALID".equals(detail.path("reason").asText());
            }
            if (badKey) {
                return "set GEMINI_API_KEY (captiond.gemini.api-key) to a valid key from Google AI Studio";
            }
        }
        return super.configurationFix(reply);
    }

    /**
     * The API root: the base URL as given when it ends in a version ({@code /v1beta}, {@code /v1},
     * {@code /v1alpha}), else with {@code /v1beta} added, so "https://generativelanguage.googleapis.com"
     * works as well as the documented default.
     */
    static String apiRoot(String baseUrl) {
        String trimmed = baseUrl.replaceAll("/+$", "");
        return trimmed.matches(".*/v\\d+(?:alpha|beta)?\\d*") ? trimmed : trimmed + "/v1beta";
    }

    @Override
    protected String credentialHint() {
        return "GEMINI_API_KEY";
    }
}
