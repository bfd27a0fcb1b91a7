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
        @Valid @NotNull @DefaultValue Once onceMode) {

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
}
