package io.captiond.upload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Trainer inputs that are credentials ({@code hf_token}, {@code wandb_api_key} of the ostris
 * trainer): sent to Replicate, but written nowhere by captiond. The state file and the manifest
 * carry a placeholder; after a restart the value is read again from where the user put it
 * (captiond.upload.options.* or dataset.yaml).
 */
public final class SecretOptions {

    public static final String PLACEHOLDER = "(secret: sent to Replicate, not written to disk)";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(token|secret|password|api_?key|_key)$");

    private SecretOptions() {
    }

    public static boolean isSecret(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /** The options as they may be written down: secrets replaced by the placeholder. */
    public static Map<String, Object> masked(Map<String, Object> options) {
        Map<String, Object> masked = new LinkedHashMap<>();
        options.forEach((name, value) -> masked.put(name, isSecret(name) ? PLACEHOLDER : value));
        return masked;
    }

    /** Only the secret options. */
    public static Map<String, Object> secrets(Map<String, Object> options) {
        Map<String, Object> secrets = new LinkedHashMap<>();
        options.forEach((name, value) -> {
            if (isSecret(name)) {
                secrets.put(name, value);
            }
        });
        return secrets;
    }

    /** The options to send: placeholders replaced by the values kept in memory. */
    public static Map<String, Object> revealed(Map<String, Object> written, Map<String, Object> secrets) {
        Map<String, Object> options = new LinkedHashMap<>();
        written.forEach((name, value) -> {
            if (PLACEHOLDER.equals(value)) {
                if (!secrets.containsKey(name)) {
                    throw new UploadRejectedException("trainer option '" + name + "' is a secret captiond does not write "
                            + "to disk, and after the restart it is no longer where it was given (trigger.done is gone): set "
                            + "it in captiond.upload.options." + name + " or dataset.yaml, then drop trigger.done again");
                }
                options.put(name, secrets.get(name));
            } else {
                options.put(name, value);
            }
        });
        return options;
    }
}
