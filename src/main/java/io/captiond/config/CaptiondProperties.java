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

/**
 * The one configuration tree of captiond (prefix {@code captiond}). Names follow the design notes;
 * environment variables bind through Spring's relaxed binding ({@code CAPTIOND_INBOX=...}). The
 * constraints are checked at binding by {@link SettingsValidator} (not {@code @Validated}: it says why).
 */
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
        @Valid @NotNull @DefaultValue Faults faults,
        @Valid @NotNull @DefaultValue Video video,
        @org.springframework.boot.context.properties.bind.Name("package") @Valid @NotNull @DefaultValue Packaging packaging,
        @Valid @NotNull @DefaultValue Report report,
        @Valid @NotNull @DefaultValue Ui ui) {

    /**
     * Faults of the machine (a full disk, a read-only or unwritable folder): captiond pauses and
     * probes its folders every {@code probeInterval}; it resumes once a probe write succeeds and, after
     * a full disk, at least {@code minFreeSpace} is free. /actuator/health is DOWN below that too.
     */
    public record Faults(
            @NotNull @DefaultValue("100MB") DataSize minFreeSpace,
            @NotNull @DefaultValue("5s") Duration probeInterval) {
    }

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
            @Min(1) @DefaultValue("2") int heifParallelism,
            @NotBlank @Pattern(regexp = "flatten|keep") @DefaultValue("flatten") String alpha,
            @NotBlank @DefaultValue("jpegtran") String jpegtran,
            @NotNull @DefaultValue("60s") Duration jpegtranTimeout,
            @Min(1) @DefaultValue("2") int jpegtranParallelism,
            @Min(1) @DefaultValue("10000") int zipMaxEntries,
            @NotNull @DefaultValue("4GB") DataSize zipMaxBytes,
            @Min(1) @DefaultValue("100") int zipMaxRatio) {

        /** Transparent pixels are laid over {@link #background} (the default), or kept. */
        public boolean flattenAlpha() {
            return "flatten".equals(alpha);
        }
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
            @NotBlank @Pattern(regexp = "keep|append|overwrite") @DefaultValue("keep") String existing,
            String videoTemplate) {

        public Caption {
            videoTemplate = videoTemplate == null || videoTemplate.isBlank() ? null : videoTemplate;
            replace = replace == null ? List.of() : List.copyOf(replace);
        }
    }

    /** A find/replace rule applied to every caption (plain text, case-sensitive). */
    public record Replacement(@NotBlank String find, @NotNull @DefaultValue("") String with) {
    }

    /**
     * Throttle and retries, shared by every dataset. {@code window} is the period {@code rpm} is
     * counted over: a minute, shortened only by tests and the bench's time scale. {@code concurrency}
     * 0 adapts the number in flight (up to {@code maxConcurrency}); {@code mode} auto bursts for
     * Gemini and Replicate and paces for OpenAI-compatible servers; {@code backups} lets a request that
     * outlasts 1.5 times the recent latency get a second copy from idle budget (ProviderLimiter.backup).
     */
    public record Rate(
            @Min(0) @DefaultValue("0") int rpm,
            @Min(0) @DefaultValue("0") int concurrency,
            @Min(1) @DefaultValue("5") int maxAttempts,
            @NotNull @DefaultValue("1m") Duration window,
            @NotNull @DefaultValue("2s") Duration backoffBase,
            @NotNull @DefaultValue("60s") Duration backoffMax,
            @NotNull @DefaultValue("5m") Duration maxRetryAfter,
            @NotNull @DefaultValue("1h") Duration quotaPause,
            @NotNull @DefaultValue("10s") Duration connectTimeout,
            @NotBlank @Pattern(regexp = "auto|burst|paced") @DefaultValue("auto") String mode,
            @Min(1) @DefaultValue("64") int maxConcurrency,
            @DefaultValue("true") boolean backups) {

        /** Caption workers the route needs: the explicit concurrency, or the adaptive limit's cap. */
        public int workers() {
            return concurrency > 0 ? concurrency : maxConcurrency;
        }
    }

    /** Google's Gemini API ({@code models/{model}:generateContent}); the key comes from GEMINI_API_KEY. */
    public record Gemini(
            @NotBlank @DefaultValue("https://generativelanguage.googleapis.com/v1beta") String baseUrl,
            @NotBlank @DefaultValue("gemini-2.5-flash") String model,
            @DefaultValue("") String apiKey,
            @Min(-1) @DefaultValue("0") Integer thinkingBudget,
            @Min(1) @DefaultValue("8") int defaultRpm,
            @NotNull @DefaultValue("120s") Duration timeout,
            @NotNull @DefaultValue("20MB") DataSize maxInlineVideo,
            @NotNull @DefaultValue("8MB") DataSize uploadChunk,
            @Min(1) @DefaultValue("60") int filesRpm,
            @NotNull @DefaultValue("2s") Duration filePollInterval,
            @NotNull @DefaultValue("10m") Duration fileTimeout) {

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
            @NotNull @DefaultValue("10m") Duration timeout,
            @NotBlank @DefaultValue("videos") String videoInput,
            @Min(1) @DefaultValue("120") int filesRpm,
            @NotNull @DefaultValue("100MB") DataSize maxUpload) {

        @Override
        public String toString() {
            return "Replicate[baseUrl=" + baseUrl + ", model=" + model + ", version=" + version + ", apiToken="
                    + Secrets.mask(apiToken) + ", imageInput=" + imageInput + ", waitSeconds=" + waitSeconds
                    + ", pollInterval=" + pollInterval + ", maxDataUri=" + maxDataUri + ", defaultRpm=" + defaultRpm
                    + ", timeout=" + timeout + ", videoInput=" + videoInput + ", filesRpm=" + filesRpm
                    + ", maxUpload=" + maxUpload + "]";
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
            @NotNull @DefaultValue("30m") Duration fileTimeout,
            Boolean trainerTakesVideo) {

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
     * Video clips (ffprobe/ffmpeg, run out of process). Limits are checked from ffprobe's container
     * facts before anything is decoded. {@code maxSide}, {@code fps} and {@code maxFrames} fit clips to
     * a trainer's buckets (0 = keep); {@code splitSeconds} cuts longer clips into parts (0 = never).
     * {@code livePhotos}: {@code set-aside} keeps a Live Photo's motion part out of the dataset,
     * {@code video} makes it a video member.
     */
    public record Video(
            @NotBlank @DefaultValue("ffprobe") String ffprobe,
            @NotBlank @DefaultValue("ffmpeg") String ffmpeg,
            @NotNull @DefaultValue("30s") Duration probeTimeout,
            @NotNull @DefaultValue("30m") Duration timeout,
            @Min(1) @DefaultValue("1") int parallelism,
            @NotNull @DefaultValue("10m") Duration maxDuration,
            @NotNull @DefaultValue("2GB") DataSize maxBytes,
            @Min(1) @DefaultValue("35389440") long maxPixels,
            @Min(0) @DefaultValue("0") int maxSide,
            @DecimalMin("0") @DefaultValue("0") double fps,
            @Min(0) @DefaultValue("0") int maxFrames,
            @Min(0) @DefaultValue("0") int splitSeconds,
            @DefaultValue("false") boolean keepAudio,
            @Min(0) @Max(51) @DefaultValue("18") int crf,
            @NotBlank @DefaultValue("medium") String preset,
            @NotBlank @Pattern(regexp = "set-aside|video") @DefaultValue("set-aside") String livePhotos,
            @Min(1) @Max(32) @DefaultValue("8") int captionFrames) {
    }

    /**
     * Extra export formats written with every zip ({@code formats:} in dataset.yaml wins): any of
     * {@code metadata.jsonl}, {@code captions.json}, {@code webdataset}, {@code caption-ext}; none by default.
     */
    public record Packaging(
            @DefaultValue List<@Pattern(regexp = "metadata\\.jsonl|captions\\.json|webdataset|caption-ext",
                    message = "must be metadata.jsonl, captions.json, webdataset or caption-ext") String> formats,
            @Min(1) @DefaultValue("1000") int webdatasetShardSize) {

        public Packaging {
            formats = formats == null ? List.of() : List.copyOf(formats);
        }
    }

    /** The dataset insight report: outbox/&lt;trigger&gt;_report.html and the manifest's {@code report}. */
    public record Report(
            @DefaultValue("true") boolean enabled,
            @Min(1) @DefaultValue("768") int minSide,
            @Min(0) @Max(64) @DefaultValue("10") int nearDuplicateBits,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.35") double blurRatio,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.08") double clippedFraction,
            @Min(1) @DefaultValue("8") int maxClusters,
            @Min(0) @DefaultValue("500") int maxThumbnails,
            @Min(32) @DefaultValue("160") int thumbnailSide) {
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
