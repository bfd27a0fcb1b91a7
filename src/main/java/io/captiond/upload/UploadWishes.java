package io.captiond.upload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one level of configuration says about uploading: the daemon's {@code captiond.upload.*},
 * then dataset.yaml's {@code upload:}, then the content of trigger.done, each overriding the one
 * before. {@code upload:} and trigger.done take the same forms:
 * <pre>
 * upload: true                      # or false; trigger.done may hold just the word upload / no-upload
 * upload:                           # a map means "upload", unless it says enabled: false
 *   destination: me/zeke-lora
 *   trainer: ostris/flux-dev-lora-trainer
 *   options: { steps: 1500, lora_rank: 32 }
 * </pre>
 *
 * @param enabled null when this level does not say
 */
public record UploadWishes(Boolean enabled, String destination, String trainer, Map<String, Object> options) {

    public static final UploadWishes NONE = new UploadWishes(null, null, null, Map.of());
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS = Set.of("enabled", "destination", "trainer", "options");

    /** dataset.yaml's {@code upload:} value. */
    public static UploadWishes of(JsonNode node, String where) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NONE;
        }
        if (node.isBoolean()) {
            return new UploadWishes(node.asBoolean(), null, null, Map.of());
        }
        if (node.isTextual()) {
            switch (node.asText().strip().toLowerCase(java.util.Locale.ROOT)) {
                case "upload":
                case "true":
                case "yes":
                    return new UploadWishes(true, null, null, Map.of());
                case "no-upload":
                case "false":
                case "no":
                    return new UploadWishes(false, null, null, Map.of());
                default:
                    return NONE; // "done", a date...: a note for people, not for captiond
            }
        }
        if (!node.isObject()) {
            throw new UploadRejectedException(where + ": 'upload' must be true, false or a map, not " + node);
        }
        if (node.size() == 1 && node.has("upload")) {
            return of(node.get("upload"), where); // "upload: {...}" written into trigger.done
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new UploadRejectedException(where + ": unknown upload setting '" + key + "' (known: enabled, "
                        + "destination, trainer, options; trainer inputs such as steps go under options:)");
            }
        }
        JsonNode options = node.path("options");
        if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
            throw new UploadRejectedException(where + ": upload 'options' must be a map of trainer inputs");
        }
        Map<String, Object> map = options.isObject()
                ? YAML.convertValue(options, new TypeReference<LinkedHashMap<String, Object>>() { })
                : Map.of();
        return new UploadWishes(node.has("enabled") ? node.path("enabled").asBoolean(true) : Boolean.TRUE,
                text(node, "destination"), text(node, "trainer"), map);
    }

    /** The content of trigger.done: empty, a word, or YAML. */
    public static UploadWishes ofTriggerNote(String note) {
        if (note == null || note.isBlank()) {
            return NONE;
        }
        JsonNode node;
        try {
            node = YAML.readTree(note);
        } catch (Exception e) {
            return NONE; // free text nobody meant for captiond
        }
        return of(node, "trigger.done");
    }

    /** {@code this} overridden by {@code later} wherever {@code later} says something. */
    public UploadWishes then(UploadWishes later) {
        Map<String, Object> merged = new LinkedHashMap<>(options);
        merged.putAll(later.options);
        return new UploadWishes(later.enabled != null ? later.enabled : enabled,
                later.destination != null ? later.destination : destination,
                later.trainer != null ? later.trainer : trainer, merged);
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.path(key);
        return value.isValueNode() && !value.isNull() ? value.asText().strip() : null;
    }
}
