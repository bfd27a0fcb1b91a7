package io.captiond.core;

import io.captiond.config.CaptiondProperties;
import org.springframework.stereotype.Component;

/**
 * What every caption file holds, whoever wrote it (a model, the user, the review page): the trigger
 * word by the dataset's template or anchor rule, then the configured prefix, suffix and replacements.
 * One place, so that the caption stage and the packager can never disagree.
 */
@Component
public class CaptionRules {

    private final CaptiondProperties.Caption caption;

    public CaptionRules(CaptiondProperties props) {
        this.caption = props.caption();
    }

    /** {@code captiond.caption.existing}: keep, append or overwrite a caption the user dropped. */
    public String existing() {
        return caption.existing();
    }

    /** {@code caption} followed by the user's {@code words}, unless they are in it already. */
    public static String appended(String caption, String words) {
        String extra = CaptionText.clean(words);
        if (extra.isEmpty() || caption.contains(extra)) {
            return caption;
        }
        return caption.replaceAll("[\\s.,;]+$", "") + ", " + extra;
    }

    /** {@link #finish(String, Dataset, boolean, boolean)} for an image member. */
    public String finish(String cleaned, Dataset dataset, boolean byUser) {
        return finish(cleaned, dataset, byUser, false);
    }

    /**
     * The sidecar text for a cleaned, non-empty caption. The user's own words are only anchored
     * (trigger in front when missing), never put into the template. A clip's caption is framed by
     * the video template ({@link CaptionTemplates}): "video of TOK, …", not "photo of TOK, …".
     */
    public String finish(String cleaned, Dataset dataset, boolean byUser, boolean video) {
        var settings = dataset.settings();
        String template = CaptionTemplates.of(caption, settings, video);
        String mode = byUser ? "anchor" : settings.triggerMode() != null ? settings.triggerMode() : caption.triggerMode();
        return CaptionText.decorate(CaptionText.withTrigger(cleaned, dataset.trigger(), template, mode),
                caption.prefix(), caption.suffix(), caption.replace());
    }
}
