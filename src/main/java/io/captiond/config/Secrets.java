package io.captiond.config;

import java.util.Locale;

/** How a key or token appears anywhere captiond prints configuration or a server's words: never as itself. */
public final class Secrets {

    static final String REDACTED = "(redacted)";

    private Secrets() {
    }

    public static String mask(String secret) {
        return secret == null || secret.isBlank() ? "(none)" : "(set)";
    }

    /**
     * {@code text} with every occurrence of the given secrets replaced. Servers do echo credentials
     * back (Google's "Consumer 'api_key:AIza…' has been suspended"), and what a server says ends up
     * in reason files, manifests and logs.
     */
    public static String redact(String text, String... secrets) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            String bare = credential(secret);
            if (bare != null && bare.length() >= 4 && result.contains(bare)) {
                result = result.replace(bare, REDACTED);
            }
        }
        return result;
    }

    /** The secret part of a header value: "Bearer r8_…" → "r8_…". */
    static String credential(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        String lower = v.toLowerCase(Locale.ROOT);
        for (String scheme : new String[] {"bearer ", "token ", "basic "}) {
            if (lower.startsWith(scheme)) {
                return v.substring(scheme.length()).strip();
            }
        }
        return v;
    }
}
