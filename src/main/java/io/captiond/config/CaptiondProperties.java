package io.captiond.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The one configuration tree of captiond (prefix {@code captiond}). Names follow the design notes;
 * environment variables bind through Spring's relaxed binding ({@code CAPTIOND_INBOX=...}).
 */
@Validated
@ConfigurationProperties("captiond")
public record CaptiondProperties(
        @NotNull @DefaultValue("inbox") Path inbox,
        @NotNull @DefaultValue("work") Path work,
        @NotNull @DefaultValue("outbox") Path outbox,
        @NotNull @DefaultValue("failed") Path failed,
        @DefaultValue("false") boolean once,
        @NotBlank @Pattern(regexp = "auto|basic|gemini|openai|replicate",
                message = "must be one of auto, basic, gemini, openai, replicate")
        @DefaultValue("auto") String provider,
        @Valid @NotNull @DefaultValue Watch watch,
        @Valid @NotNull @DefaultValue Normalise normalise,
        @Valid @NotNull @DefaultValue Caption caption,
        @Valid @NotNull @DefaultValue Rate rate,
        @Valid @NotNull @DefaultValue Gemini gemini,
        @Valid @NotNull @DefaultValue OpenAi openai,
        @Valid @NotNull @DefaultValue Replicate replicate,
        @Valid @NotNull @DefaultValue Upload upload,
        @Valid @NotNull @DefaultValue Once onceMode,
        @Valid @NotNull @DefaultValue Ui ui) {

    /** How the inbox is polled and when a file counts as completely written. */
    public record Watch(
            @NotNull @DefaultValue("1s") Duration pollInterval,
            @NotNull @DefaultValue("2s") Duration quietPeriod,
            @Min(1) @DefaultValue("200") int maxFilesPerPoll) {
    }

    /** Limits and output choices of the normalise stage. */
    public record Normalise(
            @Min(1) @DefaultValue("100000000") long maxPixels,
            @NotNull @DefaultValue("64MB") DataSize maxBytes,
            @Min(0) @DefaultValue("0") int maxSide,
            @Min(64) @DefaultValue("1536") int captionSide,
            @DefaultValue("true") boolean stripGps,
            @NotBlank @Pattern(regexp = "#[0-9a-fA-F]{6}") @DefaultValue("#FFFFFF") String background,
            @NotBlank @DefaultValue("heif-convert") String heifConvert,
            @NotNull @DefaultValue("120s") Duration heifTimeout,
            @Min(1) @DefaultValue("2") int heifParallelism) {
    }

    /**
     * What the captions look like and what the vision model is asked. Sampling parameters left
     * unset are not sent, so each model keeps its own default. {@code existing} says what a caption
     * the user dropped as {@code <stem>.txt} does: {@code keep} (it is the caption), {@code append}
     * (the model captions, the user's words follow) or {@code overwrite} (the model's caption wins).
     */
    public record Caption(
            @NotBlank @Pattern(regexp = "subject|style|character|product") @DefaultValue("subject") String style,
            @NotBlank @DefaultValue("photo of {trigger}, {caption}") String template,
            @NotBlank @Pattern(regexp = "template|anchor") @DefaultValue("template") String triggerMode,
            @NotBlank @Pattern(regexp = "short|long") @DefaultValue("short") String length,
            Path promptFile,
            @DefaultValue("") String prefix,
            @DefaultValue("") String suffix,
            @Valid @DefaultValue List<Replacement> replace,
            @DecimalMin("0") @DecimalMax("2") Double temperature,
            @DecimalMin("0") @DecimalMax("1") Double topP,
            @Min(16) @DefaultValue("512") int maxTokens,
            @NotBlank @Pattern(regexp = "keep|append|overwrite") @DefaultValue("keep") String existing) {

        public Caption {
            replace = replace == null ? List.of() : List.copyOf(replace);
        }
    }

    /** A find/replace rule applied to every caption (plain text, case-sensitive). */
    public record Replacement(@NotBlank String find, @NotNull @DefaultValue("") String with) {
    }

    /**
     * Throttle and retries, shared by every dataset. {@code window} is the period {@code rpm} is
     * counted over: a minute, shortened only by tests and the bench's time scale.
     */
    public record Rate(
            @Min(0) @DefaultValue("0") int rpm,
            @Min(1) @DefaultValue("2") int concurrency,
            @Min(1) @DefaultValue("5") int maxAttempts,
            @NotNull @DefaultValue("1m") Duration window,
            @NotNull @DefaultValue("2s") Duration backoffBase,
            @NotNull @DefaultValue("60s") Duration backoffMax,
            @NotNull @DefaultValue("5m") Duration maxRetryAfter,
            @NotNull @DefaultValue("1h") Duration quotaPause,
            @NotNull @DefaultValue("10s") Duration connectTimeout) {
    }

    /** Google's Gemini API ({@code models/{model}:generateContent}); the key comes from GEMINI_API_KEY. */
    public record Gemini(
            @NotBlank @DefaultValue("https://generativelanguage.googleapis.com/v1beta") String baseUrl,
            @NotBlank @DefaultValue("gemini-2.5-flash") String model,
            @DefaultValue("") String apiKey,
            @Min(-1) @DefaultValue("0") Integer thinkingBudget,
            @Min(1) @DefaultValue("8") int defaultRpm,
            @NotNull @DefaultValue("120s") Duration timeout) {

        @Override
        public String toString() {
            return "Gemini[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + Secrets.mask(apiKey)
                    + ", thinkingBudget=" + thinkingBudget + ", defaultRpm=" + defaultRpm + ", timeout=" + timeout + "]";
        }
    }

    /**
     * Any OpenAI-compatible chat-completions server (OpenAI, Ollama's /v1, LM Studio, vLLM,
     * llama.cpp, NIM). The key (OPENAI_API_KEY) is optional for local servers. Local servers only
     * read {@code max_tokens}; OpenAI's reasoning models only accept {@code max_completion_tokens}.
     */
    public record OpenAi(
            @DefaultValue("") String baseUrl,
            @DefaultValue("") String model,
            @DefaultValue("") String apiKey,
            @NotBlank @Pattern(regexp = "max_tokens|max_completion_tokens") @DefaultValue("max_tokens") String maxTokensField,
            @NotBlank @Pattern(regexp = "auto|low|high|none") @DefaultValue("auto") String imageDetail,
            @Min(1) @DefaultValue("60") int defaultRpm,
            @NotNull @DefaultValue("300s") Duration timeout) {

        @Override
        public String toString() {
            return "OpenAi[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + Secrets.mask(apiKey)
                    + ", maxTokensField=" + maxTokensField + ", imageDetail=" + imageDetail + ", defaultRpm=" + defaultRpm
                    + ", timeout=" + timeout + "]";
        }
    }

    /**
     * Replicate predictions. {@code model} is an official model ({@code owner/name}), or with
     * {@code version} any model version. {@code imageInput} names the model's image input: a name
     * ending in "s" ({@code images}, Gemini on Replicate) takes a list, otherwise one file.
     */
    public record Replicate(
            @NotBlank @DefaultValue("https://api.replicate.com/v1") String baseUrl,
            @NotBlank @DefaultValue("google/gemini-2.5-flash") String model,
            @DefaultValue("") String version,
            @DefaultValue("") String apiToken,
            @NotBlank @DefaultValue("images") String imageInput,
            @Min(1) @Max(60) @DefaultValue("60") int waitSeconds,
            @NotNull @DefaultValue("1s") Duration pollInterval,
            @NotNull @DefaultValue("7MB") DataSize maxDataUri,
            @Min(1) @DefaultValue("60") int defaultRpm,
            @NotNull @DefaultValue("10m") Duration timeout) {

        @Override
        public String toString() {
            return "Replicate[baseUrl=" + baseUrl + ", model=" + model + ", version=" + version + ", apiToken="
                    + Secrets.mask(apiToken) + ", imageInput=" + imageInput + ", waitSeconds=" + waitSeconds
                    + ", pollInterval=" + pollInterval + ", maxDataUri=" + maxDataUri + ", defaultRpm=" + defaultRpm
                    + ", timeout=" + timeout + "]";
        }
    }

    /** Once mode: how long to wait for files that are still being written before giving up. */
    public record Once(@NotNull @DefaultValue("10m") Duration maxWait) {
    }

    /**
     * Chaining a packaged dataset into a Replicate training. {@code options} are the trainer's inputs
     * (lora_type, steps, lora_rank, learning_rate...), checked against the trainer version's schema.
     */
    public record Upload(
            @DefaultValue("false") boolean enabled,
            @Pattern(regexp = "[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", message = "must be owner/name") String destination,
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(:[0-9a-f]{64})?",
                    message = "must be owner/name or owner/name:version (64 hex digits)")
            @DefaultValue("replicate/fast-flux-trainer") String trainer,
            @NotBlank @DefaultValue("gpu-t4") String hardware,
            @NotBlank @Pattern(regexp = "private|public") @DefaultValue("private") String visibility,
            java.net.URI webhook,
            java.util.Map<String, String> options,
            @NotNull @DefaultValue("100MB") DataSize maxZipSize,
            @NotNull @DefaultValue("2s") Duration pollInterval,
            @NotNull @DefaultValue("30s") Duration pollMaxInterval,
            @NotNull @DefaultValue("1s") Duration retryDelay,
            @Min(1) @DefaultValue("5") int maxAttempts,
            @NotNull @DefaultValue("60s") Duration requestTimeout,
            @NotNull @DefaultValue("30m") Duration fileTimeout) {

        public Upload {
            options = options == null ? java.util.Map.of() : java.util.Map.copyOf(options);
        }

        /** Option names only: trainer inputs may be credentials (hf_token, wandb_api_key). */
        @Override
        public String toString() {
            return "Upload[enabled=" + enabled + ", destination=" + destination + ", trainer=" + trainer + ", hardware="
                    + hardware + ", visibility=" + visibility + ", webhook=" + (webhook == null ? "(none)" : "(set)")
                    + ", options=" + new java.util.TreeSet<>(options.keySet()) + ", maxZipSize=" + maxZipSize + "]";
        }
    }

    /**
     * The review station (io.captiond.web) at {@code http://<bind-address>:<server.port>/}. An empty
     * password makes captiond generate one at first start, print it once and keep it under
     * {@code <work>/.captiond/ui-password}. Uploads are limited per file, per request and in count.
     */
    public record Ui(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("") String password,
            @NotBlank @DefaultValue("0.0.0.0") String bindAddress,
            @NotNull @DefaultValue("64MB") DataSize maxFileSize,
            @NotNull @DefaultValue("1GB") DataSize maxRequestSize,
            @Min(1) @DefaultValue("500") int maxFiles,
            @Min(1) @DefaultValue("10") int captionHistory) {

        @Override
        public String toString() {
            return "Ui[enabled=" + enabled + ", password=" + Secrets.mask(password) + ", bindAddress=" + bindAddress
                    + ", maxFileSize=" + maxFileSize + ", maxRequestSize=" + maxRequestSize + ", maxFiles=" + maxFiles
                    + ", captionHistory=" + captionHistory + "]";
        }
    }
}
