package io.captiond.normalise;

import java.util.List;

/** What a converter wrote: the member's format and upright size, and anything worth a warning. */
public record Converted(String format, int width, int height, List<String> warnings) {

    public Converted {
        warnings = List.copyOf(warnings);
    }
}
