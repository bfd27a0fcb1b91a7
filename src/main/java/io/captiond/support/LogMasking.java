package io.captiond.support;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every log line goes through ({@link SafeMessageConverter}): credentials are masked wherever
 * they appear, above all in HttpClient's DEBUG wire and header logs ({@code x-goog-api-key: …},
 * {@code Authorization: Bearer …}, {@code ?key=…}); names from outside (file and folder names) have
 * their control characters escaped, so a newline in a name cannot split or forge a log line.
 */
public final class LogMasking {

    public static final String MASK = "(redacted)";

    /** Header-like "name: value" / "name=value" pairs whose value is a credential. */
    private static final Pattern CREDENTIAL_HEADER = Pattern.compile(
            "(?i)(x-goog-api-key|authorization|proxy-authorization|x-api-key|api-key|api_key|apikey)"
                    + "(\"?\\s*[:=]\\s*\"?)((?:bearer|token|basic)\\s+)?([^\\s\"\\[\\],;&]+)");
    /** Credentials in query strings: Gemini's {@code ?key=}, OAuth's {@code access_token=}. */
    private static final Pattern CREDENTIAL_PARAM = Pattern.compile("(?i)([?&](?:key|api_key|token|access_token)=)[^&\\s\"\\[]+");

    private static final Set<String> secrets = new CopyOnWriteArraySet<>();

    private LogMasking() {
    }

    /** Secret values (configured keys and tokens) masked verbatim wherever they appear. */
    public static void register(String secret) {
        if (secret != null && secret.strip().length() >= 8) {
            secrets.add(secret.strip());
        }
    }

    public static String mask(String message) {
        if (message == null || message.isEmpty()) {
            return message;
        }
        String result = message;
        for (String secret : secrets) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        result = CREDENTIAL_HEADER.matcher(result).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + m.group(2) + (m.group(3) == null ? "" : m.group(3)) + MASK));
        return CREDENTIAL_PARAM.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /** {@code text} with control characters written as escapes (\n, \r, \t, \u001b…). */
    public static String escapeControls(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04x", (int) c);
                });
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
