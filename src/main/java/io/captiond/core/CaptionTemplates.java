package io.captiond.core;

import io.captiond.config.CaptiondProperties;
import java.util.regex.Pattern;

/**
 * Which template frames a member's caption. A clip's caption must read as a video caption ("video
 * of TOK, a man walks…"): a video LoRA learns from the words too, and "photo of" on every clip would
 * tie the trigger word to still images. So a clip uses a video template: {@code video-template} of
 * the dataset, else one made from the dataset's own {@code template}, else
 * {@code captiond.caption.video-template}, else one made from {@code captiond.caption.template}.
 * "Made from" swaps the template's still-image noun (photo, photograph, image, picture, still) for
 * "video", so a user's custom wording carries over to clips without a second setting.
 */
public final class CaptionTemplates {

    private static final Pattern STILL_NOUN = Pattern.compile("\\b(?:(an?)(\\s+))?(photo(?:graph)?|image|picture|still)\\b",
            Pattern.CASE_INSENSITIVE);

    private CaptionTemplates() {
    }

    /** The template for a member of {@code settings}' dataset: the image template, or the video one for a clip. */
    public static String of(CaptiondProperties.Caption config, DatasetSettings settings, boolean video) {
        if (!video) {
            return settings.template() != null ? settings.template() : config.template();
        }
        if (settings.videoTemplate() != null) {
            return settings.videoTemplate();
        }
        if (settings.template() != null) {
            return forVideo(settings.template());
        }
        return config.videoTemplate() != null ? config.videoTemplate() : forVideo(config.template());
    }

    /** "photo of {trigger}, {caption}" → "video of {trigger}, {caption}"; "An image" → "A video". */
    static String forVideo(String template) {
        return STILL_NOUN.matcher(template).replaceAll(m -> {
            String noun = Character.isUpperCase(m.group(3).charAt(0)) ? "Video" : "video";
            String article = m.group(1) == null ? "" : m.group(1).charAt(0) + m.group(2); // "an image" → "a video"
            return java.util.regex.Matcher.quoteReplacement(article + noun);
        });
    }
}
