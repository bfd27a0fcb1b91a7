package io.captiond.core;

import java.text.Normalizer;
import java.util.Locale;

/**
 * File names that Linux training tools and shell scripts take without quoting: ASCII letters,
 * digits, '_', '-' and '.', no leading '-' (read as an option) or '.' (hidden).
 * <p>
 * The rule: <b>a name that is already safe is kept as it is</b> (double underscores included:
 * {@code RGB_10__29x100} names a test image's format and stays). Accents are dropped (é → e); each
 * run of other characters, with any underscores touching it, becomes one '_'; leading '-', '.',
 * '_' and trailing '.', '_' are removed; the stem is cut at 100 characters; an empty result is
 * "image".
 */
public final class SafeNames {

    private static final int MAX_STEM = 100;

    private SafeNames() {
    }

    /** {@link FileNames#stem} made safe: what a member's output name starts with. */
    public static String safeStem(String fileName) {
        String stem = FileNames.stem(fileName);
        String ascii = Normalizer.normalize(stem, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        String safe = ascii.replaceAll("_*[^A-Za-z0-9._-]+(?:_*[^A-Za-z0-9._-]+)*_*", "_")
                .replaceAll("^[-._]+", "")
                .replaceAll("[._]+$", "");
        if (safe.length() > MAX_STEM) {
            safe = safe.substring(0, MAX_STEM);
        }
        return safe.isEmpty() ? "image" : safe;
    }

    public static String key(String stem) {
        return stem.toLowerCase(Locale.ROOT);
    }
}
