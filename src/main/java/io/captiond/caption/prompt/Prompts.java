package io.captiond.caption.prompt;

import io.captiond.caption.CaptionRequest;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.CaptionTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/**
 * Builds the instruction for one image: the dataset's custom {@code prompt} (dataset.yaml), else
 * {@code captiond.caption.prompt-file}, else the preset for its style; then the length, how the
 * trigger word is used, and the user's {@code <stem>.tags} as context (seed 004: tags alone make
 * poor captions, but as context they steer a vision model to the right words).
 * <p>
 * The presets say what a LoRA should learn <em>from the trigger word</em>: whatever a caption
 * describes is attributed to the words, what it leaves out is attributed to the trigger. So the
 * {@code character} preset describes pose, expression, framing and setting but never the person's
 * looks (seed 001), {@code style} describes content but not the style, {@code product} describes
 * placement and staging but not the product itself.
 */
public class Prompts {

    static final String COMMON = "You write one caption for an image in a LoRA training dataset. "
            + "Answer with the caption only: plain text, no preamble, no quotes, no markdown, no line breaks.";

    static final Map<String, String> PRESETS = Map.of(
            "subject", "Describe the main subject and what it is doing, the setting, the lighting, the composition "
                    + "and the camera angle, in natural language a person would type as an image prompt.",
            "style", "Describe only the content: the subjects, objects, setting and composition. Do not name or describe "
                    + "the artistic style, medium, colour grading or rendering technique: the style is what is being learned.",
            "character", "The person in the image is the character being learned. Describe the shot type and framing "
                    + "(close-up, medium shot, full body, wide shot), the pose, the expression, the gaze, the action and the "
                    + "setting and lighting. Do not describe the person's face, hair, skin, body or age: their appearance is "
                    + "learned from the pixels.",
            "product", "The product in the image is what is being learned. Describe how it is staged: the camera angle "
                    + "and framing, the surface or background, props, the lighting and any hands or people. Do not describe "
                    + "the product's own shape, colours, materials or branding.");

    static final Map<String, String> LENGTHS = Map.of(
            "short", "Write one sentence of at most 30 words.",
            "long", "Write two to four sentences, at most 90 words.");

    private final CaptiondProperties.Caption config;
    private final String promptFile;

    public Prompts(CaptiondProperties.Caption config) {
        this.config = config;
        try {
            this.promptFile = config.promptFile() == null ? null
                    : Files.readString(config.promptFile(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("captiond.caption.prompt-file " + config.promptFile() + " cannot be read", e);
        }
    }

    public CaptionPrompt forRequest(CaptionRequest request) {
        var settings = request.dataset().settings();
        String trigger = request.dataset().trigger();
        String style = settings.style() != null ? settings.style() : config.style();
        String custom = settings.prompt() != null && !settings.prompt().isBlank() ? settings.prompt().strip() : promptFile;
        String mode = settings.triggerMode() != null ? settings.triggerMode() : config.triggerMode();

        boolean video = request.video() != null;
        Map<String, String> presets = video ? VideoPresets.PRESETS : PRESETS;
        StringBuilder system = new StringBuilder(video ? VideoPresets.COMMON : COMMON).append(' ');
        if (custom != null) {
            system.append(custom.replace("{trigger}", trigger));
        } else {
            system.append(presets.getOrDefault(style, presets.get("subject")));
        }
        system.append(' ').append(LENGTHS.get(config.length()));
        if ("anchor".equals(mode)) {
            system.append(" Refer to the main subject by the name ").append(trigger)
                    .append(", used naturally inside the sentence (for example: a close-up shot of ").append(trigger)
                    .append(" smiling).");
        } else {
            system.append(" Do not name the subject; the caption is appended to \"").append(
                    CaptionTemplates.of(config, settings, video).replace("{trigger}", trigger).replace("{caption}", "").strip())
                    .append("\".");
        }
        StringBuilder user = new StringBuilder(video ? "Write the caption for this video clip." : "Write the caption for this image.");
        if (request.tags() != null && !request.tags().isBlank()) {
            user.append(video ? " Tags given for this clip, as context" : " Tags given for this image, as context")
                    .append(" (mention only what you can see): ")
                    .append(String.join(", ", java.util.Arrays.stream(request.tags().split("[,\\r\\n]+"))
                            .map(String::strip).filter(t -> !t.isEmpty()).toList()));
        }
        return new CaptionPrompt(system.toString(), user.toString());
    }
}
