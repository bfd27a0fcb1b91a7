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
import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI-compatible {@code POST {base-url}/chat/completions} with the image as a data URI (the only
 * form Ollama accepts), for OpenAI, Ollama's /v1, LM Studio, vLLM, llama.cpp's server and NIM
 * (protocols.md §2). The differences that matter are configuration: the token field
 * ({@code max_tokens} for local servers, which silently ignore {@code max_completion_tokens};
 * {@code max_completion_tokens} for OpenAI's reasoning models) and the key (optional locally).
 * Error bodies are read in both the current {@code {"error":{...}}} and vLLM's older flat shape.
 */
public class OpenAiCaptioner extends ProviderCaptioner {

    private final CaptiondProperties.OpenAi config;

    public OpenAiCaptioner(CaptiondProperties.OpenAi config, ProviderHttp http, ProviderLimiter limiter,
            ProviderMetrics metrics, Prompts prompts, CaptiondProperties props) {
        super("openai", config.model(), http, limiter, metrics, prompts, props);
        this.config = config;
    }

    @Override
    protected String describe(CaptionRequest request, CaptionPrompt prompt) throws Exception {
        Map<String, String> headers = new HashMap<>();
        if (!config.apiKey().isBlank()) {
            headers.put("Authorization", "Bearer " + config.apiKey());
        }
        HttpReply reply = send("chat completion", trimSlash(config.baseUrl()) + "/chat/completions", headers,
                body(request, prompt), false);
        JsonNode choice = parse("chat completion", reply).path("choices").path(0);
        String finish = choice.path("finish_reason").asText("");
        if ("content_filter".equals(finish)) {
            throw new FatalCaptionException("openai filtered the answer (finish_reason content_filter); not asked again");
        }
        JsonNode message = choice.path("message");
        String refusal = message.path("refusal").asText("");
        if (!refusal.isBlank()) {
            // a refusal is paid for and the same image gets the same answer: not asked again
            throw new FatalCaptionException("openai model refused to describe the image (refusal): " + refusal);
        }
        String text = content(message.path("content"));
        if (text.isBlank()) {
            throw new RetryableCaptionException("openai returned no caption text"
                    + (finish.isEmpty() ? "" : " (finish_reason " + finish + ")"));
        }
        return text;
    }

    private byte[] body(CaptionRequest request, CaptionPrompt prompt) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("model", config.model());
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", prompt.system());
        ArrayNode content = messages.addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "text").put("text", request.video() == null ? prompt.user()
                : ClipAsFrames.introduction(request.video()) + prompt.user());
        for (byte[] jpeg : request.video() == null ? java.util.List.of(request.preview().jpeg()) : request.video().jpegs()) {
            ObjectNode image = content.addObject().put("type", "image_url").putObject("image_url")
                    .put("url", "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg));
            if (!"none".equals(config.imageDetail())) {
                image.put("detail", config.imageDetail());
            }
        }
        body.put(config.maxTokensField(), caption.maxTokens());
        if (caption.temperature() != null) {
            body.put("temperature", caption.temperature());
        }
        if (caption.topP() != null) {
            body.put("top_p", caption.topP());
        }
        body.put("stream", false);
        return JSON.writeValueAsBytes(body);
    }

    /** {@code content} is a string, or on some servers a list of text parts. */
    private static String content(JsonNode content) {
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            content.forEach(part -> text.append(part.path("text").asText("")));
            return text.toString();
        }
        return content.asText("");
    }

    @Override
    protected Throttle throttle(HttpReply reply) {
        JsonNode error = error(reply);
        String message = error == null ? statusLine(reply) : error.path("message").asText(statusLine(reply));
        String code = error == null ? "" : error.path("code").asText("") + " " + error.path("type").asText("");
        boolean quota = code.contains("insufficient_quota");
        return new Throttle(quota, RetryHints.first(RetryHints.fromHeaders(reply.headers()), RetryHints.fromText(message),
                RetryHints.fromResetHeader(reply.headers())),
                quota ? "insufficient_quota: " + message : message);
    }

    @Override
    protected String errorMessage(HttpReply reply) {
        JsonNode error = error(reply);
        if (error == null) {
            return statusLine(reply);
        }
        String code = error.path("code").asText("");
        return error.path("message").asText(statusLine(reply)) + (code.isEmpty() || "null".equals(code) ? "" : " [" + code + "]");
    }

    /** {@code {"error":{message,type,code}}}, {@code {"error":"text"}} (Ollama) or vLLM's old flat object. */
    private static JsonNode error(HttpReply reply) {
        JsonNode body = errorJson(reply);
        if (body == null) {
            return null;
        }
        JsonNode error = body.path("error");
        if (error.isObject()) {
            return error;
        }
        if (error.isTextual()) {
            return JSON.createObjectNode().put("message", error.asText());
        }
        return body.has("message") ? body : null;
    }

    @Override
    protected String credentialHint() {
        return "OPENAI_API_KEY";
    }
}
