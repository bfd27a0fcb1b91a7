package io.captiond.config;

/** How a key or token appears anywhere captiond prints configuration: set or not, never its value. */
public final class Secrets {

    private Secrets() {
    }

    public static String mask(String secret) {
        return secret == null || secret.isBlank() ? "(none)" : "(set)";
    }
}
