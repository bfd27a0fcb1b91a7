package io.captiond.normalise;

import java.util.List;

/**
 * What a converter wrote: the member's format and upright size, anything worth a warning, and
 * what became of transparency ({@code "flattened"}, {@code "kept"}, or null when the source had none).
 */
public record Converted(String format, int width, int height, List<String> warnings, String alpha) {

    public Converted {
        warnings = List.copyOf(warnings);
    }

    /** A member made from a source without transparency. */
    public Converted(String format, int width, int height, List<String> warnings) {
        this(format, width, height, warnings, null);
    }
}
