package io.captiond.core;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a user may set per dataset in {@code inbox/<dataset>/dataset.yaml}. Every field is optional;
 * an absent field falls back to the daemon's configuration ({@code captiond.caption.*}).
 *
 * @param trigger     the trigger word; the folder name when absent
 * @param style       caption preset: subject, style, character or product
 * @param template    caption template with {trigger} and {caption}
 * @param triggerMode template (the template places the trigger) or anchor (the trigger must appear)
 * @param prompt      a custom instruction for vision models, replacing the preset's
 * @param upload      upload wishes: {@code true}/{@code false}, or a map (see the upload stage's UploadWishes)
 * @param livePhotos  {@code set-aside} or {@code video}: what a Live Photo's motion part becomes
 * @param formats     extra export formats for this dataset (replacing {@code captiond.package.formats})
 * @param videoTemplate caption template for the dataset's clips; made from {@code template} when absent
 */
public record DatasetSettings(
        @JsonProperty("trigger") String trigger,
        @JsonProperty("style") String style,
        @JsonProperty("template") String template,
        @JsonProperty("trigger_mode") String triggerMode,
        @JsonProperty("prompt") String prompt,
        @JsonProperty("upload") com.fasterxml.jackson.databind.JsonNode upload,
        @JsonProperty("live-photos") String livePhotos,
        @JsonProperty("formats") java.util.List<String> formats,
        @JsonProperty("video-template") @com.fasterxml.jackson.annotation.JsonAlias("video_template") String videoTemplate) {

    /** The export formats a dataset (or captiond.package.formats) may choose. */
    public static final java.util.List<String> FORMATS = java.util.List.of("metadata.jsonl", "captions.json", "webdataset",
            "caption-ext");

    public static final DatasetSettings NONE = new DatasetSettings(null, null, null, null, null, null, null, null, null);

    public DatasetSettings(String trigger, String style, String template, String triggerMode, String prompt,
            com.fasterxml.jackson.databind.JsonNode upload) {
        this(trigger, style, template, triggerMode, prompt, upload, null, null, null);
    }
}
