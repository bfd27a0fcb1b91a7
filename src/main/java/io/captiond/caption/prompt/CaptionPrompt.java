package io.captiond.caption.prompt;

/** What a vision model is told: a system instruction and the user turn that goes with the image. */
public record CaptionPrompt(String system, String user) {

    /** Both in one text, for models that take a single prompt. */
    public String combined() {
        return system + "\n\n" + user;
    }
}
