package io.captiond.support.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The waits providers advertise, in every shape protocols.md lists: {@code retry-after-ms}
 * (OpenAI), {@code Retry-After} in seconds or as an HTTP date, Gemini's
 * {@code RetryInfo.retryDelay} ("37s", "1.5s"), "Please retry in 22.4s." in a message, and
 * Replicate's "Your rate limit resets in ~30s." / "Expected available in 1 second.", OpenAI's
 * "Please try again in 20s." and its {@code x-ratelimit-reset-requests} ("6m0s"). Each returns
 * null when the hint is absent or unreadable.
 */
public final class RetryHints {

    private static final Pattern DURATION_SECONDS = Pattern.compile("^(\\d+(?:\\.\\d+)?)s$");
    private static final Pattern IN_TEXT = Pattern.compile(
            "(?:retry in|try again in|resets in|available in)\\s*~?\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|milliseconds?|s|sec|seconds?)\\b",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern GO_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s)");
    private static final Pattern GO_DURATION = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:h|ms|m|s))+");

    private RetryHints() {
    }

    /** {@code retry-after-ms} first, then {@code retry-after} (seconds or HTTP date); names in any case. */
    public static Duration fromHeaders(Map<String, String> headers) {
        String millis = header(headers, "retry-after-ms");
        if (millis != null) {
            try {
                return nonNegative(Duration.ofNanos((long) (Double.parseDouble(millis.strip()) * 1_000_000)));
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        String after = header(headers, "retry-after");
        if (after == null) {
            return null;
        }
        try {
            return nonNegative(Duration.ofMillis((long) (Double.parseDouble(after.strip()) * 1000)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(after.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

    /** Gemini's {@code error.details[@type=...RetryInfo].retryDelay}. */
    public static Duration fromGoogleDetails(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if (detail.path("@type").asText().endsWith("google.rpc.RetryInfo")) {
                Matcher m = DURATION_SECONDS.matcher(detail.path("retryDelay").asText().strip());
                if (m.matches()) {
                    return Duration.ofMillis((long) (Double.parseDouble(m.group(1)) * 1000));
                }
            }
        }
        return null;
    }

    /** "Please retry in 22.4s.", "resets in ~30s", "Expected available in 1 second". */
    public static Duration fromText(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = IN_TEXT.matcher(text);
        if (!m.find()) {
            return null;
        }
        double value = Double.parseDouble(m.group(1));
        return m.group(2).toLowerCase().startsWith("m") ? Duration.ofNanos((long) (value * 1_000_000))
                : Duration.ofMillis((long) (value * 1000));
    }

    /** OpenAI's {@code x-ratelimit-reset-requests}: Go-style durations such as "1s", "6m0s", "12ms". */
    public static Duration fromResetHeader(Map<String, String> headers) {
        String value = header(headers, "x-ratelimit-reset-requests");
        if (value == null || !GO_DURATION.matcher(value.strip()).matches()) {
            return null;
        }
        Matcher part = GO_PART.matcher(value.strip());
        double millis = 0;
        while (part.find()) {
            double n = Double.parseDouble(part.group(1));
            millis += switch (part.group(2)) {
                case "h" -> n * 3_600_000;
                case "m" -> n * 60_000;
                case "s" -> n * 1000;
                default -> n;
            };
        }
        return Duration.ofMillis((long) millis);
    }

    /** The first non-null of the hints, in the order given. */
    public static Duration first(Duration... hints) {
        for (Duration hint : hints) {
            if (hint != null) {
                return hint;
            }
        }
        return null;
    }

    static String header(Map<String, String> headers, String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && e.getValue() != null) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
