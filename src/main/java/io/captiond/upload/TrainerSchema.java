package io.captiond.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The inputs a trainer version accepts, read from its OpenAPI schema ({@code TrainingInput}, else
 * {@code Input}). Options are checked and converted here, so that a typo or a wrong type is a clear
 * message before anything is paid for, instead of a 422 or a failed training.
 */
public final class TrainerSchema {

    private final TrainerRef trainer;
    private final JsonNode schemas;
    private final JsonNode properties;

    private TrainerSchema(TrainerRef trainer, JsonNode schemas, JsonNode properties) {
        this.trainer = trainer;
        this.schemas = schemas;
        this.properties = properties;
    }

    /** From a version object ({@code latest_version}, or {@code GET .../versions/{id}}). */
    public static TrainerSchema of(TrainerRef trainer, JsonNode version) {
        JsonNode schemas = version.path("openapi_schema").path("components").path("schemas");
        JsonNode input = schemas.path("TrainingInput");
        if (!input.isObject()) {
            input = schemas.path("Input");
        }
        return new TrainerSchema(trainer, schemas, input.path("properties"));
    }

    /** False when the version publishes no schema: options then go to Replicate unchecked. */
    public boolean known() {
        return properties.isObject() && properties.size() > 0;
    }

    public boolean accepts(String name) {
        return !known() || properties.has(name);
    }

    /**
     * The input the zip goes in: {@code input_images} (the FLUX trainers), else {@code input_videos}
     * (the video trainers, e.g. zsxkib/hunyuan-video-lora); null when the schema has neither. Without
     * a schema, {@code input_images}.
     */
    public String zipInput() {
        if (!known()) {
            return "input_images";
        }
        for (String name : ZIP_INPUTS) {
            if (properties.has(name)) {
                return name;
            }
        }
        return null;
    }

    /**
     * True when the zip input takes video clips, by what the schema says of it: its name or its
     * description/title mentions video ("input_videos", "A zip file containing videos and matching
     * .txt captions."). A trainer publishing no schema says nothing, so false.
     */
    public boolean takesVideo() {
        String zip = zipInput();
        if (!known() || zip == null) {
            return false;
        }
        JsonNode spec = resolve(properties.path(zip));
        String words = (zip + " " + spec.path("title").asText("") + " " + spec.path("description").asText(""))
                .toLowerCase(java.util.Locale.ROOT);
        return VIDEO_WORDS.matcher(words).find();
    }

    private static final List<String> ZIP_INPUTS = List.of("input_images", "input_videos");
    private static final java.util.regex.Pattern VIDEO_WORDS = java.util.regex.Pattern.compile("(?:\\b|_)videos?\\b");

    /** The training input: the zip's URL, the trigger word, and the options in the schema's types. */
    public Map<String, Object> input(String fileUrl, String trigger, Map<String, Object> options) {
        String zip = zipInput();
        if (zip == null) {
            throw new UploadRejectedException("trainer " + trainer + " has no 'input_images' or 'input_videos' input: it "
                    + "does not train from a zip; use replicate/fast-flux-trainer or ostris/flux-dev-lora-trainer "
                    + "(images), zsxkib/hunyuan-video-lora (clips)");
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put(zip, fileUrl);
        if (accepts("trigger_word")) {
            input.put("trigger_word", trigger);
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Object> option : options.entrySet()) {
            String name = option.getKey();
            if (name.equals(zip) || name.equals("trigger_word")) {
                problems.add("'" + name + "' is set by captiond (the uploaded zip and the dataset's trigger word)");
            } else if (!accepts(name)) {
                problems.add("unknown option '" + name + "'");
            } else {
                try {
                    input.put(name, known() ? convert(name, option.getValue()) : option.getValue());
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new UploadRejectedException("trainer " + trainer + " does not accept these options: "
                    + String.join("; ", problems) + ". It accepts: " + String.join(", ", names())
                    + " (captiond.upload.options.* or 'options' under 'upload' in dataset.yaml / trigger.done)");
        }
        return input;
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!ZIP_INPUTS.contains(name) && !name.equals("trigger_word")) {
                names.add(name);
            }
        }
        return new ArrayList<>(new TreeSet<>(names));
    }

    private Object convert(String name, Object value) {
        JsonNode spec = resolve(properties.path(name));
        String type = spec.path("type").asText("");
        Object converted;
        String text = String.valueOf(value).strip();
        String shown = SecretOptions.isSecret(name) ? "(the secret given)" : text; // messages reach files
        try {
            switch (type) {
                case "integer":
                    double d = value instanceof Number ? ((Number) value).doubleValue() : Double.parseDouble(text);
                    if (d != Math.rint(d)) {
                        throw new NumberFormatException();
                    }
                    converted = (long) d;
                    break;
                case "number":
                    converted = value instanceof Number ? ((Number) value).doubleValue() : Double.parseDouble(text);
                    break;
                case "boolean":
                    if (!(value instanceof Boolean) && !text.equals("true") && !text.equals("false")) {
                        throw new NumberFormatException();
                    }
                    converted = value instanceof Boolean ? value : Boolean.parseBoolean(text);
                    break;
                default:
                    converted = value instanceof String || type.equals("string") ? text : value;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' must be " + (type.equals("integer") ? "an " : "a ") + type
                    + ", not '" + shown + "'");
        }
        if (converted instanceof Number) {
            double n = ((Number) converted).doubleValue();
            if ((spec.has("minimum") && n < spec.path("minimum").asDouble())
                    || (spec.has("maximum") && n > spec.path("maximum").asDouble())) {
                throw new IllegalArgumentException("'" + name + "' must be between " + spec.path("minimum").asText("-∞")
                        + " and " + spec.path("maximum").asText("∞") + ", not " + shown);
            }
        }
        JsonNode choices = spec.path("enum");
        if (choices.isArray() && choices.size() > 0) {
            List<String> allowed = new ArrayList<>();
            choices.forEach(c -> allowed.add(c.asText()));
            if (!allowed.contains(String.valueOf(converted))) {
                throw new IllegalArgumentException("'" + name + "' must be one of " + allowed + ", not '" + shown + "'");
            }
        }
        return converted;
    }

    /** Cog schemas put enums in a component referenced through allOf/$ref; merge it in. */
    private JsonNode resolve(JsonNode spec) {
        JsonNode ref = spec.path("$ref");
        if (!ref.isTextual() && spec.path("allOf").isArray() && spec.path("allOf").size() > 0) {
            ref = spec.path("allOf").get(0).path("$ref");
        }
        if (ref.isTextual()) {
            String key = ref.asText().substring(ref.asText().lastIndexOf('/') + 1);
            JsonNode target = schemas.path(key);
            if (target.isObject()) {
                com.fasterxml.jackson.databind.node.ObjectNode merged = target.deepCopy();
                spec.fields().forEachRemaining(f -> merged.putIfAbsent(f.getKey(), f.getValue()));
                return merged;
            }
        }
        return spec;
    }
}
