package io.captiond.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for a dataset's trigger word (seed 000): letters, digits and underscores only, not the
 * overused {@code TOK}, and not a common English word, compared without regard to case.
 */
public final class TriggerWord {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_]{2,64}");
    private static final Set<String> COMMON = loadCommonWords();

    private TriggerWord() {
    }

    /** Returns why {@code word} cannot be a trigger word, or null when it can. */
    public static String problemWith(String word) {
        if (word == null || word.isBlank()) {
            return "the trigger word is empty";
        }
        if (!SHAPE.matcher(word).matches()) {
            return "trigger word '" + word + "' must be 2 to 64 characters of letters, digits and underscores "
                    + "(use my_studio, not 'my studio')";
        }
        String lower = word.toLowerCase(Locale.ROOT);
        if (lower.equals("tok")) {
            return "trigger word 'TOK' is used by countless other LoRAs; choose a word of your own";
        }
        if (COMMON.contains(lower)) {
            return "trigger word '" + word + "' is a common word the model already knows; "
                    + "choose something unique such as " + lower + "_" + "v1 or zeke_" + lower;
        }
        return null;
    }

    private static Set<String> loadCommonWords() {
        Set<String> words = new HashSet<>();
        try (var in = TriggerWord.class.getResourceAsStream("/common-words.txt");
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.lines().filter(line -> !line.startsWith("#"))
                    .flatMap(line -> java.util.Arrays.stream(line.trim().split("\\s+")))
                    .filter(w -> !w.isEmpty())
                    .forEach(w -> words.add(w.toLowerCase(Locale.ROOT)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
