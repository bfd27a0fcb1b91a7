package io.captiond.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splitting captions into words, and the words that say nothing about an image. */
final class Words {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}_'-]*");
    private static final Pattern PUNCTUATION = Pattern.compile("[^\\p{L}\\p{N}\\s_'-]");

    static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "with", "by", "for",
            "from", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "as", "into",
            "onto", "over", "under", "up", "down", "out", "off", "near", "while", "which", "who", "his", "her", "their",
            "he", "she", "they", "them", "has", "have", "there", "some", "one", "two", "photo", "image", "picture", "s",
            "very", "but", "not", "no", "behind", "front", "next", "around", "through", "against", "across", "between");

    private Words() {
    }

    /** The caption's words, lower case, in order. */
    static List<String> of(String caption) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(caption.toLowerCase(Locale.ROOT));
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    static int punctuation(String caption) {
        int n = 0;
        Matcher m = PUNCTUATION.matcher(caption);
        while (m.find()) {
            n++;
        }
        return n;
    }

    static boolean content(String word, String trigger) {
        return !STOP.contains(word) && !word.equals(trigger) && word.length() > 1 && !word.chars().allMatch(Character::isDigit);
    }

    /**
     * CLIP's tokenizer (byte-pair encoding over a 49k vocabulary) gives common English words one token
     * and splits rare or long ones; this estimate counts a token per 7 letters of each underscore- or
     * hyphen-separated part of a word (trigger words like {@code zeke_portrait} split there), one per
     * separator and per punctuation mark, plus the start and end tokens. Hand-written: an exact count needs the
     * model's vocabulary files, which captiond does not ship.
     */
    static int clipTokens(String caption) {
        return 2 + tokens(caption, 7);
    }

    /** T5's SentencePiece vocabulary splits finer than CLIP's: about a token per 5 letters, plus the end token. */
    static int t5Tokens(String caption) {
        return 1 + tokens(caption, 5);
    }

    private static int tokens(String caption, int lettersPerToken) {
        int tokens = punctuation(caption);
        for (String word : of(caption)) {
            String[] parts = word.split("[_'-]", -1);
            tokens += parts.length - 1; // the separators
            for (String part : parts) {
                tokens += part.isEmpty() ? 0 : (part.length() + lettersPerToken - 1) / lettersPerToken;
            }
        }
        return tokens;
    }
}
