package io.captiond.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word count and an estimate of how many CLIP tokens a caption takes (CLIP reads 77, start and end
 * included; trainers cut the rest). An estimate, not CLIP's BPE: a word of up to 7 letters is one
 * token, longer words one more per 5 letters, every digit and punctuation mark one. Shipping CLIP's
 * 49,408-entry vocabulary to count exactly is not worth it for a "too long" filter.
 */
public final class CaptionStats {

    public static final int CLIP_LIMIT = 77;
    private static final Pattern PIECES = Pattern.compile("\\p{L}+|\\p{N}|[^\\s\\p{L}\\p{N}]");

    private CaptionStats() {
    }

    public static int words(String caption) {
        String trimmed = caption == null ? "" : caption.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    /** Estimated CLIP tokens including the start and end tokens. */
    public static int clipTokens(String caption) {
        if (caption == null || caption.isBlank()) {
            return 2;
        }
        int tokens = 2;
        Matcher m = PIECES.matcher(caption);
        while (m.find()) {
            int length = m.end() - m.start();
            tokens += Character.isLetter(caption.charAt(m.start())) && length > 7 ? 1 + (length - 3) / 5 : 1;
        }
        return tokens;
    }
}
