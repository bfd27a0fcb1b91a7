package io.captiond.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A Replicate training as the manifest shows it: where it runs, how it went, what it made.
 *
 * @param url           the training's page (urls.web), else its API URL
 * @param logsTail      the last lines of the trainer's log
 * @param outputVersion the new version at the destination ({@code output.version}) on success
 * @param weights       the trained weights ({@code output.weights}) on success
 */
public record Training(String id, String url, String status, Instant createdAt, Instant startedAt, Instant completedAt,
        Double predictSeconds, List<String> logsTail, String outputVersion, String weights, String error) {

    public static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "aborted");
    static final int LOG_LINES = 20;

    public static Training from(JsonNode t) {
        String url = text(t.path("urls").path("web"));
        if (url == null) {
            url = text(t.path("urls").path("get"));
        }
        String logs = text(t.path("logs"));
        List<String> tail = null;
        if (logs != null && !logs.isBlank()) {
            List<String> lines = Arrays.asList(logs.strip().split("\\R"));
            tail = List.copyOf(lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
        }
        JsonNode output = t.path("output");
        JsonNode predict = t.path("metrics").path("predict_time");
        return new Training(text(t.path("id")), url, text(t.path("status")), time(t.path("created_at")),
                time(t.path("started_at")), time(t.path("completed_at")), predict.isNumber() ? predict.asDouble() : null,
                tail, output.isTextual() ? null : text(output.path("version")), text(output.path("weights")),
                text(t.path("error")));
    }

    public Training withUrl(String pageUrl) {
        return new Training(id, pageUrl, status, createdAt, startedAt, completedAt, predictSeconds, logsTail, outputVersion,
                weights, error);
    }

    public boolean finished() {
        return status != null && TERMINAL.contains(status);
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static Instant time(JsonNode node) {
        try {
            return node.isTextual() ? OffsetDateTime.parse(node.asText()).toInstant() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
