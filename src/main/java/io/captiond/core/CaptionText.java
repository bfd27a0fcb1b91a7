package io.captiond.core;

import io.captiond.config.CaptiondProperties;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Caption hygiene, in code rather than in the prompt: models wrap answers in quotes, markdown and
 * "Here is a caption:" preambles whatever they are told, and a trainer reads the sidecar verbatim.
 * Also the one place the trigger word is enforced.
 */
public final class CaptionText {

    private static final Pattern PREAMBLE = Pattern.compile(
            "^(?:(?:sure|certainly|okay|ok|of course)[,!.]?\\s*)?(?:here(?:'s| is| are)[^:\\n]{0,80}:|caption\\s*:|description\\s*:)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MARKDOWN = Pattern.compile("(\\*\\*|__|`|^#+\\s*|^\\s*[-*•]\\s+)", Pattern.MULTILINE);
    private static final String[][] QUOTES = {{"\"", "\""}, {"'", "'"}, {"\u201C", "\u201D"}, {"\u2018", "\u2019"},
        {"\u00AB", "\u00BB"}, {"\u201E", "\u201C"}, {"\u201D", "\u201D"}};

    /** "I'm sorry, I can't…", "As an AI…", "I cannot identify…": an answer, not a caption. */
    private static final Pattern REFUSAL = Pattern.compile(
            "^(?:i['\u2019]?m sorry|i am sorry|sorry(?=[,!.])|i apologi[sz]e|i can(?:no|['\u2019])t|i am (?:not able|unable)|"
                    + "i['\u2019]?m (?:not able|unable)|unfortunately,? i|as an ai)\\b.*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private CaptionText() {
    }

    /** True for a model's refusal or apology instead of a description. */
    public static boolean isRefusal(String cleaned) {
        return REFUSAL.matcher(cleaned).matches();
    }

    /** Prefix, suffix and find/replace rules, applied after the trigger word is in place. */
    public static String decorate(String caption, String prefix, String suffix, List<CaptiondProperties.Replacement> rules) {
        String text = caption;
        for (CaptiondProperties.Replacement rule : rules) {
            text = text.replace(rule.find(), rule.with());
        }
        text = (prefix == null ? "" : prefix) + text + (suffix == null ? "" : suffix);
        return text.replaceAll("\\s+", " ").strip();
    }

    /** One clean line: no markdown, preamble, wrapping quotes or line breaks. */
    public static String clean(String raw) {
        if (raw == null) {
            return "";
        }
        String text = raw.strip();
        text = PREAMBLE.matcher(text).replaceFirst("");
        text = MARKDOWN.matcher(text).replaceAll("");
        text = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").replaceAll("[\\t\\u00A0 ]+", " ").strip();
        text = unquote(text);
        return text;
    }

    private static String unquote(String text) {
        boolean changed = true;
        while (changed && text.length() >= 2) {
            changed = false;
            for (String[] q : QUOTES) {
                if (text.startsWith(q[0]) && text.endsWith(q[1]) && !text.substring(1, text.length() - 1).contains(q[1])) {
                    text = text.substring(q[0].length(), text.length() - q[1].length()).strip();
                    changed = true;
                }
            }
        }
        return text;
    }

    /**
     * Puts the trigger word into a caption. ai-toolkit's {@code [trigger]}/{@code [name]} placeholders
     * become the word. In {@code template} mode a caption that lacks the word is poured into the
     * template ({@code photo of {trigger}, {caption}}); in {@code anchor} mode the word is put in
     * front only when missing. A caption that already names the trigger is left as written.
     */
    public static String withTrigger(String caption, String trigger, String template, String mode) {
        String text = caption.replace("[trigger]", trigger).replace("[name]", trigger);
        if (containsWord(text, trigger)) {
            return text;
        }
        if ("anchor".equals(mode)) {
            return trigger + ", " + text;
        }
        String body = template.startsWith("{caption}") ? text : decapitalise(text);
        return template.replace("{trigger}", trigger).replace("{caption}", body).strip();
    }

    public static boolean containsWord(String text, String word) {
        Matcher m = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(word) + "(?![A-Za-z0-9_])",
                Pattern.CASE_INSENSITIVE).matcher(text);
        return m.find();
    }

    /** "A man stands" reads "a man stands" after "photo of x, "; "iPhone", "NASA" and "I" stay. */
    private static String decapitalise(String text) {
        if (text.length() >= 2 && Character.isUpperCase(text.charAt(0))
                && (Character.isLowerCase(text.charAt(1)) || (text.charAt(0) == 'A' && text.charAt(1) == ' '))) {
            return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
        }
        if (text.length() == 1) {
            return text.toLowerCase(Locale.ROOT);
        }
        return text;
    }
}
