package io.captiond.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
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
        @Valid @NotNull @DefaultValue Once onceMode,
        @Valid @NotNull @DefaultValue Replicate replicate,
        @Valid @NotNull @DefaultValue Upload upload) {

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

    /** What the captions look like. */
    public record Caption(
            @NotBlank @Pattern(regexp = "subject|style|character|product") @DefaultValue("subject") String style,
            @NotBlank @DefaultValue("photo of {trigger}, {caption}") String template,
            @NotBlank @Pattern(regexp = "template|anchor") @DefaultValue("template") String triggerMode) {
    }

    /** Throttle and retries, shared by every dataset. */
    public record Rate(
            @Min(0) @DefaultValue("0") int rpm,
            @Min(1) @DefaultValue("2") int concurrency,
            @Min(1) @DefaultValue("5") int maxAttempts) {
    }

    /** Once mode: how long to wait for files that are still being written before giving up. */
    public record Once(@NotNull @DefaultValue("10m") Duration maxWait) {
    }

    /** Replicate's HTTP API; the token comes from the environment variable REPLICATE_API_TOKEN, never from here. */
    public record Replicate(@NotBlank @DefaultValue("https://api.replicate.com/v1") String baseUrl) {
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
    }
}
