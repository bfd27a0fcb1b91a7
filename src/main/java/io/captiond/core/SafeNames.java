package io.captiond.core;

import java.text.Normalizer;
import java.util.Locale;

/**
 * File names that Linux training tools and shell scripts take without quoting: ASCII letters,
 * digits, '_', '-' and '.', no leading '-' (read as an option) or '.' (hidden).
 */
public final class SafeNames {

    private static final int MAX_STEM = 100;

    private SafeNames() {
    }

    /** {@link FileNames#stem} made safe: what a member's output name starts with. */
    public static String safeStem(String fileName) {
        String stem = FileNames.stem(fileName);
        String ascii = Normalizer.normalize(stem, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        String safe = ascii.replaceAll("[^A-Za-z0-9._-]+", "_")
                .replaceAll("_{2,}", "_")
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
