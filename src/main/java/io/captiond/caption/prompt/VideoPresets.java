package io.captiond.caption.prompt;

import java.util.Map;

/**
 * The instructions for video clips (Wan, HunyuanVideo LoRAs): what happens over time and how the
 * camera moves, which a still's preset never asks for. Same rule as for stills: what the caption
 * leaves out is what the trigger word learns.
 */
final class VideoPresets {

    static final String COMMON = "You write one caption for a video clip in a video LoRA training dataset. "
            + "Answer with the caption only: plain text, no preamble, no quotes, no markdown, no line breaks.";

    static final String CAMERA = " Say how the camera moves (static, pan, tilt, tracking, dolly in or out, handheld, "
            + "zoom) and the shot type.";

    static final Map<String, String> PRESETS = Map.of(
            "subject", "Describe the main subject and the action: what it does from the start of the clip to the end, "
                    + "then the setting and the lighting." + CAMERA,
            "style", "Describe only the content and the motion: the subjects, what they do, the setting. Do not name or "
                    + "describe the artistic style, colour grading or rendering: the style is what is being learned." + CAMERA,
            "character", "The person in the clip is the character being learned. Describe the action, the changes of "
                    + "pose, expression and gaze over the clip, and the setting. Do not describe the person's face, hair, "
                    + "skin, body or age." + CAMERA,
            "product", "The product in the clip is what is being learned. Describe how it is staged and handled over "
                    + "the clip: surface, background, props, hands, lighting. Do not describe the product's own shape, "
                    + "colours, materials or branding." + CAMERA);

    private VideoPresets() {
    }
}
